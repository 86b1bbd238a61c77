import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionChangeEvent } from '../../src/engine/events.js';
import { defineTask } from '../../src/engine/task-definition.js';
import { connectMongoStore } from '../../src/store/mongo-store.js';
import type { Store } from '../../src/store/store.js';
import { drain, startQueued, waitForStatus, within } from '../support/engine-helpers.js';
import { createGate, gatedTask, type Gate } from '../support/gated-task.js';
import { startMongoWireServer, type MongoWireServer } from '../support/mongo-wire-server.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { deferred, waitFor } from '../support/wait-for.js';

/**
 * Several engines, each with its own MongoDB connection, on one database: what one instance
 * writes reaches the others through the cluster feed, by change stream (a replica set) and by
 * polling (a standalone). The sweep is an hour here, so nothing below can be its doing.
 */
const deployments = [
  { mechanism: 'polling' as const, server: {} },
  { mechanism: 'change-stream' as const, server: { replicaSet: 'rs0' } },
];

describe.each(deployments)('instances on one database, with $mechanism', ({ mechanism, server }) => {
  let wire: MongoWireServer;
  const opened: Array<{ store: Store; harness: TestEngine }> = [];
  beforeAll(async () => {
    wire = await startMongoWireServer({ requireIndexes: true, ...server });
  });
  afterAll(async () => {
    for (const { harness, store } of opened) {
      await harness.dispose();
      await store.close();
    }
    await wire?.stop();
  });

  /** A feedback script per execution: the flow sends `count` messages once the test opens its start. */
  const starts = new Map<string, ReturnType<typeof deferred<number>>>();
  const startFor = (id: string) => {
    if (!starts.has(id)) starts.set(id, deferred<number>());
    return starts.get(id)!;
  };
  const talker = defineTask({
    name: 'Talker',
    description: 'Sends as many feedback messages as the test says, then completes.',
    input: z.strictObject({}),
    limits: { maxConcurrentExecutions: 1, maxQueueLength: 10, timeoutMinutes: 1 },
    async run(ctx) {
      const count = await startFor(ctx.executionId).promise;
      for (let i = 1; i <= count; i++) await ctx.feedback(`message ${i}`, { mode: 'append', progress: i / count });
      return { sent: count };
    },
  });

  async function instances(database: string, gate: Gate, names: string[]) {
    const url = `${wire.url}/${database}?directConnection=true`;
    return Promise.all(
      names.map(async (name) => {
        const store = await connectMongoStore({ url, clusterPollMs: 50 });
        expect(store.cluster?.mechanism).toBe(mechanism);
        const harness = createTestEngine({
          store,
          threads: 1,
          tasks: () => [talker, gatedTask(gate, { limits: { maxConcurrentExecutions: 1, maxQueueLength: 10 } })],
          engine: { ownerId: name, sweepMs: 3_600_000, leaseMs: 30_000, handBackOnShutdown: true },
        });
        opened.push({ store, harness });
        await harness.engine.startSweeping();
        return harness;
      }),
    );
  }

  /** Two instances and a Gated execution running on one of them: which one, and the other. */
  async function gatedRunOnOneOfTwo(database: string, gate: Gate) {
    const [a, b] = await instances(database, gate, ['A', 'B']);
    const execution = await startQueued(a!.engine, 'Gated');
    await waitFor(() => gate.running.has(execution.id), { what: 'the execution to run' });
    const owner = (await a!.engine.status(execution.id))!.owner;
    return { execution, ...(owner === 'A' ? { runner: a!, other: b! } : { runner: b!, other: a! }), owner: owner! };
  }

  it('streams every event of an execution running on another instance, in order, and completes', async () => {
    const [a, b, c] = await instances('feedback', createGate(), ['A', 'B', 'C']);
    const execution = await startQueued(a!.engine, 'Talker');
    const running = await waitForStatus(a!.engine, execution.id, 'RUNNING');
    const runner = [a, b, c].find((_, i) => ['A', 'B', 'C'][i] === running.owner)!;
    const others = [a, b, c].filter((harness) => harness !== runner);

    const opened = await Promise.all(others.map(async (other) => (await other!.engine.openFeedbackStream(execution.id, 0))!));
    const streams = opened.map((stream) => drain(stream));
    // Each other instance's tracker feed too.
    const trackers = others.map((other) => other!.engine.listenToUpdates());
    startFor(execution.id).resolve(40);

    for (const events of await within(Promise.all(streams), 10_000, 'the streams on the other instances to complete')) {
      const sequences = events.map((change: ExecutionChangeEvent) => change.event.sequence);
      expect(sequences).toEqual(sequences.map((_, i) => i + 1));
      expect(events.filter((change) => change.event.kind === 'FEEDBACK').map((change) => change.event.message)).toEqual(
        Array.from({ length: 40 }, (_, i) => `message ${i + 1}`),
      );
      expect(events.at(-1)!.event.status).toBe('COMPLETED');
    }
    for (const tracker of trackers) {
      const seen: string[] = [];
      await waitFor(
        async () => {
          const taken = await tracker.take();
          if (taken.kind === 'value' && taken.value.id === execution.id) seen.push(taken.value.status);
          return seen.includes('COMPLETED');
        },
        { what: 'the tracker feed of another instance to show the execution complete' },
      );
      tracker.close();
    }
  });

  it('stops a run on another instance at once: its flow is aborted there and its stream there ends STOPPED', async () => {
    const gate = createGate();
    const { execution, runner, other } = await gatedRunOnOneOfTwo('stop', gate);
    const runnerStream = drain((await runner.engine.openFeedbackStream(execution.id, 0))!);

    const outcome = await other.engine.stop(execution.id);
    expect(outcome.kind).toBe('TaskStopped');
    // The flow on the runner sees its signal (the gated task rejects with its reason) without any sweep.
    await waitFor(() => !gate.running.has(execution.id), { timeoutMs: 5_000, what: 'the run to be aborted where it runs' });
    const events = await within(runnerStream, 5_000, "the runner's own stream to complete");
    expect(events.at(-1)!.event.status).toBe('STOPPED');
    expect((await runner.engine.status(execution.id))!.status).toBe('STOPPED');
    // The runner's slot is free: the next execution runs at once.
    const next = await startQueued(runner.engine, 'Gated');
    await waitFor(() => gate.running.has(next.id), { what: 'the next execution to run' });
    gate.release(next.id);
    await waitForStatus(runner.engine, next.id, 'COMPLETED');
  });

  it('claims work handed back by a draining instance at once, not at the next sweep', async () => {
    const gate = createGate();
    const { execution, runner, other, owner } = await gatedRunOnOneOfTwo('handback', gate);

    // A shutdown with no grace hands the run back to the queue (a durable store).
    const closing = runner.engine.close(0);
    await waitFor(async () => (await other.engine.status(execution.id))!.attempt === 2 && gate.running.has(execution.id), {
      timeoutMs: 5_000,
      what: 'the other instance to claim the handed-back execution',
    });
    await closing;
    expect((await other.engine.status(execution.id))!.owner).toBe(owner === 'A' ? 'B' : 'A');
    gate.release(execution.id);
    await waitForStatus(other.engine, execution.id, 'COMPLETED');
  });
});
