/**
 * The tasks the scheduling process tests' servers run (through the CLI: `--tasks` this file).
 */
import { z } from 'zod';
import { defineTask } from '../../src/index.js';

/** Ends at once with its input: a tick, a deduplicated start or a delayed start done quickly. */
export const quick = defineTask({
  name: 'Quick',
  description: 'Test: completes at once.',
  input: z.strictObject({ note: z.string().max(40).optional() }),
  limits: { maxConcurrentExecutions: 5, maxQueueLength: 100, timeoutMinutes: 1 },
  async run(ctx) {
    return { note: ctx.input.note ?? null };
  },
});

export const tasks = [quick];
