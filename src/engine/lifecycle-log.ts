import type { Logger } from 'pino';
import type { ExecutionChange } from '../store/store.js';
import { isTerminal, type Execution, type ExecutionStatus } from './execution.js';

/** What a status change tells of an execution's life, read from the change alone (no store read). */
export interface StatusChangeFacts {
  /**
   * The status before: null for a new execution; left out when the change cannot tell (a waiting
   * execution past its runAt that is stopped or failed may have been QUEUED or still SCHEDULED).
   */
  from?: ExecutionStatus | null;
  /** At RUNNING: how long it waited since it last joined the queue, in ms. */
  waitMs?: number;
  /** When the change ended a run (a terminal status, a retry, a hand back): how long that attempt ran, in ms. */
  runMs?: number;
  /** At a terminal status: from its start (queuedAt) to its end, in ms. */
  totalMs?: number;
}

export function statusChangeFacts({ execution, event }: ExecutionChange): StatusChangeFacts {
  const { status } = execution;
  if (status === 'RUNNING') return { from: 'QUEUED', waitMs: msBetween(waitingSince(execution), execution.startedAt ?? event.at) };
  const ranUntilNow = endsRun(execution, event.at);
  const from = event.sequence === 1 ? null : ranUntilNow ? 'RUNNING' : waitedIn(execution, event.at);
  const endedAt = execution.finishedAt ?? event.at;
  return {
    ...(from === undefined ? {} : { from }),
    ...(ranUntilNow && execution.startedAt ? { runMs: msBetween(execution.startedAt, endedAt) } : {}),
    ...(isTerminal(status) ? { totalMs: msBetween(execution.queuedAt, endedAt) } : {}),
  };
}

/**
 * One info line per status change written on this instance (what `publishChange` publishes), so
 * an execution's life can be followed in the log of the instances that ran it. A FAILED or
 * TIMED_OUT execution is an outcome, not a server fault: info, with its error.
 */
export function logStatusChange(logger: Logger, change: ExecutionChange, facts: StatusChangeFacts): void {
  const { execution, event } = change;
  // Built for nothing when info lines are off (LOG_LEVEL=warn and above): not built.
  if (!logger.isLevelEnabled('info')) return;
  const { from, ...durations } = facts;
  const failedRun = execution.status === 'FAILED' || execution.status === 'TIMED_OUT' || (execution.status === 'SCHEDULED' && from === 'RUNNING');
  const error = failedRun ? execution.error : null;
  logger.info(
    {
      executionId: execution.id,
      task: execution.task,
      from,
      to: execution.status,
      attempt: execution.attempt,
      startedBy: execution.startedBy,
      ...durations,
      ...(error === null ? {} : { error }),
      // Why, when the change says more than its error: a retry's backoff, a stop, a recovery, a hand back.
      ...(event.message === null || event.message === error ? {} : { reason: event.message }),
      ...(execution.status === 'SCHEDULED' && execution.runAt ? { runAt: execution.runAt } : {}),
    },
    'execution status changed',
  );
}

/**
 * Whether the change ended a run of the execution's current attempt. A change from RUNNING records
 * the attempt it ends (endedAt = the change's moment), except a stop written while another
 * instance runs it: then the current attempt simply has no record yet.
 */
function endsRun(execution: Execution, at: Date): boolean {
  if (execution.startedAt === null) return false;
  const last = execution.attempts.at(-1);
  if (last === undefined || last.attempt !== execution.attempt) return true;
  // Back in the queue straight from a run only when the run was handed back or lost; a retry whose
  // backoff ran out joins it from SCHEDULED, possibly in the very millisecond its attempt ended.
  if (execution.status === 'QUEUED' && last.outcome !== 'HANDED_BACK' && last.outcome !== 'LOST') return false;
  return last.endedAt.getTime() === at.getTime();
}

/** Where an execution that did not run until this change (at `at`) was waiting, if the change tells. */
function waitedIn(execution: Execution, at: Date): ExecutionStatus | undefined {
  // Only a due SCHEDULED execution joins the queue.
  if (execution.status === 'QUEUED') return 'SCHEDULED';
  // Never scheduled: it can only have been QUEUED. Not due yet: it was still SCHEDULED.
  if (execution.runAt === null) return 'QUEUED';
  return execution.runAt > at ? 'SCHEDULED' : undefined;
}

/** When a claimed execution last joined the queue: its start, its due time (runAt), or the end of an attempt handed back. */
function waitingSince(execution: Execution): Date {
  let since = execution.queuedAt;
  for (const candidate of [execution.runAt, execution.attempts.at(-1)?.endedAt]) {
    if (candidate && candidate > since && (!execution.startedAt || candidate <= execution.startedAt)) since = candidate;
  }
  return since;
}

function msBetween(from: Date, to: Date): number {
  return Math.max(0, to.getTime() - from.getTime());
}
