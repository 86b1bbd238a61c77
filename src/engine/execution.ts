/** Execution statuses and the one table of allowed transitions (DESIGN.md, "Concepts"). */

export const executionStatuses = ['SCHEDULED', 'QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'STOPPED', 'TIMED_OUT'] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];

export type TerminalStatus = Extract<ExecutionStatus, 'COMPLETED' | 'FAILED' | 'STOPPED' | 'TIMED_OUT'>;

/**
 * SCHEDULED→QUEUED: its time (runAt) came: a delayed start, or a retry after its backoff.
 * RUNNING→SCHEDULED: an attempt failed and the task's retry policy allows another one, after a
 * backoff. RUNNING→QUEUED: a lease expired and the attempt is retried (crash recovery), or a server
 * shutting down hands its running work back. SCHEDULED|QUEUED→FAILED: the embedded store shuts
 * down, and with it every execution that never ran (its data goes with the process).
 */
const allowedTransitions: Record<ExecutionStatus, readonly ExecutionStatus[]> = {
  SCHEDULED: ['QUEUED', 'STOPPED', 'FAILED'],
  QUEUED: ['RUNNING', 'STOPPED', 'FAILED'],
  RUNNING: ['COMPLETED', 'FAILED', 'STOPPED', 'TIMED_OUT', 'QUEUED', 'SCHEDULED'],
  COMPLETED: [],
  FAILED: [],
  STOPPED: [],
  TIMED_OUT: [],
};

export function canTransition(from: ExecutionStatus, to: ExecutionStatus): boolean {
  return allowedTransitions[from].includes(to);
}

export function isTerminal(status: ExecutionStatus): status is TerminalStatus {
  return allowedTransitions[status].length === 0;
}

/** The statuses an execution ends in, as a list (for store queries). */
export const terminalStatuses: readonly TerminalStatus[] = executionStatuses.filter(isTerminal);

export type FeedbackMode = 'REPLACE' | 'APPEND';

/**
 * How one attempt (one run) ended. LOST: its server died (the lease expired); HANDED_BACK: its
 * server shut down cleanly and queued it again.
 */
export const attemptOutcomes = ['COMPLETED', 'FAILED', 'TIMED_OUT', 'STOPPED', 'LOST', 'HANDED_BACK'] as const;
export type AttemptOutcome = (typeof attemptOutcomes)[number];

/** One ended attempt of an execution, kept with it: what a retrying execution shows per attempt. */
export interface AttemptRecord {
  attempt: number;
  startedAt: Date | null;
  endedAt: Date;
  outcome: AttemptOutcome;
  error: string | null;
}

/** Most attempt records kept per execution (the newest ones). */
export const maxAttemptRecords = 100;

/** One stored execution: the record every store adapter keeps. */
export interface Execution {
  id: string;
  task: string;
  status: ExecutionStatus;
  /** Who started it (the API token's name); null when the server runs open. */
  startedBy: string | null;
  /** The input snapshot taken at start: validated input plus what the task resolved then. */
  input: unknown;
  feedback: string;
  /** 0..1, or null when the task never reported progress. */
  progress: number | null;
  result: unknown;
  error: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /**
   * How many times the execution has started running: raised by every claim, so a write from an
   * older attempt is rejected. Runs handed back at a clean shutdown count here too.
   */
  attempt: number;
  /** Attempts whose server died while running them (their lease expired): MAX_ATTEMPTS bounds these. */
  lostAttempts: number;
  /**
   * Attempts that failed (an error, or a timeout when the retry policy retries those): the task's
   * `retry.attempts` bounds these. Lost and handed-back runs do not count here.
   */
  failedAttempts: number;
  /** Every ended attempt, oldest first (at most maxAttemptRecords, the newest). */
  attempts: AttemptRecord[];
  /** Higher runs first among a task's waiting executions; FIFO within one priority. Default 0. */
  priority: number;
  /**
   * While SCHEDULED: when it joins the queue (a delayed start, or the next attempt after a
   * backoff). Afterwards, the last time it was due; null when it was never scheduled.
   */
  runAt: Date | null;
  /** The execution this one retries (retryExecution), if any. */
  retryOf: string | null;
  /** The schedule that started it, if any. */
  scheduleId: string | null;
  /** The engine instance that holds the running attempt. */
  owner: string | null;
  leaseExpiresAt: Date | null;
  /** Sequence number of the latest event of this execution (events start at 1). */
  lastSequence: number;
  /**
   * Once finished: when it is deleted with its events (and what its task keeps for it, such as
   * contracts), by its task's retention. Null until it finishes.
   */
  expiresAt: Date | null;
}

/** One entry of an execution's event log: a status change or a feedback message. */
export interface ExecutionEvent {
  executionId: string;
  sequence: number;
  at: Date;
  kind: 'STATUS' | 'FEEDBACK';
  /** Status of the execution right after this event. */
  status: ExecutionStatus;
  message: string | null;
  mode: FeedbackMode | null;
  progress: number | null;
}
