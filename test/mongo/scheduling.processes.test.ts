import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  CreateScheduleDocument,
  DeleteScheduleDocument,
  ScheduledExecutionDocument,
  ScheduledExecutionsDocument,
  SchedulesDocument,
  StartTaskWithOptionsDocument,
  type ScheduledExecutionFieldsFragment,
  type ScheduledExecutionsQuery,
  type StartTaskWithOptionsMutation,
} from '../generated/graphql.js';
import { startMongoForTests, type MongoForTests } from '../support/mongo-test-db.js';
import { startServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Delayed, idempotent and scheduled starts on real server processes sharing one MongoDB
 * database: one execution per idempotency key however many instances are asked at once, one
 * execution per cron tick however many instances fire it, none after the schedule is deleted,
 * and a SCHEDULED execution that outlives the process that scheduled it.
 */
describe('scheduling on server processes on one MongoDB database', () => {
  let mongo: MongoForTests;
  beforeAll(async () => {
    mongo = await startMongoForTests();
  });
  afterAll(async () => {
    await mongo?.stop();
  });

  /** A server process (the CLI, with the tasks of test/support/scheduling-tasks.ts); killed when the test ends. */
  async function server(url: string, name: string, env: Record<string, string> = {}) {
    const started = await startServerProcess(
      { MONGODB_URL: url, INSTANCE_ID: name, SWEEP_MS: '200', WORKER_THREADS: '1', ...env },
      { args: ['src/cli.ts', '--tasks', 'test/support/scheduling-tasks.ts'], timeoutMs: 30_000 },
    );
    onTestFinished(async () => {
      await started.stop('SIGKILL');
    });
    return started;
  }

  /** POSTs a typed operation to a server process; any GraphQL error fails the test. */
  async function request<TData, TVariables>(baseUrl: string, document: TypedDocumentNode<TData, TVariables>, variables: TVariables) {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await response.json()) as { data?: TData; errors?: unknown[] };
    if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body)}`);
    return body.data;
  }

  /** Every execution of the task (newest first), through the paged connection. */
  async function allExecutions(baseUrl: string, task: string) {
    const nodes: ScheduledExecutionFieldsFragment[] = [];
    for (let after: string | null = null; ; ) {
      const { taskExecutions }: ScheduledExecutionsQuery = await request(baseUrl, ScheduledExecutionsDocument, { task, first: 100, after });
      nodes.push(...taskExecutions.edges.map((edge) => edge.node));
      if (!taskExecutions.pageInfo.hasNextPage) return { totalCount: taskExecutions.totalCount, nodes };
      after = taskExecutions.pageInfo.endCursor ?? null;
    }
  }

  const queued = (result: StartTaskWithOptionsMutation['startTask']) => {
    if (result.__typename !== 'TaskQueued') throw new Error(`expected TaskQueued, got ${JSON.stringify(result)}`);
    return result;
  };

  it('stores one execution for 50 concurrent starts with one idempotency key on two instances; the others get it deduplicated', async () => {
    const url = mongo.databaseUrl('idempotent-starts');
    const servers = await Promise.all([server(url, 'A'), server(url, 'B')]);

    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request(servers[i % 2]!.url, StartTaskWithOptionsDocument, {
          task: 'Quick',
          input: { note: `start ${i}` },
          options: { idempotencyKey: 'monthly-report:2025-01' },
        }),
      ),
    );

    const results = answers.map((answer) => queued(answer.startTask));
    const ids = new Set(results.map((result) => result.execution.id));
    expect(ids.size).toBe(1);
    expect(results.filter((result) => !result.deduplicated)).toHaveLength(1);
    expect(results.filter((result) => result.deduplicated)).toHaveLength(49);
    // Both instances see the one execution, and only it, and it runs once to its end.
    const [id] = ids;
    for (const { url: baseUrl } of servers) expect((await allExecutions(baseUrl, 'Quick')).totalCount).toBe(1);
    const done = await waitFor(
      async () => {
        const { taskStatus } = await request(servers[1]!.url, ScheduledExecutionDocument, { executionId: id! });
        return taskStatus?.status === 'COMPLETED' ? taskStatus : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50, what: 'the execution to complete' },
    );
    expect(done.id).toBe(id);
    // Every answer is the one stored execution (as it was when read), not a look-alike.
    expect(new Set(results.map((result) => result.execution.queuedAt)).size).toBe(1);
    expect((await allExecutions(servers[0]!.url, 'Quick')).totalCount).toBe(1);
  });

  it('starts exactly one execution per tick of an every-second schedule run by two instances, and none once it is deleted', async () => {
    const url = mongo.databaseUrl('every-second');
    const [a, b] = await Promise.all([server(url, 'A'), server(url, 'B')]);

    const { createSchedule } = await request(a.url, CreateScheduleDocument, { task: 'Quick', cron: '* * * * * *', input: { note: 'tick' } });
    if (createSchedule.__typename !== 'Schedule') throw new Error(`expected a Schedule, got ${JSON.stringify(createSchedule)}`);
    const scheduleId = createSchedule.id;
    const firstTick = Date.parse(createSchedule.nextRunAt);
    expect(firstTick % 1_000).toBe(0);
    // B reads it from the shared database (and fires it too once its sweep finds it due).
    const listedOnB = await request(b.url, SchedulesDocument, { task: 'Quick', first: 10 });
    expect(listedOnB.schedules.edges.map((edge) => edge.node.id)).toEqual([scheduleId]);

    const ticks = 10;
    const fromSchedule = async () => (await allExecutions(b.url, 'Quick')).nodes.filter((node) => node.scheduleId === scheduleId);
    await waitFor(async () => (await fromSchedule()).length >= ticks, { timeoutMs: 20_000, intervalMs: 50, what: `${ticks} ticks to start executions` });

    // Deleted on the other instance right after a tick was handled, well before the next one.
    const { deleteSchedule } = await request(b.url, DeleteScheduleDocument, { id: scheduleId });
    expect(deleteSchedule).toEqual({ __typename: 'ScheduleDeleted', id: scheduleId });
    const deletedAt = Date.now();
    const atDelete = (await fromSchedule()).length;
    for (const { url: baseUrl } of [a, b]) expect((await request(baseUrl, SchedulesDocument, { task: 'Quick', first: 10 })).schedules.totalCount).toBe(0);

    // Absence: two more ticks' worth of time by the clock, then nothing new.
    await waitFor(() => Date.now() >= deletedAt + 2_500, { timeoutMs: 5_000, intervalMs: 100, what: 'two ticks past the delete' });
    const executions = await fromSchedule();
    expect(executions).toHaveLength(atDelete);
    expect(executions.filter((execution) => Date.parse(execution.queuedAt) > deletedAt)).toEqual([]);

    // One execution per tick: grouped by the second of their queuing, every second from the first
    // tick on has exactly one, none is missing, none has two.
    const bySecond = new Map<number, string[]>();
    for (const execution of executions) {
      const second = Math.floor(Date.parse(execution.queuedAt) / 1_000) * 1_000;
      bySecond.set(second, [...(bySecond.get(second) ?? []), execution.id]);
    }
    const seconds = [...bySecond.keys()].sort((x, y) => x - y);
    expect(seconds).toEqual(seconds.map((_, i) => firstTick + i * 1_000));
    expect([...bySecond.values()].filter((ids) => ids.length > 1)).toEqual([]);
    expect(seconds.length).toBeGreaterThanOrEqual(ticks);
    expect(new Set(executions.map((execution) => execution.id)).size).toBe(executions.length);

    // Each tick's start was won (and logged) by exactly one instance: the one whose compare-and-set moved the schedule on.
    const announced = [a, b].flatMap((instance) =>
      instance.lines.filter((line) => line.includes('schedule tick started an execution') && line.includes(scheduleId)),
    );
    expect(announced).toHaveLength(executions.length);
    for (const execution of executions) expect(announced.filter((line) => line.includes(execution.id))).toHaveLength(1);
    // And they all ran to their end.
    await waitFor(async () => (await fromSchedule()).every((execution) => execution.status === 'COMPLETED'), {
      timeoutMs: 10_000,
      intervalMs: 50,
      what: 'the ticks\' executions to complete',
    });
  });

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'keeps a delayed start SCHEDULED across a %s of its process; the next process starts it at its runAt',
    async (signal) => {
      const url = mongo.databaseUrl(`delayed-${signal.toLowerCase()}`);
      // Long enough for the next process to start before it (a few seconds on a busy machine).
      const delayMs = 7_000;
      const first = await server(url, 'A');
      const listening = Date.now();
      const sentAt = listening;
      const { startTask } = await request(first.url, StartTaskWithOptionsDocument, {
        task: 'Quick',
        input: { note: 'later' },
        options: { delayMs },
      });
      const { execution, deduplicated } = queued(startTask);
      expect(deduplicated).toBe(false);
      expect(execution.status).toBe('SCHEDULED');
      const runAt = Date.parse(execution.runAt!);
      // delayMs counts from when the server took the request.
      expect(runAt).toBeGreaterThanOrEqual(sentAt + delayMs);
      expect(runAt).toBeLessThanOrEqual(Date.now() + delayMs);

      // Signalled right after start-up on purpose: the signal handlers used to be installed only
      // after the first sweep, and a SIGTERM in the ~100 ms before killed the process undrained.
      const exit = await first.stop(signal);
      expect(exit).toMatchObject(signal === 'SIGTERM' ? { code: 0 } : { signal: 'SIGKILL' });
      const second = await server(url, 'B');
      // Only meaningful before its time: the new process must not have started it yet.
      expect(Date.now(), 'the second process took too long to start for this test').toBeLessThan(runAt - 500);
      const { taskStatus: waiting } = await request(second.url, ScheduledExecutionDocument, { executionId: execution.id });
      expect(waiting).toMatchObject({ id: execution.id, status: 'SCHEDULED', runAt: execution.runAt, startedAt: null });

      const done = await waitFor(
        async () => {
          const { taskStatus } = await request(second.url, ScheduledExecutionDocument, { executionId: execution.id });
          return taskStatus?.status === 'COMPLETED' ? taskStatus : undefined;
        },
        { timeoutMs: delayMs + 10_000, intervalMs: 50, what: 'the delayed execution to complete' },
      );
      expect(done.runAt).toBe(execution.runAt);
      expect(Date.parse(done.startedAt!)).toBeGreaterThanOrEqual(runAt);
      // Started on time by the new process's timer (armed at its first sweep), not much later.
      expect(Date.parse(done.startedAt!) - runAt).toBeLessThan(3_000);
      expect((await allExecutions(second.url, 'Quick')).totalCount).toBe(1);
    },
  );
});
