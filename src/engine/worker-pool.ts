import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ResourceLimits, TransferListItem } from 'node:worker_threads';

/** The one pool of worker threads shared by every task's CPU-heavy jobs. */
export interface WorkerPool {
  /**
   * Runs the named export of the worker entry with `payload`. An abort of `signal` terminates
   * the thread running the job (Piscina starts a replacement) and rejects with the signal's reason.
   */
  run<Result>(job: string, payload: unknown, options: { signal: AbortSignal; transferList?: TransferListItem[] }): Promise<Result>;
  readonly threads: number;
  /** Thread ids of the live workers: lets tests prove an aborted job's thread is gone. */
  threadIds(): number[];
  close(): Promise<void>;
}

export interface WorkerPoolOptions {
  /** The worker entry module (`.ts` runs through tsx, `.js` as is). */
  filename: URL;
  /** Defaults to the available cores. */
  threads?: number;
  resourceLimits?: ResourceLimits;
}

export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const threads = options.threads ?? availableParallelism();
  const piscina = new Piscina({
    filename: options.filename.href,
    minThreads: threads,
    maxThreads: threads,
    // Keep the threads: starting one costs far more than an idle one.
    idleTimeout: Number.POSITIVE_INFINITY,
    resourceLimits: options.resourceLimits,
    execArgv: workerExecArgv(options.filename),
  });

  return {
    threads,
    async run<Result>(job: string, payload: unknown, runOptions: { signal: AbortSignal; transferList?: TransferListItem[] }) {
      try {
        return (await piscina.run(payload, {
          name: job,
          signal: runOptions.signal,
          transferList: runOptions.transferList as never,
        })) as Result;
      } catch (error) {
        // Piscina rejects with its own AbortError; callers tell stop from timeout by the reason.
        if (runOptions.signal.aborted) throw runOptions.signal.reason;
        throw error;
      }
    },
    threadIds() {
      return piscina.threads.map((thread) => thread.threadId);
    },
    async close() {
      await piscina.destroy();
    },
  };
}

/** A `.ts` worker entry (tests, `tsx` runs) needs the TypeScript loader inside each worker. */
function workerExecArgv(filename: URL): string[] {
  if (!filename.pathname.endsWith('.ts')) return process.execArgv;
  return [...process.execArgv, '--import', new URL('./register-tsx-in-worker.mjs', import.meta.url).href];
}
