import type { LiveSocket } from '../api/live-socket.js';
import { ExecutionFeedbackDocument } from '../generated/graphql.js';
import type { FeedbackEvent } from './executions.js';

/**
 * One taskFeedback stream per followed execution: every feedback line, resumed with
 * afterSequence after a dropped connection. A stream ends when the server ends it (after the
 * final status), so a finished execution is never unfollowed here: the tracker feed can tell of
 * the end before the stream has delivered the last lines.
 */
export function createFeedbackStreams(
  live: LiveSocket,
  options: {
    /** The sequence of the feedback the page already shows for an execution (0: none). */
    knownSequence: (executionId: string) => number;
    onEvent: (executionId: string, event: FeedbackEvent) => void;
  },
) {
  /** Per followed execution: unsubscribe, and the sequence of the last event its stream delivered. */
  const followed = new Map<string, { stop: () => void; lastSequence: number | null }>();
  let closed = false;

  return {
    follow(executionId: string): void {
      if (closed || followed.has(executionId)) return;
      const entry = { stop: () => {}, lastSequence: null as number | null };
      followed.set(executionId, entry);
      entry.stop = live.subscribe(
        ExecutionFeedbackDocument,
        () => {
          // Resume right after the last event seen, or after the feedback the page already shows.
          const known = options.knownSequence(executionId);
          return { executionId, afterSequence: entry.lastSequence ?? (known > 0 ? known : null) };
        },
        {
          next: ({ taskFeedback: event }) => {
            entry.lastSequence = event.sequence;
            options.onEvent(executionId, event);
          },
          complete: () => followed.delete(executionId),
          error: () => followed.delete(executionId),
        },
      );
    },

    /** Ends the stream of an execution the page no longer shows (the server no longer has it). */
    unfollow(executionId: string): void {
      followed.get(executionId)?.stop();
      followed.delete(executionId);
    },

    /** Ends every stream; nothing is followed from now on. */
    close(): void {
      closed = true;
      for (const entry of followed.values()) entry.stop();
      followed.clear();
    },
  };
}
