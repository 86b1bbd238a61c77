import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../../src/config.js';
import { defineTask } from '../../src/engine/task-definition.js';
import { UnknownWorkerJobError, WorkerJobError, type WorkerFault } from '../../src/engine/worker-pool.js';
import { startQueued, waitForStatus, warmUp, within } from '../support/engine-helpers.js';
import { createSpinner, type Spinner } from '../support/spinning-task.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { deferred, waitFor } from '../support/wait-for.js';

/** Small, so a job that allocates without end reaches it in a fraction of a second. */
const heapLimitMb = 64;

/**
 * A task whose flow runs one job of test/support/test-workers.ts, named in its input. It lets the
 * worker's rejection through, as a real flow does, and keeps a copy so a test can check its code.
 */
function createWorkerJobTask() {
  const rejections = new Map<string, ReturnType<typeof deferred<unknown>>>();
  const rejectionFor = (id: string) => {
    let entry = rejections.get(id);
    if (!entry) rejections.set(id, (entry = deferred<unknown>()));
    return entry;
  };
  return {
    task: defineTask({
      name: 'WorkerJob',
      description: 'Runs the worker job named in its input.',
      input: z.strictObject({ job: z.string(), payload: z.unknown().optional() }),
      limits: { maxConcurrentExecutions: 1, maxQueueLength: 10, timeoutMinutes: 1 },
      async run(ctx) {
        try {
          return await ctx.runInWorker(ctx.input.job, ctx.input.payload ?? {});
        } catch (error) {
          rejectionFor(ctx.executionId).resolve(error);
          throw error;
        }
      },
    }),
    /** What the flow's worker call rejected with. */
    rejection(executionId: string): Promise<unknown> {
      return within(rejectionFor(executionId).promise, 10_000, `the worker call of ${executionId} to fail`);
    },
  };
}

interface FaultCase {
  fault: string;
  job: string;
  payload?: unknown;
  code: WorkerFault;
  error: string;
  /** Whether the job takes its thread down with it (Piscina then starts a replacement). */
  killsThread: boolean;
  details?: Partial<WorkerJobError>;
}

const faults: FaultCase[] = [
  {
    fault: 'a job that throws',
    job: 'throwError',
    payload: { message: 'template field "date" is missing' },
    code: 'JOB_THREW',
    error: 'The worker job throwError threw: template field "date" is missing',
    killsThread: false,
  },
  {
    fault: 'a job that throws a TypeError',
    job: 'throwTypeError',
    code: 'JOB_THREW',
    error: "The worker job throwTypeError threw: TypeError: Cannot read properties of undefined (reading 'length')",
    killsThread: false,
  },
  {
    fault: 'a job that calls process.exit(3)',
    job: 'exitProcess',
    payload: { code: 3 },
    code: 'WORKER_EXITED',
    error: 'The worker thread running exitProcess exited (process.exit(3)) before the job finished',
    killsThread: true,
    details: { exitCode: 3 },
  },
  {
    fault: 'a job that calls process.exit() with no code',
    job: 'exitProcess',
    code: 'WORKER_EXITED',
    error: 'The worker thread running exitProcess exited (process.exit(0)) before the job finished',
    killsThread: true,
    details: { exitCode: 0 },
  },
  {
    fault: 'a job that exceeds its heap limit',
    job: 'allocateForever',
    code: 'OUT_OF_MEMORY',
    error: `The worker job allocateForever ran out of memory (heap limit ${heapLimitMb} MiB)`,
    killsThread: true,
    details: { heapLimitMb },
  },
  {
    fault: 'an uncaught exception in the thread while the job runs',
    job: 'crashFromTimer',
    payload: { message: 'socket hang up in a timer' },
    code: 'WORKER_CRASHED',
    error: 'The worker thread running crashFromTimer crashed with an uncaught exception: socket hang up in a timer',
    killsThread: true,
  },
];

describe('worker faults', () => {
  let harness: TestEngine | undefined;
  let spinner: Spinner | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
    spinner?.close();
    spinner = undefined;
  });

  function start(threads = 2) {
    const workerJob = createWorkerJobTask();
    harness = createTestEngine({
      tasks: () => [workerJob.task],
      threads,
      resourceLimits: { maxOldGenerationSizeMb: heapLimitMb, maxYoungGenerationSizeMb: 8 },
    });
    return { ...harness, workerJob };
  }

  /** A following execution completes, and the pool is back to its full thread count. */
  async function expectHealthyPool(h: TestEngine): Promise<void> {
    const next = await startQueued(h.engine, 'WorkerJob', { job: 'add', payload: { a: 2, b: 3 } });
    expect(await waitForStatus(h.engine, next.id, 'COMPLETED')).toMatchObject({ result: 5, error: null });
    await waitFor(() => h.pool.threadIds().length === h.pool.threads, { what: 'the pool to be back to its thread count' });
  }

  it.each(faults)('fails $fault with a specific error ($code), and the next execution runs normally', async (fault) => {
    const { engine, pool, workerJob } = start();
    await warmUp(pool);
    const threadsBefore = pool.threadIds();

    const execution = await startQueued(engine, 'WorkerJob', { job: fault.job, payload: fault.payload });
    const failed = await waitForStatus(engine, execution.id, 'FAILED');

    expect(failed.error).toBe(fault.error);
    expect(failed.result).toBeNull();
    const events = await engine.eventsAfter(execution.id, 0);
    expect(events.at(-1)).toMatchObject({ kind: 'STATUS', status: 'FAILED', message: fault.error });
    const rejection = await workerJob.rejection(execution.id);
    expect(rejection).toBeInstanceOf(WorkerJobError);
    expect(rejection).toMatchObject({ code: fault.code, job: fault.job, ...fault.details });

    await expectHealthyPool(harness!);
    const replaced = pool.threadIds().filter((id) => !threadsBefore.includes(id));
    expect(replaced).toHaveLength(fault.killsThread ? 1 : 0);
  });

  it('fails a job name no worker module exports with an error that names it and the known jobs', async () => {
    const { engine, pool, workerJob } = start();
    const known = await pool.ready();
    expect(known).toContain('add');

    const execution = await startQueued(engine, 'WorkerJob', { job: 'addd' });
    const failed = await waitForStatus(engine, execution.id, 'FAILED');
    expect(failed.error).toBe(`No worker job is named "addd". The worker modules export: ${known.join(', ')}.`);
    expect(await workerJob.rejection(execution.id)).toBeInstanceOf(UnknownWorkerJobError);
    await expectHealthyPool(harness!);
  });

  it('keeps a one-thread pool running through every fault in a row', async () => {
    const { engine, pool } = start(1);
    await warmUp(pool);

    for (const fault of faults) {
      const execution = await startQueued(engine, 'WorkerJob', { job: fault.job, payload: fault.payload });
      expect((await waitForStatus(engine, execution.id, 'FAILED')).error).toBe(fault.error);
    }

    // each dead thread was replaced, or the executions after it would have waited forever
    await expectHealthyPool(harness!);
    expect(pool.threadIds()).toHaveLength(1);
  });

  it('ends a job that loops forever as TIMED_OUT through the task timeout, and the next execution runs normally', async () => {
    spinner = createSpinner();
    const workerJob = createWorkerJobTask();
    // about 300 ms: long enough for a warm thread to pick the job up, far below any test deadline
    const spinning = spinner.task({ limits: { timeoutMinutes: 0.005 } });
    harness = createTestEngine({ tasks: () => [spinning, workerJob.task] });
    const { engine, pool } = harness;
    await warmUp(pool);

    const execution = await startQueued(engine, 'Spinner');
    const threadId = await within(spinner.threadId(execution.id), 10_000, 'the job to report its thread');
    const timedOut = await waitForStatus(engine, execution.id, 'TIMED_OUT');

    expect(timedOut.error).toBe('The execution did not finish within its timeout of 0.005 minute(s)');
    await waitFor(() => !pool.threadIds().includes(threadId), { what: `the spinning thread ${threadId} to be terminated` });
    await expectHealthyPool(harness);
  });
});

describe('WORKER_MAX_OLD_GENERATION_MB', () => {
  it('defaults to 512 MiB and accepts a larger limit', () => {
    expect(loadConfig({}).workerMaxOldGenerationMb).toBe(512);
    expect(loadConfig({ WORKER_MAX_OLD_GENERATION_MB: '2048' }).workerMaxOldGenerationMb).toBe(2048);
  });

  it('refuses a limit too small for a thread to start, naming the variable', () => {
    // a thread needs about 12 MiB to start; one that dies while starting is never replaced by Piscina
    expect(() => loadConfig({ WORKER_MAX_OLD_GENERATION_MB: '8' })).toThrow(ConfigError);
    expect(() => loadConfig({ WORKER_MAX_OLD_GENERATION_MB: '8' })).toThrow(/WORKER_MAX_OLD_GENERATION_MB/);
  });
});
