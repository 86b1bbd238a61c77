/** Execution statuses and the one table of allowed transitions (DESIGN.md, "Concepts"). */

export const executionStatuses = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'STOPPED', 'TIMED_OUT'] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];

export type TerminalStatus = Extract<ExecutionStatus, 'COMPLETED' | 'FAILED' | 'STOPPED' | 'TIMED_OUT'>;

/**
 * RUNNING→QUEUED: a lease expired and the attempt is retried (crash recovery), or a server shutting
 * down hands its running work back. QUEUED→FAILED: the embedded store shuts down, and with it every
 * execution that never ran (its data goes with the process).
 */
const allowedTransitions: Record<ExecutionStatus, readonly ExecutionStatus[]> = {
  QUEUED: ['RUNNING', 'STOPPED', 'FAILED'],
  RUNNING: ['COMPLETED', 'FAILED', 'STOPPED', 'TIMED_OUT', 'QUEUED'],
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

export type FeedbackMode = 'REPLACE' | 'APPEND';

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
  /** The engine instance that holds the running attempt. */
  owner: string | null;
  leaseExpiresAt: Date | null;
  /** Sequence number of the latest event of this execution (events start at 1). */
  lastSequence: number;
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
