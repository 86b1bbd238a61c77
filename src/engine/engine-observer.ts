import type { ExecutionChange } from '../store/store.js';
import type { RetryOutcome, StartOutcome } from './engine.js';
import type { StatusChangeFacts } from './lifecycle-log.js';

/**
 * What an engine reports of the work done on its own instance (the server's metrics listen):
 * only what this instance answered or wrote, so the reports of a cluster's instances add up.
 */
export interface EngineObserver {
  /** The answer to a start of `task` here: Start Task, retryExecution or a schedule's tick. */
  startAnswered(task: string, outcome: StartOutcome): void;
  /**
   * A change written here (a status change or feedback), as it is published; `facts` are those of
   * a status change (made once for the log and the observer), null for feedback.
   */
  changeWritten(change: ExecutionChange, facts: StatusChangeFacts | null): void;
}

interface Starts {
  start(task: string, ...rest: never[]): Promise<StartOutcome>;
  retry(executionId: string): Promise<RetryOutcome>;
}

/**
 * The engine's API with its Start Task and retryExecution answers reported to `observer`.
 * Wrapped around the API rather than added at each return, so an outcome kind added later is
 * reported without a change here.
 */
export function observeStarts<E extends Starts>(engine: E, observer: EngineObserver | undefined): E {
  if (!observer) return engine;
  const start = async (task: string, ...rest: never[]) => {
    const outcome = await engine.start(task, ...rest);
    observer.startAnswered(task, outcome);
    return outcome;
  };
  const retry = async (executionId: string) => {
    const outcome = await engine.retry(executionId);
    // Not a start of any task: there was nothing to retry.
    if (outcome.kind === 'ExecutionNotFound' || outcome.kind === 'ExecutionNotRetryable') return outcome;
    const task = outcome.kind === 'TaskQueued' ? outcome.execution.task : 'task' in outcome ? outcome.task : null;
    if (task !== null) observer.startAnswered(task, outcome);
    return outcome;
  };
  return { ...engine, start, retry };
}
