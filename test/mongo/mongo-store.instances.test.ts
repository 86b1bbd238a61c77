import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMongoStore } from '../../src/store/mongo-store.js';
import type { Store } from '../../src/store/store.js';
import { waitForStatus } from '../support/engine-helpers.js';
import { createGate, gatedTask } from '../support/gated-task.js';
import { startMongoForTests, type MongoForTests } from '../support/mongo-test-db.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { waitFor } from '../support/wait-for.js';

/** Two engines, each with its own MongoDB connection, on one database: two server instances. */
describe('several server instances on one MongoDB database', () => {
  let mongo: MongoForTests;
  const opened: Array<{ store: Store; harness: TestEngine }> = [];
  beforeAll(async () => {
    mongo = await startMongoForTests();
  });
  afterAll(async () => {
    for (const { harness, store } of opened) {
      await harness.dispose();
      await store.close();
    }
    await mongo?.stop();
  });

  async function instance(url: string, gate: ReturnType<typeof createGate>, limits = { maxConcurrentExecutions: 2, maxQueueLength: 5 }) {
    const store = await connectMongoStore({ url });
    const harness = createTestEngine({ store, tasks: () => [gatedTask(gate, { limits })], engine: { sweepMs: 50, leaseMs: 300 } });
    opened.push({ store, harness });
    await harness.engine.startSweeping();
    return harness;
  }

  it('admits exactly maxConcurrent + maxQueue of 50 concurrent starts and never runs more than 2 at once', async () => {
    const url = mongo.databaseUrl('instances');
    const gate = createGate();
    const a = await instance(url, gate);
    const b = await instance(url, gate);

    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).engine.start('Gated', { label: `start ${i}` })),
    );
    const accepted = outcomes.flatMap((outcome) => (outcome.kind === 'TaskQueued' ? [outcome.execution.id] : []));
    expect(accepted).toHaveLength(7);
    expect(outcomes.filter((outcome) => outcome.kind === 'QueueFull')).toHaveLength(43);
    expect((await a.engine.list({ task: 'Gated' }, { first: 100 })).totalCount).toBe(7);

    // Both run slots get taken (by either instance) before anything is released…
    await waitFor(() => gate.running.size === 2, { what: 'both run slots to be taken' });
    // …then runs are released one at a time, whichever instance runs them; both keep claiming.
    const finished = new Set<string>();
    while (finished.size < accepted.length) {
      const runningNow = await waitFor(() => (gate.running.size > 0 ? [...gate.running] : undefined), {
        what: 'an execution to run',
      });
      expect(runningNow.length).toBeLessThanOrEqual(2);
      gate.release(runningNow[0]!);
      await waitForStatus(a.engine, runningNow[0]!, 'COMPLETED');
      finished.add(runningNow[0]!);
    }

    expect(gate.maxConcurrent).toBe(2);
    // Recorded running intervals: at no point were more than two open.
    const points = gate.intervals.flatMap(({ start, end }) => [
      { at: start, delta: 1 },
      { at: end!, delta: -1 },
    ]);
    let open = 0;
    for (const { delta } of points.sort((x, y) => x.at - y.at)) {
      open += delta;
      expect(open).toBeLessThanOrEqual(2);
    }
    expect(new Set(gate.started)).toEqual(new Set(accepted));
  });

  it('runs work queued on one instance on the other when only the other has a free slot', async () => {
    const url = mongo.databaseUrl('handover');
    const gate = createGate();
    const limits = { maxConcurrentExecutions: 1, maxQueueLength: 5 };
    const a = await instance(url, gate, limits);
    const b = await instance(url, gate, limits);
    const first = await a.engine.start('Gated', { label: 'first' });
    const second = await a.engine.start('Gated', { label: 'second' });
    if (first.kind !== 'TaskQueued' || second.kind !== 'TaskQueued') throw new Error('expected both to queue');
    await waitFor(() => gate.running.has(first.execution.id), { what: 'the first to run' });
    expect(await b.engine.queuePosition(second.execution.id)).toBe(1);

    gate.release(first.execution.id);
    await waitFor(() => gate.running.has(second.execution.id), { what: 'the second to run on some instance' });
    expect((await b.engine.status(second.execution.id))!.status).toBe('RUNNING');
    // A stop sent to the instance that does not run it still stops it; the runner notices.
    const stopped = await b.engine.stop(second.execution.id);
    expect(stopped.kind).toBe('TaskStopped');
    await waitFor(() => !gate.running.has(second.execution.id), { what: 'the run to be aborted where it runs' });
  });
});
