import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../generated/graphql.js';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export interface LiveSink<TResult> {
  next(data: TResult): void;
  /** The server ended the stream (taskFeedback does after the final status). */
  complete?(): void;
  /** The server refused the operation; the subscription is over. */
  error?(message: string): void;
}

interface LiveSubscription {
  query: string;
  /** Read at every (re)start, so a resumed stream asks only for what it has not seen yet. */
  variables: () => Record<string, unknown> | undefined;
  sink: LiveSink<unknown>;
  /** Ends the current attempt on the socket; null while waiting for a connection. */
  stopAttempt: (() => void) | null;
}

/**
 * Subscriptions over graphql-ws that survive a dropped WebSocket.
 *
 * graphql-ws retries a dropped subscription by sending the *same* payload again, which for
 * taskFeedback would replay from the original `afterSequence`. Here every drop ends all
 * attempts, and every (re)connection starts them again with fresh variables, so each stream
 * resumes right after the last event it delivered. `onReconnected` lets the page catch up on
 * what has no replay (the tracker feed) with queries.
 */
export function createLiveSocket(options: {
  url: string;
  onStateChange: (state: ConnectionState) => void;
  onReconnected: () => void;
  /** Fatal connection errors (the server refused the protocol, for example). */
  onFatal: (message: string) => void;
}) {
  const subscriptions = new Set<LiveSubscription>();
  let connected = false;
  let client: Client;

  function startAttempt(subscription: LiveSubscription): void {
    let current = true;
    const dispose = client.subscribe(
      { query: subscription.query, variables: subscription.variables() },
      {
        next: (result) => {
          if (!current) return;
          if (result.errors?.length) {
            end(subscription);
            subscription.sink.error?.(result.errors.map((error) => error.message).join('; '));
          } else if (result.data) {
            subscription.sink.next(result.data);
          }
        },
        error: (error) => {
          if (!current) return;
          end(subscription);
          subscription.sink.error?.(Array.isArray(error) ? error.map((e: { message: string }) => e.message).join('; ') : String(error));
        },
        complete: () => {
          // An attempt ended by a drop completes too, later: only a current one means the server ended it.
          if (!current) return;
          end(subscription);
          subscription.sink.complete?.();
        },
      },
    );
    subscription.stopAttempt = () => {
      current = false;
      dispose();
    };
  }

  function end(subscription: LiveSubscription): void {
    subscriptions.delete(subscription);
    subscription.stopAttempt = null;
  }

  client = createClient({
    url: options.url,
    lazy: false,
    // Keep trying for as long as the page is open: there is no refresh button to fall back on.
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** retries, 3_000) + Math.random() * 250)),
    // A ping every 10 s notices a silently dead connection (a sleeping laptop, a dropped Wi-Fi).
    keepAlive: 10_000,
    onNonLazyError: (error) => options.onFatal(error instanceof Error ? error.message : 'The live connection was refused.'),
    on: {
      connecting: (isRetry) => options.onStateChange(isRetry ? 'reconnecting' : 'connecting'),
      connected: (_socket, _payload, wasRetry) => {
        connected = true;
        options.onStateChange('live');
        for (const subscription of subscriptions) if (!subscription.stopAttempt) startAttempt(subscription);
        if (wasRetry) options.onReconnected();
      },
      closed: () => {
        if (!connected) return;
        connected = false;
        options.onStateChange('reconnecting');
        for (const subscription of subscriptions) {
          subscription.stopAttempt?.();
          subscription.stopAttempt = null;
        }
      },
    },
  });

  return {
    /** Starts now when connected, otherwise as soon as the connection is up; returns the unsubscribe. */
    subscribe<TResult, TVariables>(
      document: TypedDocumentString<TResult, TVariables>,
      variables: () => TVariables,
      sink: LiveSink<TResult>,
    ): () => void {
      const subscription: LiveSubscription = {
        query: document.toString(),
        variables: variables as () => Record<string, unknown> | undefined,
        sink: sink as LiveSink<unknown>,
        stopAttempt: null,
      };
      subscriptions.add(subscription);
      if (connected) startAttempt(subscription);
      return () => {
        subscription.stopAttempt?.();
        end(subscription);
      };
    },
    dispose(): void {
      for (const subscription of subscriptions) subscription.stopAttempt?.();
      subscriptions.clear();
      void client.dispose();
    },
  };
}

export type LiveSocket = ReturnType<typeof createLiveSocket>;
