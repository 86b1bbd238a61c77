import { z } from 'zod';
import type { RetryPolicy } from '../../src/engine/retry-policy.js';
import { defineTask, type TaskDefinition } from '../../src/engine/task-definition.js';

/** A task whose every attempt throws `attempt <n> failed`; with `retry`, under that policy. */
export function failingTask(options: { name?: string; retry?: RetryPolicy } = {}): TaskDefinition<Record<string, never>> {
  return defineTask({
    name: options.name ?? 'Failing',
    description: 'Fails every attempt.',
    input: z.strictObject({}),
    limits: { maxConcurrentExecutions: 1, maxQueueLength: 10, timeoutMinutes: 1 },
    ...(options.retry ? { retry: options.retry } : {}),
    async run(ctx) {
      throw new Error(`attempt ${ctx.attempt} failed`);
    },
  });
}
