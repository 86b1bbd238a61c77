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
  /** ContractCreator's input snapshot names its group. */
  groupId: string | null;
  /** The sequence that status, progress and times are current with. */
  stateSequence: number;
  /** The latest feedback line, and the sequence it came with (0: none known yet). */
  latestFeedback: string;
  feedbackSequence: number;
}

export type TrackedExecutionInput = TrackedExecutionFragment & { feedback?: string };
export type FeedbackEvent = ExecutionFeedbackSubscription['taskFeedback'];

const terminal: ReadonlySet<TaskExecutionStatus> = new Set(['COMPLETED', 'FAILED', 'STOPPED', 'TIMED_OUT']);

export function isFinished(status: TaskExecutionStatus): boolean {
  return terminal.has(status);
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
    groupId: groupIdOf(incoming.input),
    stateSequence: -1,
    latestFeedback: '',
    feedbackSequence: 0,
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
      stateSequence: sequence,
    };
  }
  if (incoming.feedback !== undefined && sequence > base.feedbackSequence) {
    next = { ...next, latestFeedback: lastLine(incoming.feedback), feedbackSequence: sequence };
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
      stateSequence: event.sequence,
    };
  }
  if (event.sequence > current.feedbackSequence && event.message != null && event.message !== '') {
    // Appended feedback adds this message as a new line; replaced feedback may hold several lines.
    next = { ...next, latestFeedback: lastLine(event.message), feedbackSequence: event.sequence };
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

/** Running first, then queued (by queue position), then finished, newest first within each. */
export function trackerOrder(a: TrackedExecution, b: TrackedExecution): number {
  const rank = (execution: TrackedExecution) => (execution.status === 'RUNNING' ? 0 : execution.status === 'QUEUED' ? 1 : 2);
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  if (a.status === 'QUEUED' && a.queuePosition !== null && b.queuePosition !== null) return a.queuePosition - b.queuePosition;
  const time = (execution: TrackedExecution) => execution.finishedAt ?? execution.startedAt ?? execution.queuedAt;
  return time(b).localeCompare(time(a));
}
