/**
 * Task definitions the benchmarks register beside ContractCreator (through createApp's
 * `extraTasks`): a no-op whose only work is the engine's own, and one that sends feedback.
 */
import { z } from 'zod';
import { defineTask, type TaskDefinition } from '../../src/engine/task-definition.js';
import type { TaskLimits } from '../../src/store/store.js';

export const noopTaskName = 'BenchNoOp';
export const feedbackTaskName = 'BenchFeedback';
/** test/support/remote-task.ts in bench-server.ts: its flow sends feedback when the scenario says so over IPC. */
export const remoteTaskName = 'BenchRemote';

/** Roomy limits: the benchmarks measure the engine, not its refusals. */
const roomy: TaskLimits = { maxConcurrentExecutions: 100, maxQueueLength: 1_000_000, timeoutMinutes: 10 };

/**
 * Records the moment each flow starts running (performance.now()), while `recording` is on.
 * Start-to-running latency is that moment minus the moment the start was asked for.
 */
export function createRunProbe() {
  const entered = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  return {
    recording: false,
    enter(executionId: string): void {
      const at = performance.now();
      const resolve = waiting.get(executionId);
      if (resolve) {
        waiting.delete(executionId);
        resolve(at);
      } else if (this.recording) {
        entered.set(executionId, at);
      }
    },
    /** The moment the flow of `executionId` started; waits for it if it has not yet. */
    whenEntered(executionId: string): Promise<number> {
      const at = entered.get(executionId);
      if (at !== undefined) {
        entered.delete(executionId);
        return Promise.resolve(at);
      }
      return new Promise((resolve) => waiting.set(executionId, resolve));
    },
  };
}

export type RunProbe = ReturnType<typeof createRunProbe>;

/** Does nothing: what an execution costs is then only the engine's bookkeeping. */
export function noopTask(probe?: RunProbe): TaskDefinition<Record<string, never>> {
  return defineTask({
    name: noopTaskName,
    description: 'Benchmark: returns at once.',
    input: z.strictObject({}),
    limits: roomy,
    async run(ctx) {
      probe?.enter(ctx.executionId);
      return null;
    },
  });
}

/** Sends `messages` appended feedback lines with progress, then returns: a small real-looking flow. */
export function feedbackTask(): TaskDefinition<{ messages: number }> {
  return defineTask({
    name: feedbackTaskName,
    description: 'Benchmark: sends some feedback, then returns.',
    input: z.strictObject({ messages: z.number().int().min(0).max(1_000) }),
    limits: roomy,
    async run(ctx) {
      for (let i = 1; i <= ctx.input.messages; i++) {
        await ctx.feedback(`Processed step ${i} of ${ctx.input.messages}`, { mode: 'append', progress: i / ctx.input.messages });
      }
      return { steps: ctx.input.messages };
    },
  });
}
