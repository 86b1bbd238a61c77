import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { z } from 'zod';
import { defineTask, type TaskDefinition } from '../../src/engine/task-definition.js';
import type { TaskLimits } from '../../src/store/store.js';
import { deferred } from './wait-for.js';

/**
 * A task whose flow runs the `spinForever` job of test-workers.ts: the job never returns, so only
 * terminating its thread ends it. The job reports its thread id through a MessagePort, which
 * lets a test check that the thread is gone from the pool afterwards.
 */
export function createSpinner() {
  const threadIds = new Map<string, ReturnType<typeof deferred<number>>>();
  /** What the flow saw after its worker call ended: the error, and the outcome of its late feedback. */
  const afterWorker = new Map<string, ReturnType<typeof deferred<{ workerError: unknown; feedbackError: unknown }>>>();
  const ports: MessagePort[] = [];

  function threadIdFor(id: string) {
    let entry = threadIds.get(id);
    if (!entry) threadIds.set(id, (entry = deferred<number>()));
    return entry;
  }

  function afterWorkerFor(id: string) {
    let entry = afterWorker.get(id);
    if (!entry) afterWorker.set(id, (entry = deferred<{ workerError: unknown; feedbackError: unknown }>()));
    return entry;
  }

  return {
    task(options: { name?: string; limits?: Partial<TaskLimits>; feedbackAfterWorker?: boolean } = {}): TaskDefinition<Record<string, never>> {
      return defineTask({
        name: options.name ?? 'Spinner',
        description: 'Runs a worker job that never ends.',
        input: z.strictObject({}),
        limits: { maxConcurrentExecutions: 1, maxQueueLength: 10, timeoutMinutes: 1, ...options.limits },
        async run(ctx) {
          const channel = new MessageChannel();
          ports.push(channel.port1);
          channel.port1.on('message', (message: { threadId: number }) => threadIdFor(ctx.executionId).resolve(message.threadId));
          let workerError: unknown = null;
          try {
            await ctx.runInWorker('spinForever', { port: channel.port2 }, { transferList: [channel.port2] });
          } catch (error) {
            workerError = error;
            if (!options.feedbackAfterWorker) throw error;
          }
          // A careless flow: it swallows the abort and goes on writing.
          let feedbackError: unknown = null;
          try {
            await ctx.feedback('written after the worker call', { mode: 'append', progress: 1 });
          } catch (error) {
            feedbackError = error;
          }
          afterWorkerFor(ctx.executionId).resolve({ workerError, feedbackError });
          return { wroteFeedback: feedbackError === null };
        },
      });
    },
    /** The id of the worker thread running this execution's job, once the job has started. */
    threadId(executionId: string): Promise<number> {
      return threadIdFor(executionId).promise;
    },
    /** Resolves once a `feedbackAfterWorker` flow has tried its late write. */
    afterWorker(executionId: string) {
      return afterWorkerFor(executionId).promise;
    },
    close() {
      for (const port of ports) port.close();
    },
  };
}

export type Spinner = ReturnType<typeof createSpinner>;
