import type { Logger } from 'pino';
import { StoreUnavailableError, type ExecutionStore, type TaskLimits } from '../store/store.js';
import {
  EndedElsewhereError,
  EngineShutdownError,
  ExecutionNoLongerRunningError,
  isNonRetryable,
  LeaseLostError,
  TaskStoppedError,
  TaskTimeoutError,
  type AbortReason,
} from './errors.js';
import type { ExecutionEvents } from './events.js';
import type { AttemptOutcome, Execution, ExecutionStatus, TerminalStatus } from './execution.js';
import { backoffMs, retryPolicyOf } from './retry-policy.js';
import { feedbackModes, maxFeedbackMessageLength, type TaskContext } from './task-context.js';
import type { AnyTaskDefinition } from './task-definition.js';
import type { WorkerPool } from './worker-pool.js';

export interface DispatcherDeps {
  executions: ExecutionStore;
  pool: WorkerPool;
  events: ExecutionEvents;
  logger: Logger;
  clock: () => Date;
  definition(task: string): AnyTaskDefinition | undefined;
  limits(task: string): Promise<TaskLimits>;
  /** An execution was set to run again at `at` (a retry after its backoff). */
  scheduled(at: Date): void;
  /** In [0, 1): the jitter of retry backoffs. */
  random?: () => number;
}

export interface DispatcherOptions {
  /** Identifies this engine instance as the owner of the executions it runs. */
  ownerId: string;
  leaseMs: number;
  /**
   * After an abort, how long the flow may take to notice its signal before the terminal status
   * is written anyway. Within it, a cooperative flow finishes its last write, so nothing is
   * written after TaskStopped is returned; past it, a flow that ignores its signal loses its slot.
   */
  abortGraceMs: number;
  /**
   * At shutdown, put running executions back in the queue (a durable store: another instance or
   * the restarted one runs them again) instead of failing them (the embedded store, whose data
   * goes with the process).
   */
  handBackOnShutdown: boolean;
}

interface RunningExecution {
  task: string;
  attempt: number;
  /** The sequence of the claim: a change at or before it is older news than this run. */
  claimedAt: number;
  /** Set once the run writes its own end: changes from then on are that write coming back. */
  finishing: boolean;
  controller: AbortController;
  /** Resolves once the terminal status is written and the slot is free. */
  settled: Promise<void>;
}

/**
 * Claims queued executions (FIFO per task, up to each task's concurrency) and runs them:
 * timeout from the start of running, stop through an AbortSignal, one conditional terminal write.
 */
export function createDispatcher(deps: DispatcherDeps, options: DispatcherOptions) {
  const running = new Map<string, RunningExecution>();
  /** The pump in progress per task: at close, claims still in flight are awaited (and so drained). */
  const pumping = new Map<string, Promise<void>>();
  const pumpAgain = new Set<string>();
  let closed = false;
  /**
   * Set while shutting down: no lease is renewed past the end of the drain. If the process is
   * killed mid-drain (SIGKILL after the runtime's grace), its executions are recovered by another
   * instance soon after that moment instead of a whole LEASE_MS later.
   */
  let leaseCap: Date | null = null;

  // A running execution's lease is renewed well before it runs out, so only a dead or stuck
  // process loses it. A failed renewal means another instance stopped or recovered the
  // execution: the local run is aborted at once so it cannot keep a slot it no longer holds.
  let renewal: Promise<void> | null = null;
  const leaseTimer = setInterval(() => {
    if (renewal || running.size === 0) return;
    renewal = renewLeases().finally(() => (renewal = null));
  }, Math.max(50, Math.floor(options.leaseMs / 3)));
  leaseTimer.unref();

  /** Renews every running lease, all at once: one slow write must not hold up the others. */
  async function renewLeases(): Promise<void> {
    await Promise.all(
      [...running].map(async ([id, entry]) => {
        // Read per lease, not once per round: a cap set at shutdown applies to every later write.
        const renewed = new Date(deps.clock().getTime() + options.leaseMs);
        const until = leaseCap && leaseCap < renewed ? leaseCap : renewed;
        try {
          if (!(await deps.executions.renewLease(id, entry.attempt, until))) entry.controller.abort(new LeaseLostError());
        } catch (error) {
          deps.logger.warn({ err: error, executionId: id }, 'lease renewal failed; retrying');
        }
      }),
    );
  }

  /** Claims and launches executions of `task` while slots are free. Never runs twice at once per task. */
  async function pump(task: string): Promise<void> {
    if (closed) return;
    if (pumping.has(task)) {
      pumpAgain.add(task);
      return;
    }
    const work = claimWhileFree(task);
    pumping.set(task, work);
    await work;
  }

  async function claimWhileFree(task: string): Promise<void> {
    try {
      do {
        pumpAgain.delete(task);
        const limits = await deps.limits(task);
        while (!closed) {
          const at = deps.clock();
          const claimed = await deps.executions.claimNext(task, {
            owner: options.ownerId,
            at,
            leaseExpiresAt: new Date(at.getTime() + options.leaseMs),
            maxConcurrentExecutions: limits.maxConcurrentExecutions,
          });
          if (!claimed) break;
          deps.events.publish(claimed);
          launch(claimed.execution, limits);
        }
      } while (pumpAgain.has(task) && !closed);
    } catch (error) {
      deps.logger.error({ err: error, task }, 'dispatch failed');
    } finally {
      pumping.delete(task);
    }
  }

  function launch(execution: Execution, limits: TaskLimits): void {
    const controller = new AbortController();
    let markSettled!: () => void;
    const settled = new Promise<void>((resolve) => (markSettled = resolve));
    const entry: RunningExecution = { task: execution.task, attempt: execution.attempt, claimedAt: execution.lastSequence, finishing: false, controller, settled };
    running.set(execution.id, entry);
    void runToEnd(execution, limits, entry)
      .catch((error) => deps.logger.error({ err: error, executionId: execution.id }, 'execution bookkeeping failed'))
      .finally(() => {
        running.delete(execution.id);
        markSettled();
        void pump(execution.task);
      });
  }

  async function runToEnd(execution: Execution, limits: TaskLimits, entry: RunningExecution): Promise<void> {
    const { controller } = entry;
    const log = deps.logger.child({ executionId: execution.id, task: execution.task, attempt: execution.attempt });
    const definition = deps.definition(execution.task);
    if (!definition) {
      await finish(execution, 'FAILED', { error: `Task ${execution.task} is not registered on this server` });
      return;
    }
    const timeout = setTimeout(
      () => controller.abort(new TaskTimeoutError(limits.timeoutMinutes)),
      limits.timeoutMinutes * 60_000,
    );
    const aborted = new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve(), { once: true }));
    const flow = Promise.resolve().then(() => definition.run(contextFor(execution, entry, log)));
    try {
      const outcome = await Promise.race([
        flow.then(
          (result: unknown) => ({ kind: 'completed' as const, result }),
          (error: unknown) => ({ kind: 'failed' as const, error }),
        ),
        aborted.then(() => ({ kind: 'aborted' as const })),
      ]);
      if (outcome.kind === 'completed') {
        const stored = storableResult(outcome.result);
        entry.finishing = true;
        if (stored.ok) await finish(execution, 'COMPLETED', { result: stored.value });
        else await finish(execution, 'FAILED', { error: stored.error });
      } else if (outcome.kind === 'failed' && !controller.signal.aborted) {
        entry.finishing = true;
        const error = describeError(outcome.error);
        // The status change is logged once, at info with the error (lifecycle-log.ts); the stack is for debugging.
        log.debug({ err: outcome.error }, 'the flow threw');
        if (isNonRetryable(outcome.error) || !(await retried(execution, definition, 'FAILED', error))) {
          await finish(execution, 'FAILED', { error, failedAttempts: execution.failedAttempts + 1 });
        }
      } else {
        // Give a cooperative flow a moment to unwind, so its last write lands before the status.
        const unwound = await settledWithin(flow, options.abortGraceMs);
        entry.finishing = true;
        const reason = controller.signal.reason as AbortReason;
        if (reason instanceof EndedElsewhereError) {
          // Its end is written already, by whoever ended it; from here on nothing of this run is written.
          log.info({ unwound }, 'the aborted run has ended here');
        } else if (reason instanceof EngineShutdownError && options.handBackOnShutdown) {
          await finish(execution, 'QUEUED', { message: `${reason.message}: queued again for another server` });
        } else if (reason instanceof TaskTimeoutError && retryPolicyOf(definition.retry).retryTimeouts) {
          // Under this policy a timeout is a failed attempt like an error.
          if (!(await retried(execution, definition, 'TIMED_OUT', reason.message))) {
            await finish(execution, 'TIMED_OUT', { error: reason.message, failedAttempts: execution.failedAttempts + 1 });
          }
        } else {
          await finish(execution, statusFor(reason), { error: reason.message });
        }
      }
    } finally {
      clearTimeout(timeout);
    }
  }

  /**
   * A failed (or timed out) attempt under the task's retry policy: if attempts are left, the
   * execution waits its backoff SCHEDULED and runs again; its feedback log says so. False when
   * none are left (the caller ends it).
   */
  async function retried(execution: Execution, definition: AnyTaskDefinition, outcome: 'FAILED' | 'TIMED_OUT', error: string): Promise<boolean> {
    const policy = retryPolicyOf(definition.retry);
    const failedAttempts = execution.failedAttempts + 1;
    if (failedAttempts >= policy.attempts) return false;
    const waitMs = backoffMs(policy, failedAttempts, (deps.random ?? Math.random)());
    const at = deps.clock();
    const runAt = new Date(at.getTime() + waitMs);
    const what = outcome === 'TIMED_OUT' ? 'timed out' : 'failed';
    const message = `Attempt ${failedAttempts} of ${policy.attempts} ${what}: ${error}. Retrying in ${waitMs} ms (at ${runAt.toISOString()})`;
    await finish(execution, 'SCHEDULED', { at, error, message, runAt, failedAttempts, attemptOutcome: outcome });
    deps.scheduled(runAt);
    return true;
  }

  /**
   * The one conditional write that ends this attempt (or hands it back at shutdown). While the
   * store is unreachable it is retried, with back-off, for as long as the attempt's lease can
   * still be valid (at shutdown, until the end of the drain): a database blip as an execution
   * completes must not throw its result away and have it run again.
   */
  async function finish(
    execution: Execution,
    to: TerminalStatus | 'QUEUED' | 'SCHEDULED',
    outcome: {
      /** When the attempt ended; default now. */
      at?: Date;
      result?: unknown;
      error?: string;
      message?: string;
      /** With SCHEDULED: when it runs again, and the failed attempts counted so far. */
      runAt?: Date;
      failedAttempts?: number;
      /** How this attempt ended, for its record; by default what `to` says. */
      attemptOutcome?: AttemptOutcome;
    },
  ): Promise<void> {
    const at = outcome.at ?? deps.clock();
    const deadline = Math.min(Date.now() + options.leaseMs, leaseCap?.getTime() ?? Number.POSITIVE_INFINITY);
    for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2_000)) {
      try {
        const change = await deps.executions.transition(execution.id, {
          from: 'RUNNING',
          to,
          attempt: execution.attempt,
          at,
          result: outcome.result,
          error: outcome.error ?? null,
          message: outcome.message ?? outcome.error ?? null,
          runAt: outcome.runAt,
          failedAttempts: outcome.failedAttempts,
          endedAttempt: {
            outcome: outcome.attemptOutcome ?? (to === 'QUEUED' ? 'HANDED_BACK' : (to as Exclude<typeof to, 'SCHEDULED'>)),
            error: outcome.error ?? null,
          },
        });
        if (change) deps.events.publish(change);
        return;
      } catch (error) {
        if (!(error instanceof StoreUnavailableError) || Date.now() + delayMs > deadline) throw error;
        deps.logger.warn({ executionId: execution.id, to, retryInMs: delayMs }, 'the store is unreachable; retrying the final status');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /** Aborts a local run whose execution another instance ended (or took over); once. */
  function abortEndedElsewhere(entry: RunningExecution, execution: Execution, status: ExecutionStatus): void {
    if (entry.controller.signal.aborted) return;
    deps.logger.info(
      { executionId: execution.id, task: execution.task, attempt: entry.attempt, status },
      'execution ended by another server: aborting its run here',
    );
    entry.controller.abort(new EndedElsewhereError(status));
  }

  function contextFor(execution: Execution, entry: RunningExecution, log: Logger): TaskContext {
    const { signal } = entry.controller;
    return {
      executionId: execution.id,
      task: execution.task,
      startedBy: execution.startedBy,
      attempt: execution.attempt,
      input: execution.input,
      signal,
      workerThreads: deps.pool.threads,
      log,
      async feedback(message, feedbackOptions = {}) {
        signal.throwIfAborted();
        const progress = feedbackOptions.progress ?? null;
        if (progress !== null && !(progress >= 0 && progress <= 1)) {
          throw new RangeError(`progress must be between 0 and 1 (got ${progress})`);
        }
        if (message.length > maxFeedbackMessageLength) {
          throw new RangeError(`feedback messages are limited to ${maxFeedbackMessageLength} characters (got ${message.length})`);
        }
        const change = await deps.executions.recordFeedback(execution.id, execution.attempt, {
          message,
          mode: feedbackModes[feedbackOptions.mode ?? 'replace'],
          progress,
          at: deps.clock(),
        });
        if (!change) {
          // Refused: another instance ended it or took it over, and this write told us before the
          // cluster feed did. The run is aborted the same way (its worker jobs too), and the flow
          // learns what the execution is now, to tell "ended" from "taken over by another attempt".
          const current = await deps.executions.get(execution.id).catch(() => null);
          abortEndedElsewhere(entry, execution, current?.status ?? 'QUEUED');
          throw new ExecutionNoLongerRunningError(execution.id, current?.status ?? null);
        }
        deps.events.publish(change);
      },
      runInWorker(job, payload, runOptions = {}) {
        signal.throwIfAborted();
        return deps.pool.run(job, payload, { signal, transferList: runOptions.transferList });
      },
    };
  }

  return {
    pump,
    /** Aborts a locally running execution and resolves once its terminal status is written. */
    async abortLocal(executionId: string, reason: AbortReason): Promise<boolean> {
      const entry = running.get(executionId);
      if (!entry) return false;
      entry.controller.abort(reason);
      await entry.settled;
      return true;
    },
    runningCount(): number {
      return running.size;
    },
    /**
     * A change of an execution written anywhere: if it runs here and the change says this run is
     * over (stopped, or recovered and claimed by another attempt), the run is aborted at once:
     * its worker threads are terminated and nothing more of it is written.
     */
    noticeChange(execution: Execution): void {
      const entry = running.get(execution.id);
      if (!entry || entry.finishing || execution.lastSequence <= entry.claimedAt) return;
      if (execution.status === 'RUNNING' && execution.attempt === entry.attempt) return;
      abortEndedElsewhere(entry, execution, execution.status);
    },
    /**
     * Stops claiming, lets running executions finish for up to `graceMs` (their leases are still
     * renewed meanwhile), then aborts the rest, so nothing is left RUNNING here.
     */
    async close(graceMs = 0): Promise<void> {
      closed = true;
      // A claim in flight ends in a launch: wait for it, so what it launches is drained too.
      await Promise.all(pumping.values());
      // The drain ends after the grace, the abort grace and the hand back; a second of margin.
      leaseCap = new Date(deps.clock().getTime() + graceMs + options.abortGraceMs + 1_000);
      // A renewal in flight computed its leases before the cap: let it land, then cap them all.
      // The grace runs meanwhile: an unreachable store must not lengthen the drain.
      const capping = (renewal ?? Promise.resolve())
        .then(() => (running.size > 0 ? renewLeases() : undefined))
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not shorten the leases at shutdown'));
      const finishing = [...running.values()];
      if (graceMs > 0 && finishing.length > 0) {
        await settledWithin(Promise.all(finishing.map((entry) => entry.settled)), graceMs);
      }
      const left = [...running.values()];
      for (const entry of left) entry.controller.abort(new EngineShutdownError());
      await Promise.all(left.map((entry) => entry.settled));
      await capping;
      clearInterval(leaseTimer);
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

function statusFor(reason: Exclude<AbortReason, EndedElsewhereError>): TerminalStatus {
  if (reason instanceof TaskStoppedError) return 'STOPPED';
  if (reason instanceof TaskTimeoutError) return 'TIMED_OUT';
  return 'FAILED';
}

/** Largest result a flow may return, as JSON, in bytes: results are status data, not payloads. */
const maxResultBytes = 1024 * 1024;

/** A result must survive storage and the API as JSON; anything else fails the execution clearly. */
function storableResult(result: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  let json: string | undefined;
  try {
    json = JSON.stringify(result ?? null);
  } catch (error) {
    return { ok: false, error: `The task's result is not JSON-serialisable: ${describeError(error)}` };
  }
  if (json === undefined) return { ok: false, error: "The task's result is not JSON-serialisable" };
  if (Buffer.byteLength(json) > maxResultBytes) {
    return { ok: false, error: `The task's result is ${Buffer.byteLength(json)} bytes of JSON; the limit is ${maxResultBytes}` };
  }
  return { ok: true, value: JSON.parse(json) };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** Waits for `promise` to settle, but no longer than `ms`; never rejects. True when it settled in time. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(yes, yes), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function yes(): true {
  return true;
}
