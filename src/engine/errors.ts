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

/** A write from an attempt that no longer holds its execution (stopped, timed out, recovered). */
export class ExecutionNoLongerRunningError extends Error {
  readonly code = 'EXECUTION_NO_LONGER_RUNNING';
  constructor(executionId: string) {
    super(`Execution ${executionId} is no longer running in this attempt`);
    this.name = 'ExecutionNoLongerRunningError';
  }
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

export type AbortReason = TaskStoppedError | TaskTimeoutError | EngineShutdownError | LeaseLostError;
