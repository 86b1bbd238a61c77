import { maxAttemptRecords, type AttemptRecord, type Execution, type ExecutionStatus } from '../engine/execution.js';
import type { ExecutionStore } from './store.js';

/**
 * A change to SCHEDULED must say when the execution joins the queue again: without a runAt it
 * would never be due. A programming error, not an outcome, so it throws (in every adapter alike).
 */
export function requireRunAt(change: { to: ExecutionStatus; runAt?: Date }): void {
  if (change.to === 'SCHEDULED' && !change.runAt) throw new TypeError('A change to SCHEDULED needs runAt: when it joins the queue again');
}

/**
 * The attempt records after a change: the attempt that a change from RUNNING ends is added (the
 * newest maxAttemptRecords kept); null when the change ends no attempt. The same in every adapter.
 */
export function attemptsAfter(
  current: Pick<Execution, 'attempt' | 'startedAt' | 'attempts'>,
  change: Parameters<ExecutionStore['transition']>[1],
): AttemptRecord[] | null {
  if (!change.endedAttempt || change.from !== 'RUNNING') return null;
  const ended: AttemptRecord = {
    attempt: current.attempt,
    startedAt: current.startedAt,
    endedAt: new Date(change.at),
    outcome: change.endedAttempt.outcome,
    error: change.endedAttempt.error,
  };
  return [...current.attempts, ended].slice(-maxAttemptRecords);
}

/** When a finished execution expires: `retainForMs` after it finished (capped at the latest Date). */
export function expiresAtOf(finishedAt: Date, retainForMs: number): Date {
  return new Date(Math.min(finishedAt.getTime() + retainForMs, latestDate));
}

/** The latest moment a Date can hold. */
const latestDate = 8_640_000_000_000_000;
