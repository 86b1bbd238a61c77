import { afterEach, describe, expect, it } from 'vitest';
import { startQueued, waitForStatus } from '../support/engine-helpers.js';
import { createGate, gatedTask } from '../support/gated-task.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { waitFor } from '../support/wait-for.js';

describe('admission', () => {
  let harness: TestEngine | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  it('accepts exactly maxConcurrentExecutions + maxQueueLength of 20 concurrent starts', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1, maxQueueLength: 2 } })] });
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => harness!.engine.start('Gated', { label: `start ${i}` })));

    const accepted = outcomes.filter((outcome) => outcome.kind === 'TaskQueued');
    const refused = outcomes.filter((outcome) => outcome.kind === 'QueueFull');
    expect(accepted).toHaveLength(3);
    expect(refused).toHaveLength(17);
    expect(refused[0]).toMatchObject({ task: 'Gated', maxQueueLength: 2 });
    // nothing of a refused start is stored
    expect((await harness.engine.list({ task: 'Gated' }, { first: 100 })).totalCount).toBe(3);

    await waitFor(() => gate.running.size === 1, { what: 'the first execution to run' });
    expect(await harness.engine.counts('Gated')).toEqual({ scheduled: 0, running: 1, queued: 2 });
    gate.releaseAll();
  });

  it('stores nothing for a refused start', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1, maxQueueLength: 2 } })] });
    const { engine } = harness;
    const admitted = [];
    for (let i = 0; i < 3; i++) admitted.push(await startQueued(engine, 'Gated', { label: `ok ${i}` }));
    await waitFor(() => gate.running.size === 1, { what: 'the first execution to run' });
    const before = await engine.list({ task: 'Gated' }, { first: 100 });
    const countsBefore = await engine.counts('Gated');

    const refused = await engine.start('Gated', { label: 'one too many' });

    expect(refused).toEqual({ kind: 'QueueFull', task: 'Gated', maxQueueLength: 2 });
    const after = await engine.list({ task: 'Gated' }, { first: 100 });
    expect(after.totalCount).toBe(3);
    expect(after.edges.map((edge) => edge.node.id)).toEqual(before.edges.map((edge) => edge.node.id));
    expect(after.edges.map((edge) => edge.node.input)).not.toContainEqual({ label: 'one too many' });
    expect((await engine.list({}, { first: 100 })).totalCount).toBe(3);
    expect(await engine.counts('Gated')).toEqual(countsBefore);
    expect(countsBefore).toEqual({ scheduled: 0, running: 1, queued: 2 });
    // the executions already admitted keep their places
    expect(await engine.queuePosition(admitted[1]!.id)).toBe(1);
    expect(await engine.queuePosition(admitted[2]!.id)).toBe(2);
  });

  it('accepts a new start once a queued execution has moved on and finished', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1, maxQueueLength: 1 } })] });
    const { engine } = harness;
    const first = await startQueued(engine, 'Gated', { label: 'first' });
    const second = await startQueued(engine, 'Gated', { label: 'second' });
    await waitFor(() => gate.running.has(first.id), { what: 'the first execution to run' });
    expect((await engine.start('Gated', { label: 'refused' })).kind).toBe('QueueFull');

    gate.release(first.id);
    await waitForStatus(engine, first.id, 'COMPLETED');
    await waitFor(() => gate.running.has(second.id), { what: 'the queued execution to run' });
    gate.release(second.id);
    await waitForStatus(engine, second.id, 'COMPLETED');

    const third = await engine.start('Gated', { label: 'third' });
    expect(third.kind).toBe('TaskQueued');
    const fourth = await engine.start('Gated', { label: 'fourth' });
    expect(fourth.kind).toBe('TaskQueued');
    expect((await engine.start('Gated', { label: 'full again' })).kind).toBe('QueueFull');
    await waitFor(() => gate.running.size === 1, { what: 'the third execution to run' });
    gate.releaseAll();
  });

  it('frees a queue place when a queued execution is stopped', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1, maxQueueLength: 1 } })] });
    const { engine } = harness;
    const first = await startQueued(engine, 'Gated');
    const queued = await startQueued(engine, 'Gated');
    await waitFor(() => gate.running.has(first.id), { what: 'the first execution to run' });
    expect((await engine.start('Gated', {})).kind).toBe('QueueFull');

    expect((await engine.stop(queued.id)).kind).toBe('TaskStopped');

    expect((await engine.start('Gated', {})).kind).toBe('TaskQueued');
    gate.releaseAll();
  });

  it('counts free run slots as room: maxConcurrent 2 and maxQueue 1 accept 3 of 10 concurrent starts', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 2, maxQueueLength: 1 } })] });
    const { engine } = harness;
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => engine.start('Gated', { label: `start ${i}` })));

    expect(outcomes.filter((outcome) => outcome.kind === 'TaskQueued')).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome.kind === 'QueueFull')).toHaveLength(7);
    expect((await engine.list({ task: 'Gated' }, { first: 100 })).totalCount).toBe(3);
    await waitFor(() => gate.running.size === 2, { what: 'both run slots to fill' });
    expect(await engine.counts('Gated')).toEqual({ scheduled: 0, running: 2, queued: 1 });
    expect((await engine.start('Gated', {})).kind).toBe('QueueFull');
    gate.releaseAll();
  });
});
