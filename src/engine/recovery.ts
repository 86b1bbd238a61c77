import type { Logger } from 'pino';
import type { ExecutionStore } from '../store/store.js';
import type { ExecutionEvents } from './events.js';

export interface RecoveryOptions {
  /** Runs an execution may get in all; one whose lease expires on the last is FAILED. */
  maxAttempts: number;
  /** Most executions recovered per sweep, so one sweep stays short. */
  batchSize?: number;
}

/**
 * Recovers executions whose lease expired (their process died or hangs): each goes back to
 * QUEUED for another attempt, or ends FAILED once it has had `maxAttempts`. Every change is
 * conditional on the attempt and on the lease still being expired, so a live owner that renewed
 * in time, or another instance recovering the same execution, wins cleanly.
 * Returns the tasks that got executions back, for the caller to dispatch.
 */
export async function recoverExpiredLeases(
  deps: { executions: ExecutionStore; events: ExecutionEvents; logger: Logger; clock: () => Date },
  options: RecoveryOptions,
): Promise<Set<string>> {
  const now = deps.clock();
  const requeued = new Set<string>();
  for (const execution of await deps.executions.expiredLeases(now, options.batchSize ?? 100)) {
    // Only attempts lost to a dead server count: work handed back at a clean shutdown does not.
    const lost = execution.lostAttempts + 1;
    const lastAttempt = lost >= options.maxAttempts;
    const message = lastAttempt
      ? `Failed: the server running attempt ${execution.attempt} stopped responding (its lease expired); that is ${lost} of ${options.maxAttempts} attempts lost, none left`
      : `Recovered: the server running attempt ${execution.attempt} stopped responding (its lease expired); queued again (${lost} of ${options.maxAttempts} attempts lost)`;
    const change = await deps.executions.transition(execution.id, {
      from: 'RUNNING',
      to: lastAttempt ? 'FAILED' : 'QUEUED',
      attempt: execution.attempt,
      leaseExpiredBefore: now,
      at: now,
      error: lastAttempt ? message : null,
      message,
      endedAttempt: { outcome: 'LOST', error: message },
    });
    if (!change) continue;
    deps.logger.warn({ executionId: execution.id, task: execution.task, attempt: execution.attempt }, message);
    deps.events.publish(change);
    if (!lastAttempt) requeued.add(execution.task);
  }
  return requeued;
}
