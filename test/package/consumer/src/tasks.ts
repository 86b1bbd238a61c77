// This project's tasks, as a team using the package writes them.
import { defineTask, type TaskContext } from 'async-task-server';
import { z } from 'zod';

export const sumNumbers = defineTask({
  name: 'SumNumbers',
  description: 'Sums 1..n in a worker thread, in steps, with feedback after each.',
  input: z.strictObject({ n: z.number().int().min(1).max(1_000_000), steps: z.number().int().min(1).max(10) }),
  limits: { maxConcurrentExecutions: 1, maxQueueLength: 5, timeoutMinutes: 1 },
  async run(ctx) {
    // The input is typed from its schema: a wrong field would not compile.
    const steps: number = ctx.input.steps;
    // @ts-expect-error: there is no such field (this line fails to compile if ctx.input were `any`)
    void ctx.input.missing;
    let total = 0;
    for (let step = 1; step <= steps; step++) {
      total += await ctx.runInWorker<number>('sumTo', { n: ctx.input.n });
      await ctx.feedback(`Step ${step} of ${steps} done`, { mode: 'append', progress: step / steps });
    }
    return { total };
  },
});

export const spin = defineTask({
  name: 'Spin',
  description: 'Runs a worker job that never ends, until it is stopped.',
  input: z.strictObject({}),
  limits: { maxConcurrentExecutions: 1, maxQueueLength: 5, timeoutMinutes: 5 },
  async run(ctx: TaskContext<Record<string, never>>) {
    await ctx.feedback('spinning', { progress: 0 });
    return ctx.runInWorker('spinForever', {});
  },
});

// What the CLI reads: `async-task-server --tasks ./dist/tasks.js`.
export const tasks = [sumNumbers, spin];
export const workers = new URL('./jobs.js', import.meta.url);
