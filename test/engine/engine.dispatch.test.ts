import { afterEach, describe, expect, it } from 'vitest';
import { startQueued, waitForStatus } from '../support/engine-helpers.js';
import { createGate, gatedTask, type Gate } from '../support/gated-task.js';
import { createRemote } from '../support/remote-task.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { waitFor } from '../support/wait-for.js';

/** Largest number of runs that were inside the flow at the same moment, from the gate's intervals. */
function maxOverlap(gate: Gate): number {
  const marks = gate.intervals.flatMap(({ start, end }) => [
    { at: start, delta: 1 },
    { at: end ?? Number.POSITIVE_INFINITY, delta: -1 },
  ]);
  marks.sort((a, b) => a.at - b.at);
  let current = 0;
  let max = 0;
  for (const mark of marks) {
    current += mark.delta;
    max = Math.max(max, current);
  }
  return max;
}

describe('dispatch', () => {
  let harness: TestEngine | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  it('runs the executions of a task in the order they were started', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1 } })] });
    const { engine } = harness;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await startQueued(engine, 'Gated', { label: `#${i}` })).id);

    for (let i = 0; i < ids.length; i++) {
      await waitFor(() => gate.started.length === i + 1, { what: `run ${i + 1} to start` });
      expect(gate.running.size).toBe(1);
      gate.release(gate.started[i]!);
    }

    expect(gate.started).toEqual(ids);
    for (const id of ids) await waitForStatus(engine, id, 'COMPLETED');
  });

  it('never runs more than maxConcurrentExecutions at once, whatever order they finish in', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 3, maxQueueLength: 20 } })] });
    const { engine } = harness;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await startQueued(engine, 'Gated', { label: `#${i}` })).id);

    let finished = 0;
    while (finished < ids.length) {
      const expected = Math.min(3, ids.length - finished);
      await waitFor(() => gate.running.size === expected, { what: `${expected} runs in flight` });
      const counts = await engine.counts('Gated');
      expect(counts.running).toBeLessThanOrEqual(3);
      expect(counts.running + counts.queued).toBe(ids.length - finished);
      const inFlight = [...gate.running];
      const pick = inFlight[Math.floor(Math.random() * inFlight.length)]!;
      gate.release(pick);
      await waitForStatus(engine, pick, 'COMPLETED');
      finished++;
    }

    expect(gate.maxConcurrent).toBe(3);
    expect(maxOverlap(gate)).toBe(3);
    expect(new Set(gate.started)).toEqual(new Set(ids));
    expect(gate.started).toHaveLength(12);
    expect(await engine.counts('Gated')).toEqual({ scheduled: 0, running: 0, queued: 0 });
  });

  it('stays within the limit when every run in flight finishes at the same moment', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 3, maxQueueLength: 20 } })] });
    const { engine } = harness;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await startQueued(engine, 'Gated', { label: `#${i}` })).id);

    for (let round = 0; round < 4; round++) {
      await waitFor(() => gate.running.size === 3, { what: `round ${round + 1} to fill every slot` });
      gate.releaseAll();
      await waitFor(() => gate.started.length === Math.min(12, 3 * (round + 2)) || round === 3, { what: 'the next round' });
    }
    for (const id of ids) await waitForStatus(engine, id, 'COMPLETED');

    expect(gate.maxConcurrent).toBe(3);
    expect(maxOverlap(gate)).toBe(3);
    expect(gate.started).toEqual(ids);
  });

  it('reports a 1-based queue position that moves up as executions ahead finish, and null once running', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1 } })] });
    const { engine } = harness;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await startQueued(engine, 'Gated', { label: `#${i}` })).id);
    await waitFor(() => gate.running.has(ids[0]!), { what: 'the first run' });

    const positions = () => Promise.all(ids.map((id) => engine.queuePosition(id)));
    expect(await positions()).toEqual([null, 1, 2, 3]);

    gate.release(ids[0]!);
    await waitFor(() => gate.running.has(ids[1]!), { what: 'the second run' });
    expect(await positions()).toEqual([null, null, 1, 2]);

    gate.release(ids[1]!);
    await waitFor(() => gate.running.has(ids[2]!), { what: 'the third run' });
    expect(await positions()).toEqual([null, null, null, 1]);
    expect(await engine.queuePosition('no-such-execution')).toBeNull();
    gate.releaseAll();
  });

  it('dispatches waiting executions at once when configureTask raises maxConcurrentExecutions', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1 } })] });
    const { engine } = harness;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await startQueued(engine, 'Gated', { label: `#${i}` })).id);
    await waitFor(() => gate.running.size === 1, { what: 'the first run' });

    const outcome = await engine.configure('Gated', { maxConcurrentExecutions: 3 });

    expect(outcome).toMatchObject({ kind: 'Task', task: { name: 'Gated', limits: { maxConcurrentExecutions: 3, maxQueueLength: 10 } } });
    // nothing was released: only the raised limit lets the next two run
    await waitFor(() => gate.running.size === 3, { what: 'two more runs after the limit was raised' });
    expect(gate.started).toEqual(ids.slice(0, 3));
    expect(await engine.counts('Gated')).toEqual({ scheduled: 0, running: 3, queued: 1 });
    expect((await engine.task('Gated'))?.limits.maxConcurrentExecutions).toBe(3);
    expect(await harness.store.taskSettings.get('Gated')).toMatchObject({ maxConcurrentExecutions: 3 });
    gate.releaseAll();
  });

  it.each([
    ['zero', { maxConcurrentExecutions: 0 }, 'maxConcurrentExecutions'],
    ['negative', { maxQueueLength: -1 }, 'maxQueueLength'],
    ['fractional', { maxConcurrentExecutions: 1.5 }, 'maxConcurrentExecutions'],
    ['zero timeout', { timeoutMinutes: 0 }, 'timeoutMinutes'],
    ['negative timeout', { timeoutMinutes: -2 }, 'timeoutMinutes'],
  ])('configureTask refuses a %s limit, naming the field, and changes nothing', async (_, changes, field) => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 2, maxQueueLength: 5 } })] });
    const { engine } = harness;
    const before = await engine.task('Gated');

    const outcome = await engine.configure('Gated', changes);

    expect(outcome.kind).toBe('InvalidTaskInput');
    if (outcome.kind !== 'InvalidTaskInput') return;
    expect(outcome.problems.map((problem) => problem.path)).toEqual([field]);
    expect(outcome.problems[0]!.message).not.toBe('');
    expect(await engine.task('Gated')).toEqual(before);
    expect(await harness.store.taskSettings.get('Gated')).toBeNull();
  });

  it('configureTask refuses a bad limit even next to a good one, and applies neither', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate)] });
    const { engine } = harness;
    const before = await engine.task('Gated');

    const outcome = await engine.configure('Gated', { maxQueueLength: 3, maxConcurrentExecutions: 0 });

    expect(outcome).toMatchObject({ kind: 'InvalidTaskInput', problems: [{ path: 'maxConcurrentExecutions' }] });
    expect(await engine.task('Gated')).toEqual(before);
    expect(await engine.configure('Unknown', { maxQueueLength: 3 })).toEqual({ kind: 'TaskNotFound', task: 'Unknown' });
  });

  it('ends a flow that throws as FAILED with its message, and runs the next one', async () => {
    const remote = createRemote();
    harness = createTestEngine({ tasks: () => [remote.task({ limits: { maxConcurrentExecutions: 1 } })] });
    const { engine } = harness;
    const failing = await startQueued(engine, 'Remote', { label: 'fails' });
    const next = await startQueued(engine, 'Remote', { label: 'next' });
    await remote.context(failing.id);

    remote.fail(failing.id, new Error('the printer is on fire'));

    const failed = await waitForStatus(engine, failing.id, 'FAILED');
    expect(failed).toMatchObject({ error: 'the printer is on fire', result: null });
    expect(failed.finishedAt).toBeInstanceOf(Date);
    await remote.context(next.id);
    remote.finish(next.id, { ok: true });
    expect((await waitForStatus(engine, next.id, 'COMPLETED')).result).toEqual({ ok: true });
  });

  it('keeps limits per task: two tasks do not share run slots', async () => {
    const gate = createGate();
    harness = createTestEngine({
      tasks: () => [
        gatedTask(gate, { name: 'GatedA', limits: { maxConcurrentExecutions: 1 } }),
        gatedTask(gate, { name: 'GatedB', limits: { maxConcurrentExecutions: 1 } }),
      ],
    });
    const { engine } = harness;
    const a1 = await startQueued(engine, 'GatedA');
    const a2 = await startQueued(engine, 'GatedA');
    const b1 = await startQueued(engine, 'GatedB');

    await waitFor(() => gate.running.has(a1.id) && gate.running.has(b1.id), { what: 'one run of each task' });
    expect(gate.running.has(a2.id)).toBe(false);
    expect(await engine.counts('GatedA')).toEqual({ scheduled: 0, running: 1, queued: 1 });
    expect(await engine.counts('GatedB')).toEqual({ scheduled: 0, running: 1, queued: 0 });

    // finishing B's run frees B's slot, not A's
    gate.release(b1.id);
    await waitForStatus(engine, b1.id, 'COMPLETED');
    const b2 = await startQueued(engine, 'GatedB');
    await waitFor(() => gate.running.has(b2.id), { what: "B's second run" });
    expect(gate.running.has(a2.id)).toBe(false);
    expect(await engine.queuePosition(a2.id)).toBe(1);

    // raising A's limit does not change B's
    await engine.configure('GatedA', { maxConcurrentExecutions: 2 });
    await waitFor(() => gate.running.has(a2.id), { what: "A's second run" });
    expect((await engine.task('GatedB'))?.limits.maxConcurrentExecutions).toBe(1);
    gate.releaseAll();
  });
});
