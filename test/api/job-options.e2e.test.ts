import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseApiTokens } from '../../src/auth/api-tokens.js';
import { defineTask } from '../../src/engine/task-definition.js';
import {
  ApiCreateScheduleDocument,
  ApiDeleteScheduleDocument,
  ApiExecutionAttemptsDocument,
  ApiRetryExecutionDocument,
  ApiSchedulesDocument,
  ApiStartWithOptionsDocument,
} from '../generated/graphql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const alice = 'alice-token-0123456789abcdef';
const bob = 'bob-token-0123456789abcdef';
const ops = 'ops-token-0123456789abcdef';

/** Fails its first attempt of every execution, unless told to fail for good; then completes. */
const unreliable = defineTask({
  name: 'Unreliable',
  description: 'Fails its first attempt.',
  input: z.strictObject({ always: z.boolean().default(false) }),
  limits: { maxConcurrentExecutions: 2, maxQueueLength: 5, timeoutMinutes: 1 },
  retry: { attempts: 2, backoff: 'fixed', delayMs: 20 },
  async run(ctx) {
    if (ctx.input.always || ctx.attempt === 1) throw new Error(`failed attempt ${ctx.attempt}`);
    return { attempt: ctx.attempt };
  },
});

describe('startTask options, retries and schedules over GraphQL', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(
      { apiTokens: parseApiTokens({ API_TOKENS: `alice:user:${alice},bob:user:${bob},ops:admin:${ops}` }), maxScheduledExecutions: 3 },
      { contracts: false, extraTasks: () => [unreliable] },
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  const finished = (token: string, executionId: string) =>
    waitFor(async () => {
      const { taskStatus } = await server.as(token).request(ApiExecutionAttemptsDocument, { executionId });
      return taskStatus && ['COMPLETED', 'FAILED'].includes(taskStatus.status) ? taskStatus : undefined;
    }, { what: `${executionId} to finish` });

  it('retries a failed attempt after its backoff and shows every attempt', async () => {
    const { startTask } = await server.as(alice).request(ApiStartWithOptionsDocument, { task: 'Unreliable', input: {} });
    if (startTask.__typename !== 'TaskQueued') throw new Error(startTask.__typename);
    const done = await finished(alice, startTask.execution.id);
    expect(done).toMatchObject({ status: 'COMPLETED', attempt: 2, failedAttempts: 1, nextAttemptAt: null, task: { retry: { attempts: 2, backoff: 'FIXED', delayMs: 20 } } });
    expect(done.attempts.map(({ attempt, outcome, error }) => ({ attempt, outcome, error }))).toEqual([
      { attempt: 1, outcome: 'FAILED', error: 'failed attempt 1' },
      { attempt: 2, outcome: 'COMPLETED', error: null },
    ]);
  });

  it('schedules a start for later, with its runAt, and answers bad options and the scheduled limit as data', async () => {
    const runAt = new Date(Date.now() + 3_600_000).toISOString();
    const { startTask } = await server.as(alice).request(ApiStartWithOptionsDocument, { task: 'Unreliable', input: {}, options: { runAt, priority: 3 } });
    expect(startTask).toMatchObject({ __typename: 'TaskQueued', deduplicated: false, execution: { status: 'SCHEDULED', runAt, priority: 3, queuePosition: null } });

    const bad = await server.as(alice).request(ApiStartWithOptionsDocument, { task: 'Unreliable', options: { delayMs: -5, priority: 5_000 } });
    expect(bad.startTask).toMatchObject({ __typename: 'InvalidTaskInput', problems: [{ path: 'options.delayMs' }, { path: 'options.priority' }] });

    for (let i = 0; i < 2; i++) await server.as(alice).request(ApiStartWithOptionsDocument, { task: 'Unreliable', input: {}, options: { delayMs: 3_600_000 } });
    const refused = await server.as(alice).request(ApiStartWithOptionsDocument, { task: 'Unreliable', input: {}, options: { delayMs: 3_600_000 } });
    expect(refused.startTask).toMatchObject({ __typename: 'TooManyScheduled', maxScheduledExecutions: 3 });
  });

  it('deduplicates by idempotency key per caller', async () => {
    const key = { task: 'Unreliable', input: {}, options: { idempotencyKey: 'invoice-42' } };
    const first = await server.as(alice).request(ApiStartWithOptionsDocument, key);
    const again = await server.as(alice).request(ApiStartWithOptionsDocument, key);
    const bobs = await server.as(bob).request(ApiStartWithOptionsDocument, key);
    if (first.startTask.__typename !== 'TaskQueued' || again.startTask.__typename !== 'TaskQueued' || bobs.startTask.__typename !== 'TaskQueued') {
      throw new Error('expected TaskQueued');
    }
    expect([first.startTask.deduplicated, again.startTask.deduplicated, bobs.startTask.deduplicated]).toEqual([false, true, false]);
    expect(again.startTask.execution.id).toBe(first.startTask.execution.id);
    expect(bobs.startTask.execution.id).not.toBe(first.startTask.execution.id);
  });

  it('retryExecution restarts a failed execution for whoever may see it, once', async () => {
    const { startTask } = await server.as(alice).request(ApiStartWithOptionsDocument, { task: 'Unreliable', input: { always: true } });
    if (startTask.__typename !== 'TaskQueued') throw new Error(startTask.__typename);
    const failed = await finished(alice, startTask.execution.id);
    expect(failed).toMatchObject({ status: 'FAILED', failedAttempts: 2, error: 'failed attempt 2' });

    expect((await server.as(bob).request(ApiRetryExecutionDocument, { executionId: failed.id })).retryExecution.__typename).toBe('ExecutionNotFound');
    const retried = await server.as(alice).request(ApiRetryExecutionDocument, { executionId: failed.id });
    const byAdmin = await server.as(ops).request(ApiRetryExecutionDocument, { executionId: failed.id });
    expect(retried.retryExecution).toMatchObject({ __typename: 'TaskQueued', deduplicated: false, execution: { retryOf: failed.id, input: { always: true } } });
    expect(byAdmin.retryExecution).toMatchObject({ __typename: 'TaskQueued', deduplicated: true });
    if (retried.retryExecution.__typename !== 'TaskQueued') throw new Error('expected TaskQueued');
    // The retry is alice's, like the original.
    expect((await server.as(alice).request(ApiExecutionAttemptsDocument, { executionId: retried.retryExecution.execution.id })).taskStatus).not.toBeNull();
  });

  it("creates, lists and deletes schedules: each caller's own, typed refusals", async () => {
    const made = await server.as(alice).request(ApiCreateScheduleDocument, { task: 'Unreliable', cron: '0 6 * * 1-5', input: {}, timezone: 'Europe/Amsterdam' });
    expect(made.createSchedule).toMatchObject({ __typename: 'Schedule', task: 'Unreliable', cron: '0 6 * * 1-5', timezone: 'Europe/Amsterdam', source: 'API', createdBy: 'alice' });
    if (made.createSchedule.__typename !== 'Schedule') throw new Error('expected a Schedule');
    const id = made.createSchedule.id;
    expect(new Date(made.createSchedule.nextRunAt).getTime()).toBeGreaterThan(Date.now());

    const bad = await server.as(alice).request(ApiCreateScheduleDocument, { task: 'Unreliable', cron: '*/2 * * * * * *', input: {} });
    expect(bad.createSchedule).toMatchObject({ __typename: 'InvalidSchedule', problems: [{ path: 'cron' }] });
    const badInput = await server.as(alice).request(ApiCreateScheduleDocument, { task: 'Unreliable', cron: '*/2 * * * * *', input: { nope: 1 } });
    expect(badInput.createSchedule.__typename).toBe('InvalidTaskInput');

    expect((await server.as(alice).request(ApiSchedulesDocument, {})).schedules.edges.map((edge) => edge.node.id)).toEqual([id]);
    expect((await server.as(bob).request(ApiSchedulesDocument, {})).schedules.totalCount).toBe(0);
    expect((await server.as(ops).request(ApiSchedulesDocument, { task: 'Unreliable' })).schedules.totalCount).toBe(1);
    expect((await server.as(bob).request(ApiDeleteScheduleDocument, { id })).deleteSchedule.__typename).toBe('ScheduleNotFound');
    expect((await server.as(alice).request(ApiDeleteScheduleDocument, { id })).deleteSchedule.__typename).toBe('ScheduleDeleted');
    expect((await server.as(ops).request(ApiSchedulesDocument, {})).schedules.totalCount).toBe(0);
  });
});
