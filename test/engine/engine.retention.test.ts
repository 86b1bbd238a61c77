import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask } from '../../src/engine/task-definition.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { startQueued, waitForStatus } from '../support/engine-helpers.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';

/** Retention passes: what a task keeps goes first (onDelete), a failing hook keeps the execution, the embedded cap holds. */
describe('Engine retention', () => {
  let current: TestEngine | undefined;
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
  });

  function taskWith(hooks: { finishedHours: number; onDelete: (id: string) => void }) {
    return defineTask({
      name: 'Kept',
      description: 'Completes at once; keeps something per execution.',
      input: z.strictObject({ n: z.number().optional() }),
      limits: { maxConcurrentExecutions: 4, maxQueueLength: 100, timeoutMinutes: 1 },
      retention: { finishedHours: hooks.finishedHours },
      async run() {
        return { ok: true };
      },
      async onDelete(execution) {
        hooks.onDelete(execution.id);
      },
    });
  }

  it('keeps an execution whose onDelete hook failed and deletes it at a later pass, after the hook ran', async () => {
    const calls: string[] = [];
    let failNext = true;
    current = createTestEngine({
      tasks: () => [
        taskWith({
          // 36 ms.
          finishedHours: 1e-5,
          onDelete: (id) => {
            calls.push(id);
            if (failNext) {
              failNext = false;
              throw new Error('the contract store is down');
            }
          },
        }),
      ],
    });
    const { engine } = current;
    const execution = await startQueued(engine, 'Kept');
    const done = await waitForStatus(engine, execution.id, 'COMPLETED');
    expect(done.expiresAt!.getTime() - done.finishedAt!.getTime()).toBe(36);

    await expect.poll(() => Date.now() >= done.expiresAt!.getTime()).toBe(true);
    expect(await engine.purgeExpired()).toBe(0);
    expect(await engine.status(execution.id)).not.toBeNull();
    expect(await engine.purgeExpired()).toBe(1);
    expect(await engine.status(execution.id)).toBeNull();
    expect(await engine.eventsAfter(execution.id, 0)).toEqual([]);
    expect(calls).toEqual([execution.id, execution.id]);
  });

  it('refuses a retention or a per-caller limit out of bounds when the task is declared', () => {
    const task = taskWith({ finishedHours: 1, onDelete: () => {} });
    for (const finishedHours of [0, -1, Number.NaN, 100_000]) {
      expect(() => defineTask({ ...task, retention: { finishedHours } })).toThrow(/retention\.finishedHours/);
    }
    expect(() => defineTask({ ...task, limits: { ...task.limits, maxQueuedPerCaller: 0 } })).toThrow(/maxQueuedPerCaller must be greater than 0/);
  });

  it('keeps the embedded store at MAX_FINISHED_EXECUTIONS: the oldest go first, each through its hook', async () => {
    const deleted: string[] = [];
    current = createTestEngine({
      store: createMemoryStore({ maxFinishedExecutions: 5 }),
      tasks: () => [taskWith({ finishedHours: 1_000, onDelete: (id) => deleted.push(id) })],
    });
    const { engine } = current;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const execution = await startQueued(engine, 'Kept', { n: i });
      await waitForStatus(engine, execution.id, 'COMPLETED');
      ids.push(execution.id);
    }
    await engine.purgeExpired();
    expect(deleted).toEqual(ids.slice(0, 7));
    const kept = await engine.list({ task: 'Kept' }, { first: 20 });
    expect(kept.edges.map((edge) => edge.node.id)).toEqual(ids.slice(7).reverse());
  });
});
