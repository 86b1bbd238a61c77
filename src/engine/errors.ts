import { isTerminal, type ExecutionStatus } from './execution.js';

/** Abort reasons and the errors a flow sees; each has a stable `code` to branch on. */

export class TaskStoppedError extends Error {
  readonly code = 'TASK_STOPPED';
  constructor() {
    super('The execution was stopped');
    this.name = 'TaskStoppedError';
  }
}

export class TaskTimeoutError extends Error {
  readonly code = 'TASK_TIMED_OUT';
  constructor(readonly timeoutMinutes: number) {
    super(`The execution did not finish within its timeout of ${timeoutMinutes} minute(s)`);
    this.name = 'TaskTimeoutError';
  }
}

export class EngineShutdownError extends Error {
  readonly code = 'ENGINE_SHUTDOWN';
  constructor() {
    super('The server shut down while the execution was running');
    this.name = 'EngineShutdownError';
  }
}

/** This process no longer holds the execution: another instance stopped or recovered it. */
export class LeaseLostError extends Error {
  readonly code = 'LEASE_LOST';
  constructor() {
    super('This server no longer holds the execution (it was stopped or recovered elsewhere)');
    this.name = 'LeaseLostError';
  }
}

/**
 * A write from an attempt that no longer holds its execution (stopped, timed out, recovered),
 * refused by the store. `status` is the execution's status when it was refused, if known.
 */
export class ExecutionNoLongerRunningError extends Error {
  readonly code = 'EXECUTION_NO_LONGER_RUNNING';
  constructor(
    executionId: string,
    readonly status: ExecutionStatus | null = null,
  ) {
    super(`Execution ${executionId} is no longer running in this attempt${status ? ` (it is ${status})` : ''}`);
    this.name = 'ExecutionNoLongerRunningError';
  }

  /** True when the execution has ended for good: no later attempt will pick up what this one left. */
  get ended(): boolean {
    return this.status !== null && isTerminal(this.status);
  }
}

/**
 * A live stream (feedback or tracker) cannot go on: the cluster's event source has been lost
 * (the database is unreachable) for longer than CLUSTER_EVENTS_LOST_MS, so events written by
 * other instances can no longer be promised. Clients subscribe again later; a feedback stream
 * resumes without gaps with `afterSequence` (the last sequence it delivered).
 */
export class EventsUnavailableError extends Error {
  readonly code = 'EVENTS_UNAVAILABLE';
  constructor(cause: unknown) {
    super(
      `Live events are unavailable: ${(cause as Error)?.message ?? String(cause)}. Subscribe again shortly (a feedback stream with afterSequence set to the last sequence it delivered).`,
      { cause },
    );
    this.name = 'EventsUnavailableError';
  }
}

/** The execution was stopped by another instance, or is no longer this attempt's: its flow is aborted. */
export class EndedElsewhereError extends Error {
  readonly code = 'ENDED_ELSEWHERE';
  constructor(readonly status: ExecutionStatus) {
    super(`The execution was ended by another server (it is now ${status})`);
    this.name = 'EndedElsewhereError';
  }
}

/**
 * Thrown by a flow to fail its execution at once, whatever its task's retry policy says: the
 * input can never work (a missing record, a refused card), so waiting and trying again is waste.
 * Recognised by its `code`, so a copy of this class from another install of the package works too.
 */
export class NonRetryableError extends Error {
  readonly code = 'NON_RETRYABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}

export function isNonRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'NON_RETRYABLE';
}

/**
 * A feedback stream asked to start after a sequence the execution has not reached: no client can
 * have seen that event, and a stream waiting for it would never deliver anything, nor end.
 */
export class SequenceAheadError extends Error {
  readonly code = 'SEQUENCE_AHEAD';
  constructor(
    readonly afterSequence: number,
    readonly lastSequence: number,
  ) {
    super(`afterSequence ${afterSequence} is past the execution's latest event (sequence ${lastSequence})`);
    this.name = 'SequenceAheadError';
  }
}

/**
 * Whether `error` (a flow's abort reason, or a write the store refused) means the execution is
 * over for good: stopped, timed out, or ended by another server in a final status. False when it
 * goes on in another attempt (handed back at shutdown, recovered after a lost lease), which
 * resumes from what this one stored. A flow with side effects of its own (the contract example
 * stores a contract, then announces it) undoes the one under way only when this is true.
 */
export function endsExecution(error: unknown): boolean {
  if (error instanceof ExecutionNoLongerRunningError) return error.ended;
  if (error instanceof EndedElsewhereError) return isTerminal(error.status);
  return error instanceof TaskStoppedError || error instanceof TaskTimeoutError;
}

export type AbortReason = TaskStoppedError | TaskTimeoutError | EngineShutdownError | LeaseLostError | EndedElsewhereError;
