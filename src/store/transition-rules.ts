import type { ExecutionStatus } from '../engine/execution.js';

/**
 * A change to SCHEDULED must say when the execution joins the queue again: without a runAt it
 * would never be due. A programming error, not an outcome, so it throws (in every adapter alike).
 */
export function requireRunAt(change: { to: ExecutionStatus; runAt?: Date }): void {
  if (change.to === 'SCHEDULED' && !change.runAt) throw new TypeError('A change to SCHEDULED needs runAt: when it joins the queue again');
}
