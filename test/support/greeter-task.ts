import { z } from 'zod';
import { defineTask, type TaskDefinition } from '../../src/engine/task-definition.js';
import type { Gate } from './gated-task.js';

export const greeterInput = z.strictObject({
  name: z.string().min(1).max(40),
  times: z.number().int().min(1).max(5),
  loud: z.boolean().default(false),
});

/**
 * A task whose input has a string, an integer and a boolean, for the page's Start a task form.
 * It greets `name` once, waits at the gate until the test releases it (or it is stopped), then
 * greets the remaining `times - 1` times, each greeting a feedback line with its progress.
 */
export function greeterTask(gate: Gate, options: { name?: string } = {}): TaskDefinition<z.output<typeof greeterInput>> {
  return defineTask({
    name: options.name ?? 'Greeter',
    description: 'Greets someone a few times.',
    input: greeterInput,
    limits: { maxConcurrentExecutions: 1, maxQueueLength: 10, timeoutMinutes: 1 },
    async run(ctx) {
      const { name, times, loud } = ctx.input;
      const greet = (count: number) =>
        ctx.feedback(`${loud ? `HELLO, ${name.toUpperCase()}!` : `Hello, ${name}!`} (${count} of ${times})`, {
          mode: 'append',
          progress: count / times,
        });
      await greet(1);
      const released = gate.enter(ctx.executionId);
      try {
        await new Promise((resolve, reject) => {
          released.then(resolve, reject);
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
        });
      } finally {
        gate.leave(ctx.executionId);
      }
      for (let count = 2; count <= times; count++) await greet(count);
      return { greeted: times };
    },
  });
}
