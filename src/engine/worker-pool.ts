import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { Piscina } from 'piscina';
import type { ResourceLimits, TransferListItem } from 'node:worker_threads';
import type { JobListing, WorkerTask, WorkerThreadData } from './worker-messages.js';

/**
 * A module whose named function exports are worker jobs: a URL (`new URL('./jobs.js',
 * import.meta.url)`) or a file path (relative paths from the current directory).
 */
export type WorkerModule = URL | string;

/** The one pool of worker threads shared by every task's CPU-heavy jobs. */
export interface WorkerPool {
  /**
   * Runs the job named `job` (a named export of one of the worker modules) with `payload`. An
   * abort of `signal` terminates the thread running the job (Piscina starts a replacement) and
   * rejects with the signal's reason. A job that fails rejects with a WorkerJobError whose `code`
   * says how (see WorkerFault); a name no module exports, with an UnknownWorkerJobError.
   */
  run<Result>(job: string, payload: unknown, options: { signal: AbortSignal; transferList?: TransferListItem[] }): Promise<Result>;
  /**
   * Loads the worker modules in a thread and resolves with their job names; rejects with what
   * went wrong (a module that does not load, two modules exporting one name). The server awaits
   * it at start, so a broken worker module stops it there, not at the first job.
   */
  ready(): Promise<string[]>;
  readonly threads: number;
  /** Thread ids of the live workers: lets tests prove an aborted job's thread is gone. */
  threadIds(): number[];
  /**
   * For the metrics: live threads, jobs waiting for a thread, and Piscina's utilization (the share
   * of the threads' capacity spent running jobs since the pool started, 0..1).
   */
  stats(): { threads: number; queueSize: number; utilization: number };
  close(): Promise<void>;
}

export interface WorkerPoolOptions {
  /** The worker modules; their job names must not repeat. None is fine: a pool without jobs. */
  modules: WorkerModule[];
  /** Defaults to the available cores. */
  threads?: number;
  /** Per thread. `maxOldGenerationSizeMb` is the heap limit a job's OUT_OF_MEMORY fault names. */
  resourceLimits?: ResourceLimits;
  /**
   * Lowers each worker thread's CPU priority by this nice increment (0 = same as the event loop).
   * Piscina applies it inside the thread through its optional @napi-rs/nice dependency; on Linux
   * nice is per thread, so the main thread keeps its priority.
   */
  niceIncrement?: number;
}

/**
 * How a worker job failed. Only JOB_THREW leaves its thread alive; for the others Piscina has
 * removed the dead thread and started a replacement before the job's promise rejects.
 * - JOB_THREW: the job threw or its promise rejected.
 * - WORKER_EXITED: something in the thread called `process.exit`.
 * - WORKER_CRASHED: an exception outside the job's own promise chain (a timer, an event
 *   handler, possibly left behind by an earlier job on the same thread) killed the thread.
 * - OUT_OF_MEMORY: the thread's heap reached `resourceLimits.maxOldGenerationSizeMb`.
 */
export type WorkerFault = 'JOB_THREW' | 'WORKER_EXITED' | 'WORKER_CRASHED' | 'OUT_OF_MEMORY';

/** `ctx.runInWorker` named a job that no worker module exports. */
export class UnknownWorkerJobError extends Error {
  readonly code = 'UNKNOWN_WORKER_JOB';
  constructor(
    readonly job: string,
    readonly knownJobs: string[],
  ) {
    super(
      `No worker job is named "${job}". ` +
        (knownJobs.length > 0
          ? `The worker modules export: ${knownJobs.join(', ')}.`
          : 'The server has no worker modules: give createServer({ workers }).'),
    );
    this.name = 'UnknownWorkerJobError';
  }
}

export class WorkerJobError extends Error {
  /** The thread's exit code, for WORKER_EXITED. */
  readonly exitCode: number | null;
  /** The configured heap limit in MiB, for OUT_OF_MEMORY (null when none was set). */
  readonly heapLimitMb: number | null;

  constructor(
    readonly code: WorkerFault,
    readonly job: string,
    message: string,
    options: { cause: unknown; exitCode?: number; heapLimitMb?: number },
  ) {
    super(message, { cause: options.cause });
    this.name = 'WorkerJobError';
    this.exitCode = options.exitCode ?? null;
    this.heapLimitMb = options.heapLimitMb ?? null;
  }
}

/** The pool's entry: `.ts` when the server runs from source (tests, tsx), `.js` once built. */
const entry = new URL(`./worker-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const threads = options.threads ?? availableParallelism();
  const workerData: WorkerThreadData = { modules: options.modules.map(moduleUrl) };
  const piscina = new Piscina({
    filename: entry.href,
    workerData,
    minThreads: threads,
    maxThreads: threads,
    // Keep the threads: starting one costs far more than an idle one.
    idleTimeout: Number.POSITIVE_INFINITY,
    resourceLimits: options.resourceLimits,
    execArgv: workerExecArgv(entry),
    niceIncrement: options.niceIncrement ?? 0,
  });
  const uncaught = watchThreadErrors(piscina);
  let closing = false;
  let listing: Promise<string[]> | undefined;
  const ready = () => {
    listing ??= (piscina.run({ kind: 'listJobs' } satisfies WorkerTask) as Promise<JobListing>).then((answer) => answer.jobs);
    return listing;
  };

  return {
    threads,
    ready,
    async run<Result>(job: string, payload: unknown, runOptions: { signal: AbortSignal; transferList?: TransferListItem[] }) {
      const known = await ready();
      if (!known.includes(job)) throw new UnknownWorkerJobError(job, known);
      try {
        return (await piscina.run({ kind: 'run', job, payload } satisfies WorkerTask, {
          signal: runOptions.signal,
          transferList: runOptions.transferList as never,
        })) as Result;
      } catch (error) {
        // Piscina rejects with its own AbortError; callers tell stop from timeout by the reason.
        if (runOptions.signal.aborted) throw runOptions.signal.reason;
        // Closing terminates busy threads; that is the pool's doing, not the job's.
        if (closing) throw error;
        throw workerJobError(job, error, { uncaught, heapLimitMb: options.resourceLimits?.maxOldGenerationSizeMb });
      }
    },
    threadIds() {
      return piscina.threads.map((thread) => thread.threadId);
    },
    stats() {
      return { threads: piscina.threads.length, queueSize: piscina.queueSize, utilization: piscina.utilization };
    },
    async close() {
      closing = true;
      await piscina.destroy();
    },
  };
}

/**
 * Turns what Piscina 5.3 rejects a job with into a WorkerJobError; the one place that knows its
 * shapes (pinned by test/engine/engine.worker-faults.test.ts):
 * - a thrown error crosses the thread boundary by structured clone: message, stack and the
 *   built-in name (TypeError, ...) survive; a custom class's name and extra fields such as
 *   `code` do not, so an error from the worker can never pass for one of Node's below;
 * - a heap over its limit: Node's own error with code ERR_WORKER_OUT_OF_MEMORY;
 * - `process.exit(n)`: Piscina's `new Error('worker exited with code: n')`, no code to branch on;
 * - an uncaught exception in the thread: the thread's 'error' event value, seen in `uncaught`.
 * A payload that cannot be cloned fails on this side with a DataCloneError: a bug in the flow,
 * passed on as is.
 */
function workerJobError(job: string, error: unknown, context: { uncaught: WeakSet<object>; heapLimitMb: number | undefined }): Error {
  if (error instanceof DOMException && error.name === 'DataCloneError') return error;
  if (error instanceof Error && (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const limit = context.heapLimitMb === undefined ? '' : ` (heap limit ${context.heapLimitMb} MiB)`;
    return new WorkerJobError('OUT_OF_MEMORY', job, `The worker job ${job} ran out of memory${limit}`, {
      cause: error,
      heapLimitMb: context.heapLimitMb,
    });
  }
  const exited = error instanceof Error ? /^worker exited with code: (-?\d+)$/.exec(error.message) : null;
  if (exited) {
    const exitCode = Number(exited[1]);
    return new WorkerJobError('WORKER_EXITED', job, `The worker thread running ${job} exited (process.exit(${exitCode})) before the job finished`, {
      cause: error,
      exitCode,
    });
  }
  if (typeof error === 'object' && error !== null && context.uncaught.has(error)) {
    return new WorkerJobError('WORKER_CRASHED', job, `The worker thread running ${job} crashed with an uncaught exception: ${describeThrown(error)}`, {
      cause: error,
    });
  }
  return new WorkerJobError('JOB_THREW', job, `The worker job ${job} threw: ${describeThrown(error)}`, { cause: error });
}

/**
 * Records the values threads die of ('error' events), so a job rejected with one of them is told
 * apart from a job that threw. Piscina's own listener, attached first, rejects the job inside the
 * same emit, so the value is recorded before the rejection reaches `run`'s catch. A thread gets
 * no job before Piscina reports it as created.
 */
function watchThreadErrors(piscina: Piscina): WeakSet<object> {
  const uncaught = new WeakSet<object>();
  piscina.on('workerCreate', (worker: { id: number }) => {
    const thread = piscina.threads.find((candidate) => candidate.threadId === worker.id);
    thread?.on('error', (error: unknown) => {
      if (typeof error === 'object' && error !== null) uncaught.add(error);
    });
  });
  return uncaught;
}

/** Longest description of a thrown value kept in an execution's error, in characters. */
const maxThrownDescription = 1_000;

function describeThrown(thrown: unknown): string {
  let text: string;
  if (thrown instanceof Error) {
    const message = thrown.message || '(no message)';
    text = thrown.name && thrown.name !== 'Error' ? `${thrown.name}: ${message}` : message;
  } else if (typeof thrown === 'string') {
    text = thrown;
  } else {
    text = inspect(thrown, { depth: 2, breakLength: Number.POSITIVE_INFINITY, maxArrayLength: 10, maxStringLength: 200 });
  }
  return text.length > maxThrownDescription ? `${text.slice(0, maxThrownDescription)}…` : text;
}

function moduleUrl(module: WorkerModule): string {
  if (module instanceof URL) return module.href;
  if (/^file:/.test(module)) return module;
  return pathToFileURL(isAbsolute(module) ? module : resolve(module)).href;
}

/** A `.ts` worker entry (tests, `tsx` runs) needs the TypeScript loader inside each worker. */
function workerExecArgv(filename: URL): string[] {
  if (!filename.pathname.endsWith('.ts')) return process.execArgv;
  return [...process.execArgv, '--import', new URL('./register-tsx-in-worker.mjs', import.meta.url).href];
}
