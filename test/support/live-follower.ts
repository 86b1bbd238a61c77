import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { deferred } from './wait-for.js';

export interface FeedbackEventSeen {
  sequence: number;
  kind: string;
  status: string;
  message: string | null;
  at: string;
}

/**
 * Live streams of a server that runs in another process, over graphql-ws as a browser gets them:
 * `feedback` follows one execution's taskFeedback, `tracker` a task's taskExecutionUpdates.
 * Each result says when the server completed the stream or ended it with an error.
 */
export function liveFollower(baseUrl: string) {
  const client: Client = createClient({ url: `${baseUrl.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });

  function follow<T>(query: string, variables: Record<string, unknown>, pick: (data: Record<string, unknown>) => T) {
    const values: T[] = [];
    const errors: Array<{ message: string; code: unknown }> = [];
    const ended = deferred<'complete' | 'error'>();
    const dispose = client.subscribe<Record<string, unknown>>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors?.length) errors.push(...result.errors.map((error) => ({ message: error.message, code: error.extensions?.code })));
          if (result.data) values.push(pick(result.data));
        },
        error: (error) => {
          errors.push({ message: String((error as Error)?.message ?? error), code: 'TRANSPORT' });
          ended.resolve('error');
        },
        complete: () => ended.resolve(errors.length > 0 ? 'error' : 'complete'),
      },
    );
    return { values, errors, ended: ended.promise, dispose };
  }

  return {
    feedback(executionId: string, afterSequence: number | null = 0) {
      return follow(
        'subscription($id: ID!, $after: Int) { taskFeedback(executionId: $id, afterSequence: $after) { sequence kind status message at } }',
        { id: executionId, after: afterSequence },
        (data) => data.taskFeedback as FeedbackEventSeen,
      );
    },
    tracker(task: string) {
      return follow(
        'subscription($task: String) { taskExecutionUpdates(task: $task) { id status lastSequence } }',
        { task },
        (data) => data.taskExecutionUpdates as { id: string; status: string; lastSequence: number },
      );
    },
    close: () => client.dispose(),
  };
}

/** Sequences 1..n without a gap or a repeat. */
export function isContiguous(events: Array<{ sequence: number }>, from = 1): boolean {
  return events.every((event, i) => event.sequence === from + i);
}
