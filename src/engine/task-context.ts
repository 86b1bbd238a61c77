import type { TransferListItem } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { FeedbackMode } from './execution.js';

export interface FeedbackOptions {
  /** `replace` (the default) sets the feedback text; `append` adds the message as a new line. */
  mode?: 'replace' | 'append';
  /** 0..1; when left out, the progress stays as it was. */
  progress?: number;
}

/** What a task's `run` flow gets (WEM: the Input folder, Send Feedback, and the worker pool). */
export interface TaskContext<Input = unknown> {
  executionId: string;
  task: string;
  /** Who started the execution (an API token's name), null when the server runs open. */
  startedBy: string | null;
  /** 1 for the first run; raised when a crashed attempt is retried. */
  attempt: number;
  /** The input snapshot taken at start. */
  input: Input;
  /** Aborted on stop or timeout; the reason tells which (TaskStoppedError or TaskTimeoutError). */
  signal: AbortSignal;
  /**
   * Send Feedback: replaces or appends (as a new line) the execution's feedback text, sets the
   * progress (0..1) when given, stores an event and pushes it to subscribers. Rejects once the
   * execution is no longer running, so a flow that ignores its signal cannot write after a stop.
   */
  feedback(message: string, options?: FeedbackOptions): Promise<void>;
  /**
   * Runs a CPU-heavy job in the shared worker pool under this execution's signal: `job` is a named
   * export of one of the server's worker modules (an unknown name rejects with an
   * UnknownWorkerJobError that lists the known ones). A stop or timeout terminates its thread.
   * `transferList` moves ArrayBuffers or MessagePorts in the payload instead of copying them.
   */
  runInWorker<Result>(job: string, payload: unknown, options?: { transferList?: TransferListItem[] }): Promise<Result>;
  /** Threads in the shared pool: how many jobs a flow can usefully keep in flight. */
  workerThreads: number;
  log: Logger;
}

export const feedbackModes: Record<'replace' | 'append', FeedbackMode> = { replace: 'REPLACE', append: 'APPEND' };

/** Longest feedback message accepted, in characters; feedback is a status line, not a log file. */
export const maxFeedbackMessageLength = 4_000;
