import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../generated/graphql.js';
import { bearer, type Credentials } from './credentials.js';

/** `signed-out`: the server refused the socket's token (close 4403); it waits for a new one. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'signed-out';

/** graphql-ws closes a socket whose connection_init the server refused with 4403 Forbidden. */
const forbidden = 4403;

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
  /** Attempts ended by an outage in a row (see retryLater). */
  retries?: number;
}

/**
 * Subscriptions over graphql-ws that survive a dropped WebSocket.
 *
 * graphql-ws retries a dropped subscription by sending the *same* payload again, which for
 * taskFeedback would replay from the original `afterSequence`. Here every drop ends all
 * attempts, and every (re)connection starts them again with fresh variables, so each stream
 * resumes right after the last event it delivered. `onReconnected` lets the page catch up on
 * what has no replay (the tracker feed) with queries.
 *
 * The socket sends the kept API token in `connectionParams`, read when the client is made:
 * `restart()` makes a new one (after a sign-in or sign-out) and the subscriptions move to it. A
 * socket the server refuses (close 4403) reports it to the credentials and is not retried.
 */
export function createLiveSocket(options: {
  url: string;
  credentials: Credentials;
  onStateChange: (state: ConnectionState) => void;
  onReconnected: () => void;
  /** Fatal connection errors (the server refused the protocol, for example). */
  onFatal: (message: string) => void;
}) {
  const subscriptions = new Set<LiveSubscription>();
  /** The current client, and its number: events of a replaced client are ignored. */
  let client: Client | null = null;
  let generation = 0;
  let connected = false;

  function startAttempt(subscription: LiveSubscription): void {
    if (!client) return;
    let current = true;
    const dispose = client.subscribe(
      { query: subscription.query, variables: subscription.variables() },
      {
        next: (result) => {
          if (!current) return;
          if (result.errors?.length && result.errors.every(isRetryable)) {
            // An outage, not a refusal: the server cannot serve live events for now. Try again
            // shortly with fresh variables (a feedback stream resumes after its last event).
            current = false;
            dispose();
            subscription.stopAttempt = null;
            retryLater(subscription);
          } else if (result.errors?.length) {
            end(subscription);
            subscription.sink.error?.(result.errors.map((error) => error.message).join('; '));
          } else if (result.data) {
            subscription.retries = 0;
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

  /** Starts a subscription the server ended for an outage again, with back-off, while it is wanted. */
  function retryLater(subscription: LiveSubscription): void {
    subscription.retries = (subscription.retries ?? 0) + 1;
    const delayMs = Math.min(1_000 * 2 ** (subscription.retries - 1), 10_000) + Math.random() * 500;
    setTimeout(() => {
      if (!subscriptions.has(subscription) || subscription.stopAttempt || !connected) return;
      startAttempt(subscription);
      // What has no replay (the tracker feed) is caught up with queries, as after a reconnect.
      options.onReconnected();
    }, delayMs);
  }

  function end(subscription: LiveSubscription): void {
    subscriptions.delete(subscription);
    subscription.stopAttempt = null;
  }

  /** Ends every attempt on the current socket; the subscriptions wait for the next connection. */
  function dropAttempts(): void {
    connected = false;
    for (const subscription of subscriptions) {
      subscription.stopAttempt?.();
      subscription.stopAttempt = null;
    }
  }

  /** Closes the current client for good (its late events are ignored). */
  function closeClient(): void {
    generation++;
    dropAttempts();
    if (client) void client.dispose();
    client = null;
  }

  function connect(): void {
    const mine = ++generation;
    const token = options.credentials.token;
    const isMine = () => mine === generation;
    client = createClient({
      url: options.url,
      lazy: false,
      connectionParams: token ? { authorization: bearer(token) } : {},
      // Keep trying for as long as the page is open: there is no refresh button to fall back on.
      // Only a refused token is not tried again: the page asks for another one instead.
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: (event) => !isForbidden(event),
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** retries, 3_000) + Math.random() * 250)),
      // A ping every 10 s notices a silently dead connection (a sleeping laptop, a dropped Wi-Fi).
      keepAlive: 10_000,
      onNonLazyError: (error) => {
        if (isMine() && !isForbidden(error)) options.onFatal(error instanceof Error ? error.message : 'The live connection was refused.');
      },
      on: {
        connecting: (isRetry) => {
          if (isMine()) options.onStateChange(isRetry ? 'reconnecting' : 'connecting');
        },
        connected: (_socket, _payload, wasRetry) => {
          if (!isMine()) return;
          connected = true;
          options.credentials.accept(token);
          options.onStateChange('live');
          for (const subscription of subscriptions) if (!subscription.stopAttempt) startAttempt(subscription);
          if (wasRetry) options.onReconnected();
        },
        closed: (event) => {
          if (!isMine()) return;
          if (isForbidden(event)) {
            closeClient();
            options.onStateChange('signed-out');
            options.credentials.refuse(token);
            return;
          }
          if (!connected) return;
          dropAttempts();
          options.onStateChange('reconnecting');
        },
      },
    });
  }

  connect();

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
    /** A new socket with the credentials' current token; the subscriptions start again on it. */
    restart(): void {
      closeClient();
      connect();
    },
    /** No socket until `restart()`: there is no token the server would take. */
    pause(): void {
      if (!client) return;
      closeClient();
      options.onStateChange('signed-out');
    },
    dispose(): void {
      closeClient();
      subscriptions.clear();
    },
  };
}

/** Codes of errors that end a stream for an outage (the database, the cluster's events): worth trying again. */
const retryableCodes = new Set(['EVENTS_UNAVAILABLE', 'STORE_UNAVAILABLE']);

function isRetryable(error: { extensions?: Record<string, unknown> }): boolean {
  return retryableCodes.has(String(error.extensions?.code));
}

function isForbidden(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'code' in event && event.code === forbidden;
}

export type LiveSocket = ReturnType<typeof createLiveSocket>;
