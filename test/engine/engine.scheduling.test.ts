import { afterEach, describe, expect, it } from 'vitest';
import { startQueued, waitForStatus } from '../support/engine-helpers.js';
import { createGate, gatedTask } from '../support/gated-task.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { waitFor } from '../support/wait-for.js';

describe('delayed starts, priorities and idempotent starts', () => {
  let harness: TestEngine | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  it('keeps a delayed start SCHEDULED, holding no queue place, until its time; then it runs', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1, maxQueueLength: 1 } })] });
    const { engine } = harness;
    const delayed = await engine.start('Gated', { label: 'later' }, {}, { delayMs: 150 });
    if (delayed.kind !== 'TaskQueued') throw new Error(JSON.stringify(delayed));
    expect(delayed.execution).toMatchObject({ status: 'SCHEDULED', attempt: 0 });
    const runAt = delayed.execution.runAt!;
    // The run slot and the one queue place are still free for starts made now.
    const now1 = await startQueued(engine, 'Gated', { label: 'now 1' });
    const now2 = await startQueued(engine, 'Gated', { label: 'now 2' });
    expect((await engine.start('Gated', {})).kind).toBe('QueueFull');
    expect(await engine.counts('Gated')).toEqual({ scheduled: 1, running: 1, queued: 1 });

    // At its time it joins the queue even though that is full: it was accepted when it was made,
    // and it takes its place by then (queuedAt), ahead of the start made after it.
    const queued = await waitForStatus(engine, delayed.execution.id, 'QUEUED');
    expect(queued.runAt).toEqual(runAt);
    expect(await engine.queuePosition(delayed.execution.id)).toBe(1);
    expect(await engine.queuePosition(now2.id)).toBe(2);
    await waitFor(() => gate.running.has(now1.id), { what: 'the first start to run' });
    gate.release(now1.id);
    await waitFor(() => gate.running.has(delayed.execution.id), { what: 'the delayed start to run' });
    gate.release(delayed.execution.id);
    for (const id of [now2.id]) {
      await waitFor(() => gate.running.has(id), { what: `${id} to run` });
      gate.release(id);
    }
    const done = await waitForStatus(engine, delayed.execution.id, 'COMPLETED');
    expect(done.startedAt!.getTime()).toBeGreaterThanOrEqual(runAt.getTime());
  });

  it('starts at once when runAt is not in the future, and refuses bad options with their paths', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate)] });
    const { engine } = harness;
    const past = await engine.start('Gated', {}, {}, { runAt: new Date(Date.now() - 60_000) });
    expect(past).toMatchObject({ kind: 'TaskQueued', execution: { status: 'QUEUED', runAt: null } });
    const refused = await engine.start('Gated', {}, {}, { runAt: new Date(), delayMs: 5, priority: 1.5, idempotencyKey: '' });
    expect(refused.kind === 'InvalidTaskInput' && refused.problems.map((problem) => problem.path)).toEqual([
      'options', 'options.priority', 'options.idempotencyKey',
    ]);
    expect(await engine.start('Gated', {}, {}, { delayMs: -1 })).toMatchObject({ problems: [{ path: 'options.delayMs' }] });
  });

  it('refuses a delayed start past MAX_SCHEDULED_EXECUTIONS with TooManyScheduled', async () => {
    harness = createTestEngine({ tasks: () => [gatedTask(createGate())], engine: { maxScheduledExecutions: 2 } });
    const { engine } = harness;
    for (let i = 0; i < 2; i++) expect((await engine.start('Gated', {}, {}, { delayMs: 60_000 })).kind).toBe('TaskQueued');
    expect(await engine.start('Gated', {}, {}, { delayMs: 60_000 })).toEqual({ kind: 'TooManyScheduled', task: 'Gated', maxScheduledExecutions: 2 });
    expect((await engine.start('Gated', {})).kind).toBe('TaskQueued');
  });

  it('runs a queue of 20 by priority, first in first out within one, and queuePosition says so', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1, maxQueueLength: 20 } })] });
    const { engine } = harness;
    const blocker = await startQueued(engine, 'Gated', { label: 'blocker' });
    await waitFor(() => gate.running.has(blocker.id), { what: 'the blocker to run' });
    const priorities = [0, 5, -3, 5, 0, 10, -3, 2, 0, 5, 10, 1, 0, -1, 2, 7, 0, 5, -3, 1];
    const queued: Array<{ id: string; priority: number; order: number }> = [];
    for (const [order, priority] of priorities.entries()) {
      const outcome = await engine.start('Gated', { label: String(order) }, {}, { priority });
      if (outcome.kind !== 'TaskQueued') throw new Error(JSON.stringify(outcome));
      queued.push({ id: outcome.execution.id, priority, order });
    }
    const expected = [...queued].sort((a, b) => b.priority - a.priority || a.order - b.order).map((entry) => entry.id);
    expect(await Promise.all(expected.map((id) => engine.queuePosition(id)))).toEqual(expected.map((_, index) => index + 1));

    gate.release(blocker.id);
    for (const id of expected) {
      await waitFor(() => gate.running.has(id), { what: `${id} to run` });
      gate.release(id);
    }
    expect(gate.started.slice(1)).toEqual(expected);
  });

  it('returns the first execution for a second start with the same key, per caller, even with the queue full', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1, maxQueueLength: 1 } })] });
    const { engine } = harness;
    const first = await engine.start('Gated', { label: 'a' }, { startedBy: 'alice' }, { idempotencyKey: 'order-1' });
    await startQueued(engine, 'Gated');
    const again = await engine.start('Gated', { label: 'other input' }, { startedBy: 'alice' }, { idempotencyKey: 'order-1' });
    expect(first).toMatchObject({ kind: 'TaskQueued', deduplicated: false });
    expect(again).toMatchObject({ kind: 'TaskQueued', deduplicated: true, execution: { id: first.kind === 'TaskQueued' && first.execution.id, input: { label: 'a' } } });
    // Another caller's key is another key: it is refused by the full queue, not deduplicated.
    expect((await engine.start('Gated', {}, { startedBy: 'bob' }, { idempotencyKey: 'order-1' })).kind).toBe('QueueFull');
  });

  it('forgets a key after the idempotency window', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    harness = createTestEngine({ tasks: () => [gatedTask(createGate(), { limits: { maxQueueLength: 5 } })], engine: { idempotencyWindowMs: 60_000 }, clock: () => new Date(now) });
    const { engine } = harness;
    const first = await engine.start('Gated', {}, {}, { idempotencyKey: 'k' });
    now += 59_000;
    expect(await engine.start('Gated', {}, {}, { idempotencyKey: 'k' })).toMatchObject({ deduplicated: true });
    now += 2_000;
    const later = await engine.start('Gated', {}, {}, { idempotencyKey: 'k' });
    expect(later).toMatchObject({ kind: 'TaskQueued', deduplicated: false });
    expect(later.kind === 'TaskQueued' && first.kind === 'TaskQueued' && later.execution.id !== first.execution.id).toBe(true);
  });
});
