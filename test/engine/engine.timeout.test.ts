import { afterEach, describe, expect, it } from 'vitest';
import { startQueued, waitForStatus, warmUp, within } from '../support/engine-helpers.js';
import { createGate, gatedTask } from '../support/gated-task.js';
import { createRemote } from '../support/remote-task.js';
import { createSpinner, type Spinner } from '../support/spinning-task.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { waitFor } from '../support/wait-for.js';

/** About 120 ms. */
const tinyTimeoutMinutes = 0.002;

describe('timeout', () => {
  let harness: TestEngine | undefined;
  let spinner: Spinner | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
    spinner?.close();
    spinner = undefined;
  });

  it('ends a run that outlives timeoutMinutes as TIMED_OUT and frees its slot for the next one', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1, timeoutMinutes: tinyTimeoutMinutes } })] });
    const { engine } = harness;
    const first = await startQueued(engine, 'Gated', { label: 'never released' });
    const second = await startQueued(engine, 'Gated', { label: 'next' });

    const timedOut = await waitForStatus(engine, first.id, 'TIMED_OUT');

    expect(timedOut.error).toMatch(/timeout/i);
    expect(timedOut.startedAt).toBeInstanceOf(Date);
    expect(timedOut.finishedAt).toBeInstanceOf(Date);
    expect(timedOut.finishedAt!.getTime()).toBeGreaterThanOrEqual(timedOut.startedAt!.getTime());
    expect(timedOut.result).toBeNull();
    // the cooperative flow saw its signal and left
    expect(gate.running.has(first.id)).toBe(false);
    const events = await engine.eventsAfter(first.id, 0);
    expect(events.at(-1)).toMatchObject({ kind: 'STATUS', status: 'TIMED_OUT', sequence: timedOut.lastSequence });
    expect(events.at(-1)!.message).toMatch(/timeout/i);

    await waitFor(() => gate.started.includes(second.id), { what: 'the queued execution to take the freed slot' });
    gate.release(second.id);
    // the next run gets its own timeout: released in time or not, it ends and never stays RUNNING
    await waitFor(
      async () => {
        const status = (await engine.status(second.id))?.status;
        return status === 'COMPLETED' || status === 'TIMED_OUT';
      },
      { what: 'the second execution to end' },
    );
  });

  it('counts the timeout from the start of running, not from the start of waiting', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1, timeoutMinutes: tinyTimeoutMinutes } })] });
    const { engine } = harness;
    const first = await startQueued(engine, 'Gated', { label: 'holds the slot until it times out' });
    const second = await startQueued(engine, 'Gated', { label: 'waits longer than the timeout' });
    // released in advance: the second run ends as soon as it starts
    gate.release(second.id);

    const firstTimedOut = await waitForStatus(engine, first.id, 'TIMED_OUT');
    const secondDone = await waitFor(
      async () => {
        const execution = await engine.status(second.id);
        return execution?.finishedAt ? execution : undefined;
      },
      { what: 'the second execution to end' },
    );

    // it waited in the queue for longer than its timeout, yet was not timed out
    expect(secondDone.startedAt!.getTime()).toBeGreaterThanOrEqual(firstTimedOut.finishedAt!.getTime());
    expect(secondDone.status).toBe('COMPLETED');
    expect(secondDone.result).toEqual({ released: second.id });
  });

  it('ends a flow that ignores its signal as TIMED_OUT and rejects its later feedback', async () => {
    const remote = createRemote();
    harness = createTestEngine({
      tasks: () => [remote.task({ ignoreSignal: true, limits: { maxConcurrentExecutions: 1, timeoutMinutes: tinyTimeoutMinutes } })],
    });
    const { engine } = harness;
    const stuck = await startQueued(engine, 'Remote', { label: 'ignores its signal' });
    const next = await startQueued(engine, 'Remote', { label: 'next' });
    const ctx = await remote.context(stuck.id);

    const timedOut = await waitForStatus(engine, stuck.id, 'TIMED_OUT');
    expect(timedOut.error).toMatch(/timeout/i);
    expect(ctx.signal.aborted).toBe(true);
    expect((ctx.signal.reason as { code?: string }).code).toBe('TASK_TIMED_OUT');

    // the flow is still "running" as far as it knows, but its slot went to the next execution
    await remote.context(next.id);
    expect(await engine.counts('Remote')).toEqual({ scheduled: 0, running: 1, queued: 0 });

    await expect(ctx.feedback('too late', { mode: 'append', progress: 0.5 })).rejects.toThrow();
    remote.finish(stuck.id, { late: true });

    // let the next execution finish: the stuck flow's return has had every chance to land by then
    remote.finish(next.id);
    await waitForStatus(engine, next.id, 'COMPLETED');
    const after = (await engine.status(stuck.id))!;
    expect(after).toMatchObject({ status: 'TIMED_OUT', result: null, feedback: '', progress: null, lastSequence: timedOut.lastSequence });
    expect(await engine.eventsAfter(stuck.id, timedOut.lastSequence)).toEqual([]);
  });

  it('terminates the worker thread of a timed-out job', async () => {
    spinner = createSpinner();
    // about 300 ms: long enough for a warm thread to pick the job up, far below any test deadline
    const tasks = spinner.task({ limits: { timeoutMinutes: 0.005 } });
    harness = createTestEngine({ tasks: () => [tasks] });
    const { engine, pool } = harness;
    await warmUp(pool);
    const execution = await startQueued(engine, 'Spinner');
    const threadId = await within(spinner.threadId(execution.id), 10_000, 'the job to report its thread');
    expect(pool.threadIds()).toContain(threadId);

    const timedOut = await waitForStatus(engine, execution.id, 'TIMED_OUT');

    expect(timedOut.error).toMatch(/timeout/i);
    await waitFor(() => !pool.threadIds().includes(threadId), { what: `thread ${threadId} to be terminated` });
    // the pool replaces the thread and still runs jobs
    await waitFor(() => pool.threadIds().length === pool.threads, { what: 'the pool to replace the thread' });
    expect(await pool.run<number>('add', { a: 2, b: 3 }, { signal: new AbortController().signal })).toBe(5);
  });
});
