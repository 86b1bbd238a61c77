import { z } from 'zod';
import { defineTask, type TaskDefinition } from '../../src/engine/task-definition.js';
import type { TaskLimits } from '../../src/store/store.js';
import { deferred } from './wait-for.js';

/**
 * A task that waits inside `run` until the test releases it: concurrency, FIFO, stop and
 * timeout tests control exactly when each execution finishes, with no sleeps.
 */
export function createGate() {
  const releases = new Map<string, ReturnType<typeof deferred<unknown>>>();
  const started: string[] = [];
  const running = new Set<string>();
  /** Every [start, end] of a run, by the order runs entered and left the flow. */
  const intervals: Array<{ id: string; start: number; end: number | null }> = [];
  let maxConcurrent = 0;
  let tick = 0;

  function releaseFor(id: string) {
    let release = releases.get(id);
    if (!release) releases.set(id, (release = deferred<unknown>()));
    return release;
  }

  return {
    started,
    running,
    intervals,
    get maxConcurrent() {
      return maxConcurrent;
    },
    enter(id: string) {
      started.push(id);
      running.add(id);
      maxConcurrent = Math.max(maxConcurrent, running.size);
      intervals.push({ id, start: tick++, end: null });
      return releaseFor(id).promise;
    },
    leave(id: string) {
      running.delete(id);
      const interval = intervals.findLast((entry) => entry.id === id);
      if (interval) interval.end = tick++;
    },
    /** Lets one waiting (or future) run finish with `result`. */
    release(id: string, result: unknown = { released: id }) {
      releaseFor(id).resolve(result);
    },
    releaseAll() {
      for (const id of running) releaseFor(id).resolve({ released: id });
    },
  };
}

export type Gate = ReturnType<typeof createGate>;

export interface GatedTaskOptions {
  name?: string;
  limits?: Partial<TaskLimits>;
  /** A badly written flow: it never looks at its signal. */
  ignoreSignal?: boolean;
}

export function gatedTask(gate: Gate, options: GatedTaskOptions = {}): TaskDefinition<{ label?: string | undefined }> {
  return defineTask({
    name: options.name ?? 'Gated',
    description: 'Waits until the test releases it.',
    input: z.strictObject({ label: z.string().optional() }),
    limits: { maxConcurrentExecutions: 1, maxQueueLength: 10, timeoutMinutes: 1, ...options.limits },
    async run(ctx) {
      const released = gate.enter(ctx.executionId);
      try {
        if (options.ignoreSignal) return await released;
        return await new Promise((resolve, reject) => {
          released.then(resolve, reject);
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
        });
      } finally {
        gate.leave(ctx.executionId);
      }
    },
  });
}
