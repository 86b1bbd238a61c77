/**
 * The tasks the cluster scenario's server processes run (through the CLI: `--tasks` this file).
 * Timestamps are absolute high-resolution times (performance.timeOrigin + performance.now()),
 * comparable across the processes of one machine.
 */
import { z } from 'zod';
import { defineTask } from '../../src/index.js';

const now = () => performance.timeOrigin + performance.now();

/** After `waitMs`, sends `count` feedback messages `intervalMs` apart; each message is the moment it was sent. */
export const pacer = defineTask({
  name: 'BenchPacer',
  description: 'Benchmark: timestamped feedback at a steady pace.',
  input: z.strictObject({ count: z.number().int().min(1).max(10_000), intervalMs: z.number().min(0).max(10_000), waitMs: z.number().min(0).max(60_000) }),
  limits: { maxConcurrentExecutions: 10, maxQueueLength: 100, timeoutMinutes: 10 },
  async run(ctx) {
    await new Promise((resolve) => setTimeout(resolve, ctx.input.waitMs));
    for (let i = 0; i < ctx.input.count; i++) {
      await ctx.feedback(String(now()), { mode: 'replace' });
      await new Promise((resolve) => setTimeout(resolve, ctx.input.intervalMs));
    }
    return null;
  },
});

/**
 * Keeps one worker thread busy until the run is aborted; prints the moment the thread's job ended
 * (piscina terminates the thread on abort) as a JSON line the scenario reads.
 */
export const spinner = defineTask({
  name: 'BenchSpinner',
  description: 'Benchmark: spins a worker thread until stopped.',
  input: z.strictObject({}),
  limits: { maxConcurrentExecutions: 10, maxQueueLength: 100, timeoutMinutes: 10 },
  async run(ctx) {
    try {
      await ctx.runInWorker('spin', null);
    } finally {
      console.log(JSON.stringify({ benchThreadEnded: ctx.executionId, at: now() }));
    }
    return null;
  },
});

/** Holds its one run slot for `holdMs`: a slot freed, for the claim latency. */
export const holder = defineTask({
  name: 'BenchHolder',
  description: 'Benchmark: holds the one run slot for a while.',
  input: z.strictObject({ holdMs: z.number().min(0).max(60_000) }),
  limits: { maxConcurrentExecutions: 1, maxQueueLength: 100, timeoutMinutes: 10 },
  async run(ctx) {
    await new Promise((resolve) => setTimeout(resolve, ctx.input.holdMs));
    return null;
  },
});

export const tasks = [pacer, spinner, holder];
export const workers = new URL('./cluster-jobs.ts', import.meta.url);
