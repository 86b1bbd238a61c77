import type { Engine } from '../../src/engine/engine.js';
import type { ExecutionChangeEvent } from '../../src/engine/events.js';
import type { Execution, ExecutionStatus } from '../../src/engine/execution.js';
import type { WorkerPool } from '../../src/engine/worker-pool.js';
import { waitFor } from './wait-for.js';

/** Starts `task` and returns the queued execution; any other outcome fails the test. */
export async function startQueued(engine: Engine, task: string, input: unknown = {}): Promise<Execution> {
  const outcome = await engine.start(task, input);
  if (outcome.kind !== 'TaskQueued') throw new Error(`expected TaskQueued, got ${JSON.stringify(outcome)}`);
  return outcome.execution;
}

/** Waits until the execution has `status` and returns it as stored then. */
export function waitForStatus(engine: Engine, id: string, status: ExecutionStatus, timeoutMs = 10_000): Promise<Execution> {
  return waitFor(
    async () => {
      const execution = await engine.status(id);
      return execution?.status === status ? execution : undefined;
    },
    { timeoutMs, what: `execution ${id} to be ${status}` },
  );
}

/** Reads a feedback stream to its end. */
export async function drain(stream: AsyncIterable<ExecutionChangeEvent>): Promise<ExecutionChangeEvent[]> {
  const events: ExecutionChangeEvent[] = [];
  for await (const change of stream) events.push(change);
  return events;
}

/** Resolves with `promise`, or rejects with a clear message once `ms` have passed (a deadline, not a timing check). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a job on every thread of a test-workers pool, so a job started afterwards is picked up at
 * once: a cold thread first loads the TypeScript loader, which can outlast a tiny timeout.
 */
export async function warmUp(pool: WorkerPool): Promise<void> {
  const signal = new AbortController().signal;
  await Promise.all(Array.from({ length: pool.threads * 2 }, () => pool.run('add', { a: 1, b: 1 }, { signal })));
}
