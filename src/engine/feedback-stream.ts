import type { ExecutionStore } from '../store/store.js';
import type { ExecutionChangeEvent, ExecutionEvents, Listener } from './events.js';
import { SequenceAheadError } from './errors.js';
import { isTerminal } from './execution.js';

/** Largest number of stored events read per round trip while catching up. */
export const replayPageSize = 500;

/**
 * The event stream of one execution, as taskFeedback serves it: no gaps, no duplicates, in
 * order, ending after the terminal status event.
 *
 * It listens before it reads the store, so nothing published in between is lost; live events
 * are used directly while their sequence follows on, and any gap (a missed or dropped event)
 * is filled from the store's event log. Without `afterSequence` it starts with the latest event.
 * Returns null when the execution does not exist; throws SequenceAheadError for an
 * `afterSequence` past its latest event.
 *
 * `return()` on the iterator ends it at once, even while it waits for the next event. When the
 * bus fails its listener (the cluster's events were lost), `next()` rejects with that error.
 */
export async function openFeedbackStream(
  deps: { executions: ExecutionStore; events: ExecutionEvents },
  executionId: string,
  afterSequence: number | null,
): Promise<AsyncIterableIterator<ExecutionChangeEvent> | null> {
  const listener = deps.events.listenToExecution(executionId);
  const execution = await deps.executions.get(executionId);
  if (!execution) {
    listener.close();
    return null;
  }
  if (afterSequence !== null && afterSequence > execution.lastSequence) {
    listener.close();
    throw new SequenceAheadError(afterSequence, execution.lastSequence);
  }
  const start = afterSequence ?? Math.max(0, execution.lastSequence - 1);
  const events = streamEvents(deps.executions, listener, executionId, Math.max(0, start));
  const iterator: AsyncIterableIterator<ExecutionChangeEvent> = {
    next: () => events.next(),
    return(value?: unknown) {
      listener.close();
      return events.return(value as never);
    },
    throw(error?: unknown) {
      listener.close();
      return events.throw(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

async function* streamEvents(
  executions: ExecutionStore,
  listener: Listener<ExecutionChangeEvent>,
  executionId: string,
  afterSequence: number,
): AsyncGenerator<ExecutionChangeEvent> {
  let last = afterSequence;
  try {
    // Catch up from the store, then follow live events, falling back to the store on any gap.
    let finished = false;
    const catchUp = async function* (): AsyncGenerator<ExecutionChangeEvent, boolean> {
      for (;;) {
        const stored = await executions.eventsAfter(executionId, last, replayPageSize);
        const current = await executions.get(executionId);
        if (!current) return true;
        for (const event of stored) {
          last = event.sequence;
          yield { event, execution: current };
          if (isTerminal(event.status)) return true;
        }
        if (stored.length < replayPageSize) return isTerminal(current.status) && current.lastSequence <= last;
      }
    };
    finished = yield* catchUp();
    while (!finished) {
      const taken = await listener.take();
      if (taken.kind === 'closed') return;
      if (taken.kind === 'failed') throw taken.error;
      if (taken.kind === 'value') {
        const { event } = taken.value;
        if (event.sequence <= last) continue;
        if (event.sequence === last + 1) {
          last = event.sequence;
          yield taken.value;
          finished = isTerminal(event.status);
          continue;
        }
      }
      finished = yield* catchUp();
    }
  } finally {
    listener.close();
  }
}
