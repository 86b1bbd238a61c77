import { z } from 'zod';
import type { TaskContext } from '../../src/engine/task-context.js';
import { defineTask, type TaskDefinition } from '../../src/engine/task-definition.js';
import type { TaskLimits } from '../../src/store/store.js';
import { deferred } from './wait-for.js';

/**
 * A task the test drives from outside: its flow hands its `ctx` to the test and then waits until
 * the test finishes it. The test calls `ctx.feedback(...)` itself, so feedback tests decide
 * exactly what is written and when, with no sleeps.
 */
export function createRemote() {
  const entries = new Map<
    string,
    { ctx: ReturnType<typeof deferred<TaskContext>>; end: ReturnType<typeof deferred<unknown>> }
  >();

  function entryFor(id: string) {
    let entry = entries.get(id);
    if (!entry) entries.set(id, (entry = { ctx: deferred<TaskContext>(), end: deferred<unknown>() }));
    return entry;
  }

  return {
    task(options: { name?: string; limits?: Partial<TaskLimits>; ignoreSignal?: boolean } = {}): TaskDefinition<{ label?: string | undefined }> {
      return defineTask({
        name: options.name ?? 'Remote',
        description: 'Hands its context to the test and waits until the test finishes it.',
        input: z.strictObject({ label: z.string().optional() }),
        limits: { maxConcurrentExecutions: 1, maxQueueLength: 10, timeoutMinutes: 1, ...options.limits },
        async run(ctx) {
          const entry = entryFor(ctx.executionId);
          entry.ctx.resolve(ctx);
          if (options.ignoreSignal) return entry.end.promise;
          return new Promise((resolve, reject) => {
            entry.end.promise.then(resolve, reject);
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
          });
        },
      });
    },
    /** The context of a running execution, once its flow has started. */
    context(id: string): Promise<TaskContext> {
      return entryFor(id).ctx.promise;
    },
    /** Lets the flow return `result`. */
    finish(id: string, result: unknown = { finished: id }) {
      entryFor(id).end.resolve(result);
    },
    /** Makes the flow throw `error`. */
    fail(id: string, error: unknown) {
      entryFor(id).end.reject(error);
    },
  };
}

export type Remote = ReturnType<typeof createRemote>;
