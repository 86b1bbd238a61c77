import { afterEach, describe, expect, it } from 'vitest';
import { startQueued, waitForStatus, warmUp, within } from '../support/engine-helpers.js';
import { createGate, gatedTask } from '../support/gated-task.js';
import { createRemote } from '../support/remote-task.js';
import { createSpinner, type Spinner } from '../support/spinning-task.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { waitFor } from '../support/wait-for.js';

describe('stop', () => {
  let harness: TestEngine | undefined;
  let spinner: Spinner | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
    spinner?.close();
    spinner = undefined;
  });

  it('stops a queued execution at once; it never runs and the queue behind it moves on', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1 } })] });
    const { engine } = harness;
    const running = await startQueued(engine, 'Gated', { label: 'running' });
    const doomed = await startQueued(engine, 'Gated', { label: 'stopped while queued' });
    const next = await startQueued(engine, 'Gated', { label: 'next' });
    await waitFor(() => gate.running.has(running.id), { what: 'the first run' });

    const outcome = await engine.stop(doomed.id);

    expect(outcome.kind).toBe('TaskStopped');
    if (outcome.kind !== 'TaskStopped') return;
    expect(outcome.execution).toMatchObject({ id: doomed.id, status: 'STOPPED', startedAt: null });
    expect(outcome.execution.finishedAt).toBeInstanceOf(Date);
    expect(await engine.status(doomed.id)).toMatchObject({ status: 'STOPPED' });
    expect(await engine.queuePosition(doomed.id)).toBeNull();
    expect(await engine.queuePosition(next.id)).toBe(1);
    expect(await engine.counts('Gated')).toEqual({ scheduled: 0, running: 1, queued: 1 });

    gate.release(running.id);
    await waitFor(() => gate.running.has(next.id), { what: 'the execution behind the stopped one to run' });
    gate.release(next.id);
    await waitForStatus(engine, next.id, 'COMPLETED');

    expect(gate.started).toEqual([running.id, next.id]);
    const events = await engine.eventsAfter(doomed.id, 0);
    expect(events.map((event) => event.status)).toEqual(['QUEUED', 'STOPPED']);
    expect((await engine.status(doomed.id))!.status).toBe('STOPPED');
  });

  it('stops a running execution whose job spins in a worker, and terminates that thread', async () => {
    spinner = createSpinner();
    const task = spinner.task();
    harness = createTestEngine({ tasks: () => [task] });
    const { engine, pool } = harness;
    await warmUp(pool);
    const execution = await startQueued(engine, 'Spinner');
    const threadId = await within(spinner.threadId(execution.id), 10_000, 'the job to report its thread');
    expect(pool.threadIds()).toContain(threadId);

    const outcome = await within(engine.stop(execution.id), 10_000, 'stopTask to return');

    expect(outcome.kind).toBe('TaskStopped');
    if (outcome.kind !== 'TaskStopped') return;
    expect(outcome.execution.status).toBe('STOPPED');
    expect(outcome.execution.finishedAt).toBeInstanceOf(Date);
    expect(outcome.execution.error).toMatch(/stopped/i);
    expect(await engine.counts('Spinner')).toEqual({ scheduled: 0, running: 0, queued: 0 });
    await waitFor(() => !pool.threadIds().includes(threadId), { what: `thread ${threadId} to be terminated` });
    await waitFor(() => pool.threadIds().length === pool.threads, { what: 'the pool to replace the thread' });
  });

  it('writes nothing after TaskStopped, even from a flow that swallows the abort and goes on', async () => {
    spinner = createSpinner();
    const task = spinner.task({ feedbackAfterWorker: true });
    harness = createTestEngine({ tasks: () => [task] });
    const { engine, pool } = harness;
    await warmUp(pool);
    const execution = await startQueued(engine, 'Spinner');
    await within(spinner.threadId(execution.id), 10_000, 'the job to report its thread');

    const outcome = await engine.stop(execution.id);
    expect(outcome).toMatchObject({ kind: 'TaskStopped', execution: { status: 'STOPPED' } });
    const stopped = (await engine.status(execution.id))!;

    // the flow has seen its worker call fail and has tried its late write
    const late = await within(spinner.afterWorker(execution.id), 10_000, 'the flow to try its late write');
    expect(late.workerError).toMatchObject({ code: 'TASK_STOPPED' });
    expect(late.feedbackError).toBeInstanceOf(Error);

    const after = (await engine.status(execution.id))!;
    expect(after).toMatchObject({ status: 'STOPPED', feedback: '', progress: null, result: null, lastSequence: stopped.lastSequence });
    expect(await engine.eventsAfter(execution.id, stopped.lastSequence)).toEqual([]);
    expect((await engine.eventsAfter(execution.id, 0)).map((event) => event.status)).toEqual(['QUEUED', 'RUNNING', 'STOPPED']);
  });

  it('stops a flow that ignores its signal, frees its slot, and rejects what it writes afterwards', async () => {
    const remote = createRemote();
    harness = createTestEngine({ tasks: () => [remote.task({ ignoreSignal: true })] });
    const { engine } = harness;
    const stubborn = await startQueued(engine, 'Remote', { label: 'ignores its signal' });
    const next = await startQueued(engine, 'Remote', { label: 'next' });
    const ctx = await remote.context(stubborn.id);
    await ctx.feedback('before the stop', { progress: 0.25 });

    const outcome = await engine.stop(stubborn.id);

    expect(outcome).toMatchObject({ kind: 'TaskStopped', execution: { status: 'STOPPED' } });
    expect((ctx.signal.reason as { code?: string }).code).toBe('TASK_STOPPED');
    const stopped = (await engine.status(stubborn.id))!;
    await remote.context(next.id);

    await expect(ctx.feedback('after the stop', { mode: 'append', progress: 0.9 })).rejects.toThrow();
    remote.finish(stubborn.id, { lateResult: true });
    // once the next execution has completed, the stubborn flow's return has long settled
    remote.finish(next.id);
    await waitForStatus(engine, next.id, 'COMPLETED');

    expect(await engine.status(stubborn.id)).toMatchObject({
      status: 'STOPPED',
      feedback: 'before the stop',
      progress: 0.25,
      result: null,
      lastSequence: stopped.lastSequence,
    });
    expect(await engine.eventsAfter(stubborn.id, stopped.lastSequence)).toEqual([]);
  });

  it('stops a RUNNING execution that its owner id holds in the store but no longer runs (restart with the same ownerId)', async () => {
    harness = createTestEngine({ tasks: () => [gatedTask(createGate())], engine: { ownerId: 'instance-1' } });
    const { engine, store } = harness;
    // what a crashed run of this same instance left behind: claimed by "instance-1", lease still valid
    const now = new Date();
    const admitted = await store.executions.admit({ id: 'left-behind', task: 'Gated', input: {}, queuedAt: now }, { maxConcurrentExecutions: 1, maxQueueLength: 1 });
    const claimed = await store.executions.claimNext('Gated', {
      owner: 'instance-1', at: now, leaseExpiresAt: new Date(now.getTime() + 60_000), maxConcurrentExecutions: 1,
    });
    expect(admitted.kind).toBe('admitted');
    expect(claimed?.execution.status).toBe('RUNNING');

    const outcome = await engine.stop('left-behind');

    // nothing runs it here, so the conditional write RUNNING → STOPPED is the way to stop it;
    // ExecutionAlreadyFinished would be untrue: the execution is RUNNING and would stay so
    expect(outcome).toMatchObject({ kind: 'TaskStopped', execution: { id: 'left-behind', status: 'STOPPED' } });
    expect((await engine.status('left-behind'))!.status).toBe('STOPPED');
  });

  it('answers ExecutionAlreadyFinished, with its status, for a finished execution', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate)] });
    const { engine } = harness;
    const execution = await startQueued(engine, 'Gated');
    gate.release(execution.id, { done: true });
    const completed = await waitForStatus(engine, execution.id, 'COMPLETED');

    const outcome = await engine.stop(execution.id);

    expect(outcome).toEqual({ kind: 'ExecutionAlreadyFinished', execution: completed });
    expect(await engine.status(execution.id)).toEqual(completed);
  });

  it('answers ExecutionNotFound for an unknown id', async () => {
    harness = createTestEngine({ tasks: () => [gatedTask(createGate())] });
    expect(await harness.engine.stop('no-such-execution')).toEqual({ kind: 'ExecutionNotFound', executionId: 'no-such-execution' });
  });

  it.each(['QUEUED', 'RUNNING'] as const)('answers ExecutionAlreadyFinished to a second stop of a %s execution', async (status) => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1 } })] });
    const { engine } = harness;
    const first = await startQueued(engine, 'Gated');
    const second = await startQueued(engine, 'Gated');
    await waitFor(() => gate.running.has(first.id), { what: 'the first run' });
    const target = status === 'RUNNING' ? first : second;
    expect((await engine.status(target.id))!.status).toBe(status);

    const once = await engine.stop(target.id);
    const twice = await engine.stop(target.id);

    expect(once).toMatchObject({ kind: 'TaskStopped', execution: { status: 'STOPPED' } });
    expect(twice).toMatchObject({ kind: 'ExecutionAlreadyFinished', execution: { id: target.id, status: 'STOPPED' } });
    expect((await engine.eventsAfter(target.id, 0)).filter((event) => event.status === 'STOPPED')).toHaveLength(1);
    gate.releaseAll();
  });
});
