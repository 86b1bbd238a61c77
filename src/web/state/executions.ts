import type {
  ExecutionFeedbackSubscription,
  TaskExecutionStatus,
  TrackedExecutionFragment,
} from '../generated/graphql.js';

/**
 * One execution as the task tracker shows it. Two sources feed it: the tracker feed and queries
 * carry the whole execution with its `lastSequence`; taskFeedback carries each event with its
 * `sequence`. Both numbers count the same per-execution event log, so whatever arrives late or
 * twice (after a reconnect, or from the other source) is recognised as old and ignored.
 */
export interface TrackedExecution {
  id: string;
  taskName: string;
  status: TaskExecutionStatus;
  progress: number | null;
  queuePosition: number | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  /** When a SCHEDULED execution joins the queue; afterwards, when it last became due (null: never scheduled). */
  runAt: string | null;
  /** While SCHEDULED after a failed attempt: when the next attempt is queued. */
  nextAttemptAt: string | null;
  priority: number;
  /** Attempts that failed so far, and the attempts its task allows in all (its retry policy). */
  failedAttempts: number;
  maxAttempts: number;
  /** The execution this one retries (the Retry button), if any. */
  retryOf: string | null;
  /** ContractCreator's input snapshot names its group. */
  groupId: string | null;
  /** The sequence that status, progress and times are current with. */
  stateSequence: number;
  /** The latest feedback line, and the sequence it came with (0: none known yet). */
  latestFeedback: string;
  feedbackSequence: number;
  /** The latest line is the server's note with a status change (such as why an attempt is retried), not the task's. */
  feedbackIsNote: boolean;
}

export type TrackedExecutionInput = TrackedExecutionFragment & { feedback?: string };
export type FeedbackEvent = ExecutionFeedbackSubscription['taskFeedback'];

const terminal: ReadonlySet<TaskExecutionStatus> = new Set(['COMPLETED', 'FAILED', 'STOPPED', 'TIMED_OUT']);

export function isFinished(status: TaskExecutionStatus): boolean {
  return terminal.has(status);
}

/** Only a FAILED or TIMED_OUT execution can be retried (retryExecution). */
export function isRetryable(status: TaskExecutionStatus): boolean {
  return status === 'FAILED' || status === 'TIMED_OUT';
}

export function lastLine(text: string): string {
  const trimmed = text.trimEnd();
  return trimmed.slice(trimmed.lastIndexOf('\n') + 1);
}

function groupIdOf(input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return null;
  const groupId = (input as { groupId?: unknown }).groupId;
  return typeof groupId === 'string' ? groupId : null;
}

/** Merges a whole execution (from a query, a mutation or the tracker feed). */
export function mergeExecution(current: TrackedExecution | undefined, incoming: TrackedExecutionInput): TrackedExecution {
  const sequence = incoming.lastSequence;
  const base: TrackedExecution = current ?? {
    id: incoming.id,
    taskName: incoming.task.name,
    status: incoming.status,
    progress: null,
    queuePosition: null,
    queuedAt: incoming.queuedAt,
    startedAt: null,
    finishedAt: null,
    error: null,
    runAt: null,
    nextAttemptAt: null,
    priority: incoming.priority,
    failedAttempts: 0,
    maxAttempts: incoming.task.retry.attempts,
    retryOf: incoming.retryOf ?? null,
    groupId: groupIdOf(incoming.input),
    stateSequence: -1,
    latestFeedback: '',
    feedbackSequence: 0,
    feedbackIsNote: false,
  };
  let next = base;
  if (sequence >= base.stateSequence && !(isFinished(base.status) && !isFinished(incoming.status))) {
    next = {
      ...next,
      status: incoming.status,
      progress: incoming.progress ?? null,
      queuePosition: incoming.status === 'QUEUED' ? (incoming.queuePosition ?? null) : null,
      startedAt: incoming.startedAt ?? null,
      finishedAt: incoming.finishedAt ?? null,
      error: incoming.error ?? null,
      runAt: incoming.runAt ?? null,
      nextAttemptAt: incoming.status === 'SCHEDULED' ? (incoming.nextAttemptAt ?? null) : null,
      failedAttempts: incoming.failedAttempts,
      // The task's policy: a restarted server may have another one.
      maxAttempts: incoming.task.retry.attempts,
      stateSequence: sequence,
    };
  }
  if (incoming.feedback !== undefined && sequence > base.feedbackSequence) {
    next = { ...next, latestFeedback: lastLine(incoming.feedback), feedbackSequence: sequence, feedbackIsNote: false };
  }
  return next;
}

/** Applies one taskFeedback event; events the tracker already has are ignored. */
export function applyFeedback(current: TrackedExecution, event: FeedbackEvent): TrackedExecution {
  let next = current;
  if (event.sequence > current.stateSequence && !isFinished(current.status)) {
    next = {
      ...next,
      status: event.status,
      progress: event.progress ?? event.execution.progress ?? next.progress,
      queuePosition: event.status === 'QUEUED' ? next.queuePosition : null,
      startedAt: event.execution.startedAt ?? next.startedAt,
      finishedAt: event.execution.finishedAt ?? next.finishedAt,
      error: event.execution.error ?? next.error,
      runAt: event.execution.runAt ?? next.runAt,
      // A replayed event carries the execution as it is now: only a SCHEDULED event says when it retries.
      nextAttemptAt: event.status === 'SCHEDULED' ? (event.execution.nextAttemptAt ?? next.nextAttemptAt) : null,
      failedAttempts: Math.max(next.failedAttempts, event.execution.failedAttempts),
      stateSequence: event.sequence,
    };
  }
  if (event.sequence > current.feedbackSequence && event.message != null && event.message !== '') {
    // Appended feedback adds this message as a new line; replaced feedback may hold several lines.
    next = { ...next, latestFeedback: lastLine(event.message), feedbackSequence: event.sequence, feedbackIsNote: event.kind === 'STATUS' };
  }
  return next;
}

/**
 * The tracker after a re-read of the lists (the first load, or the catch-up after a reconnect):
 * the listed executions, each merged with what the page has by sequence (so a live event that
 * overtook the answer is kept), plus those in `changedMeanwhile` (told of by live events or
 * mutations while the read was on its way, so possibly newer than the server's answer). Anything
 * else is dropped: the server no longer has it (a restart on the embedded store), or it is older
 * than the lists reach, as on a fresh load.
 */
export function reconcileListed(
  current: ReadonlyMap<string, TrackedExecution>,
  listed: readonly TrackedExecutionInput[],
  changedMeanwhile: ReadonlySet<string>,
): Map<string, TrackedExecution> {
  const next = new Map<string, TrackedExecution>();
  for (const incoming of listed) next.set(incoming.id, mergeExecution(next.get(incoming.id) ?? current.get(incoming.id), incoming));
  for (const id of changedMeanwhile) {
    const kept = current.get(id);
    if (kept && !next.has(id)) next.set(id, kept);
  }
  return next;
}

/** Drops all but the `keep` most recently finished executions (never `exceptId`) from `executions`. */
export function forgetOldestFinished(executions: Map<string, TrackedExecution>, keep: number, exceptId: string | null): void {
  const finished = [...executions.values()].filter((execution) => isFinished(execution.status));
  finished.sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''));
  for (const execution of finished.slice(keep)) {
    if (execution.id !== exceptId) executions.delete(execution.id);
  }
}

/** When a SCHEDULED execution joins the queue: its next attempt's time, or its start time. */
export function dueAt(execution: TrackedExecution): string | null {
  return execution.status === 'SCHEDULED' ? (execution.nextAttemptAt ?? execution.runAt) : null;
}

const trackerRank: Record<TaskExecutionStatus, number> = {
  RUNNING: 0,
  QUEUED: 1,
  SCHEDULED: 2,
  COMPLETED: 3,
  FAILED: 3,
  STOPPED: 3,
  TIMED_OUT: 3,
};

/**
 * Running first, then queued (by queue position), then scheduled (soonest due first), then
 * finished, newest first within each.
 */
export function trackerOrder(a: TrackedExecution, b: TrackedExecution): number {
  const byRank = trackerRank[a.status] - trackerRank[b.status];
  if (byRank !== 0) return byRank;
  if (a.status === 'QUEUED' && a.queuePosition !== null && b.queuePosition !== null) return a.queuePosition - b.queuePosition;
  const dueA = dueAt(a);
  const dueB = dueAt(b);
  if (dueA && dueB && dueA !== dueB) return dueA.localeCompare(dueB);
  const time = (execution: TrackedExecution) => execution.finishedAt ?? execution.startedAt ?? execution.queuedAt;
  return time(b).localeCompare(time(a));
}
