import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ExecutionChangeEvent } from '../../src/engine/events.js';
import { NonRetryableError } from '../../src/engine/errors.js';
import type { RetryPolicy } from '../../src/engine/retry-policy.js';
import { defineTask } from '../../src/engine/task-definition.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { drain, startQueued, waitForStatus } from '../support/engine-helpers.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { deferred, waitFor } from '../support/wait-for.js';

/** A flow that fails its first `failures` attempts (after the test lets each begin), then completes. */
function flakyTask(options: { failures: number; retry: RetryPolicy; nonRetryable?: boolean; timeoutMinutes?: number; hang?: boolean }) {
  const started: number[] = [];
  let go = deferred();
  return {
    started,
    /** Lets the attempt waiting now go on (to fail or complete). */
    release() {
      go.resolve();
      go = deferred();
    },
    task: defineTask({
      name: 'Flaky',
      description: 'Fails a few times, then works.',
      input: z.strictObject({}),
      limits: { maxConcurrentExecutions: 1, maxQueueLength: 10, timeoutMinutes: options.timeoutMinutes ?? 1 },
      retry: options.retry,
      async run(ctx) {
        started.push(ctx.attempt);
        if (options.hang) return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));
        await go.promise;
        if (started.length <= options.failures) {
          if (options.nonRetryable) throw new NonRetryableError('the record is gone');
          throw new Error(`boom ${started.length}`);
        }
        return { attempts: started.length };
      },
    }),
  };
}

describe('retries', () => {
  let harness: TestEngine | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  it('fails twice, then completes at attempt 3; each retry waits its backoff and the log records it', async () => {
    const flaky = flakyTask({ failures: 2, retry: { attempts: 3, backoff: 'exponential', delayMs: 40, jitter: 0 } });
    harness = createTestEngine({ tasks: () => [flaky.task] });
    const { engine } = harness;
    const execution = await startQueued(engine, 'Flaky');
    const stream = (await engine.openFeedbackStream(execution.id, 0))!;
    const events = drain(stream);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await waitFor(() => flaky.started.length === attempt, { what: `attempt ${attempt} to start` });
      flaky.release();
    }
    const done = await waitForStatus(engine, execution.id, 'COMPLETED');
    const log: ExecutionChangeEvent[] = await events;

    expect(done).toMatchObject({ status: 'COMPLETED', attempt: 3, failedAttempts: 2, error: null, result: { attempts: 3 } });
    expect(done.attempts.map(({ attempt, outcome, error }) => ({ attempt, outcome, error }))).toEqual([
      { attempt: 1, outcome: 'FAILED', error: 'boom 1' },
      { attempt: 2, outcome: 'FAILED', error: 'boom 2' },
      { attempt: 3, outcome: 'COMPLETED', error: null },
    ]);
    // Each failure scheduled the next attempt its backoff later (40 ms, then 80 ms), and that attempt began no earlier.
    const retries = log.filter(({ event }) => event.kind === 'STATUS' && event.status === 'SCHEDULED');
    expect(retries.map(({ event }) => event.message)).toEqual([
      expect.stringMatching(/^Attempt 1 of 3 failed: boom 1\. Retrying in 40 ms/),
      expect.stringMatching(/^Attempt 2 of 3 failed: boom 2\. Retrying in 80 ms/),
    ]);
    for (const [index, { execution: scheduled, event }] of retries.entries()) {
      expect(scheduled.runAt!.getTime() - event.at.getTime()).toBe(40 * 2 ** index);
      expect(done.attempts[index + 1]!.startedAt!.getTime()).toBeGreaterThanOrEqual(scheduled.runAt!.getTime());
    }
    expect(log.map(({ event }) => event.status).filter((status, i, all) => status !== all[i - 1])).toEqual([
      'QUEUED', 'RUNNING', 'SCHEDULED', 'QUEUED', 'RUNNING', 'SCHEDULED', 'QUEUED', 'RUNNING', 'COMPLETED',
    ]);
  });

  it('ends FAILED with the last error once the attempts are used up', async () => {
    const flaky = flakyTask({ failures: 5, retry: { attempts: 2, backoff: 'fixed', delayMs: 0 } });
    harness = createTestEngine({ tasks: () => [flaky.task] });
    const execution = await startQueued(harness.engine, 'Flaky');
    for (let attempt = 1; attempt <= 2; attempt++) {
      await waitFor(() => flaky.started.length === attempt, { what: `attempt ${attempt}` });
      flaky.release();
    }
    const failed = await waitForStatus(harness.engine, execution.id, 'FAILED');
    expect(failed).toMatchObject({ attempt: 2, failedAttempts: 2, error: 'boom 2' });
    expect(failed.attempts.map((record) => record.outcome)).toEqual(['FAILED', 'FAILED']);
  });

  it('does not retry a NonRetryableError', async () => {
    const flaky = flakyTask({ failures: 1, nonRetryable: true, retry: { attempts: 5, delayMs: 0 } });
    harness = createTestEngine({ tasks: () => [flaky.task] });
    const execution = await startQueued(harness.engine, 'Flaky');
    await waitFor(() => flaky.started.length === 1, { what: 'the attempt' });
    flaky.release();
    const failed = await waitForStatus(harness.engine, execution.id, 'FAILED');
    expect(failed).toMatchObject({ attempt: 1, failedAttempts: 1, error: 'the record is gone' });
    expect(flaky.started).toEqual([1]);
  });

  it('does not retry a timeout by default, and does with retryTimeouts', async () => {
    const plain = flakyTask({ failures: 0, hang: true, timeoutMinutes: 0.001, retry: { attempts: 3, delayMs: 0 } });
    harness = createTestEngine({ tasks: () => [plain.task] });
    const once = await startQueued(harness.engine, 'Flaky');
    expect(await waitForStatus(harness.engine, once.id, 'TIMED_OUT')).toMatchObject({ attempt: 1, failedAttempts: 0 });
    await harness.dispose();

    const retried = flakyTask({ failures: 0, hang: true, timeoutMinutes: 0.001, retry: { attempts: 2, delayMs: 0, retryTimeouts: true } });
    harness = createTestEngine({ tasks: () => [retried.task] });
    const twice = await startQueued(harness.engine, 'Flaky');
    const timedOut = await waitForStatus(harness.engine, twice.id, 'TIMED_OUT');
    expect(timedOut).toMatchObject({ attempt: 2, failedAttempts: 2 });
    expect(timedOut.attempts.map((record) => record.outcome)).toEqual(['TIMED_OUT', 'TIMED_OUT']);
  });

  it('never retries a stop, and a stop while waiting to retry ends it for good', async () => {
    const flaky = flakyTask({ failures: 5, retry: { attempts: 5, backoff: 'fixed', delayMs: 60_000 } });
    harness = createTestEngine({ tasks: () => [flaky.task] });
    const { engine } = harness;
    const waiting = await startQueued(engine, 'Flaky');
    await waitFor(() => flaky.started.length === 1, { what: 'the first attempt' });
    flaky.release();
    const scheduled = await waitForStatus(engine, waiting.id, 'SCHEDULED');
    expect(scheduled.runAt!.getTime()).toBeGreaterThan(Date.now());
    expect(await engine.stop(waiting.id)).toMatchObject({ kind: 'TaskStopped', execution: { status: 'STOPPED' } });

    const running = await startQueued(engine, 'Flaky');
    await waitFor(() => flaky.started.length === 2, { what: 'the second execution to run' });
    expect(await engine.stop(running.id)).toMatchObject({ kind: 'TaskStopped', execution: { status: 'STOPPED', failedAttempts: 0 } });
    expect((await engine.status(running.id))!.attempts.map((record) => record.outcome)).toEqual(['STOPPED']);
  });

  it('stops an execution whose attempt is being set to retry at that moment: it does not run again', async () => {
    const store = createMemoryStore();
    const transition = store.executions.transition.bind(store.executions);
    const retryWrite = deferred();
    const retryWriteHeld = deferred();
    store.executions.transition = async (id, change) => {
      if (change.to === 'SCHEDULED') {
        retryWriteHeld.resolve();
        await retryWrite.promise;
      }
      return transition(id, change);
    };
    const flaky = flakyTask({ failures: 5, retry: { attempts: 3, backoff: 'fixed', delayMs: 0 } });
    harness = createTestEngine({ tasks: () => [flaky.task], store });
    const execution = await startQueued(harness.engine, 'Flaky');
    await waitFor(() => flaky.started.length === 1, { what: 'the first attempt' });
    flaky.release();
    await retryWriteHeld.promise;
    const stopping = harness.engine.stop(execution.id);
    retryWrite.resolve();
    // Before the fix the stop answered ExecutionAlreadyFinished with a SCHEDULED execution, which then ran again.
    expect(await stopping).toMatchObject({ kind: 'TaskStopped', execution: { status: 'STOPPED' } });
    expect((await harness.engine.status(execution.id))!.status).toBe('STOPPED');
  });

  it('retryExecution starts a failed execution again with the same input, once', async () => {
    const flaky = flakyTask({ failures: 1, retry: { attempts: 1 } });
    harness = createTestEngine({ tasks: () => [flaky.task] });
    const { engine } = harness;
    const original = await startQueued(engine, 'Flaky');
    await waitFor(() => flaky.started.length === 1, { what: 'the attempt' });
    flaky.release();
    await waitForStatus(engine, original.id, 'FAILED');

    const retry = await engine.retry(original.id);
    const again = await engine.retry(original.id);
    expect(retry).toMatchObject({ kind: 'TaskQueued', deduplicated: false, execution: { retryOf: original.id, input: original.input } });
    expect(again).toMatchObject({ kind: 'TaskQueued', deduplicated: true });
    if (retry.kind !== 'TaskQueued' || again.kind !== 'TaskQueued') throw new Error('expected TaskQueued');
    expect(again.execution.id).toBe(retry.execution.id);
    await waitFor(() => flaky.started.length === 2, { what: 'the retry to run' });
    flaky.release();
    await waitForStatus(engine, retry.execution.id, 'COMPLETED');
    expect(await engine.retry(retry.execution.id)).toMatchObject({ kind: 'ExecutionNotRetryable', execution: { status: 'COMPLETED' } });
    expect(await engine.retry('no-such-id')).toEqual({ kind: 'ExecutionNotFound', executionId: 'no-such-id' });
  });
});
