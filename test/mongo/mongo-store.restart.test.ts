import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigureTaskDocument,
  ContractsDocument,
  StartTaskDocument,
  StartTaskOutcomeDocument,
  TaskStatusDocument,
  TasksDocument,
} from '../generated/graphql.js';
import { createGroup, madeUpClients } from '../support/contract-fixtures.js';
import { startMongoForTests, type MongoForTests } from '../support/mongo-test-db.js';
import { runServerExpectingFailure } from '../support/server-process.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

describe('the server on MongoDB across restarts', () => {
  let mongo: MongoForTests;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    mongo = await startMongoForTests();
  });
  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await mongo?.stop();
  });

  async function start(url: string) {
    const app = await startTestApp({ mongodbUrl: url, sweepMs: 100, leaseMs: 2_000 });
    apps.push(app);
    return app;
  }

  it('keeps task settings, queued executions and the running one over a clean restart, and finishes them', async () => {
    const url = mongo.databaseUrl('restart');
    const first = await start(url);
    const configured = await first.request(ConfigureTaskDocument, { task: 'ContractCreator', maxConcurrentExecutions: 1, maxQueueLength: 3 });
    expect(configured.configureTask.__typename).toBe('Task');
    const groupId = await createGroup(first, { name: 'Restart group', clients: madeUpClients(60) });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const started = await first.request(StartTaskDocument, { task: 'ContractCreator', input: { groupId } });
      if (started.startTask.__typename !== 'TaskQueued') throw new Error(started.startTask.__typename);
      ids.push(started.startTask.execution.id);
    }
    await first.close();

    const second = await start(url);
    const { tasks } = await second.request(TasksDocument);
    expect(tasks.find((task) => task.name === 'ContractCreator')).toMatchObject({ maxConcurrentExecutions: 1, maxQueueLength: 3 });
    for (const id of ids) {
      const done = await waitFor(
        async () => {
          const { taskStatus } = await second.request(TaskStatusDocument, { executionId: id });
          return taskStatus?.finishedAt ? taskStatus : undefined;
        },
        { timeoutMs: 30_000, what: `execution ${id} to finish after the restart` },
      );
      expect(done.status).toBe('COMPLETED');
      expect(done.result).toEqual({ contractsCreated: 60 });
      const { contracts } = await second.request(ContractsDocument, { executionId: id, first: 100 });
      expect(contracts.totalCount).toBe(60);
      expect(new Set(contracts.edges.map((edge) => edge.node.client.id)).size).toBe(60);
    }
  });

  it('answers fast and typed while the database is unreachable: /ready 503, StoreUnavailable, STORE_UNAVAILABLE', async () => {
    if (!mongo.wire) return; // only the test server can be taken away mid-test
    const url = mongo.databaseUrl('ready');
    const app = await startTestApp({ mongodbUrl: url, sweepMs: 100, leaseMs: 2_000, mongodbOperationTimeoutMs: 500 });
    apps.push(app);
    const ready = await fetch(`${app.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', store: 'mongodb' });
    const known = await app.request(StartTaskDocument, { task: 'ContractCreator', input: { groupId: 'no-such-group' } });
    expect(known.startTask.__typename).toBe('InvalidTaskInput');
    await mongo.wire.stop();
    try {
      // A load balancer's health check gives up after a second or two: /ready must answer first.
      await waitFor(async () => (await fetch(`${app.url}/ready`, { signal: AbortSignal.timeout(1_500) })).status === 503, {
        timeoutMs: 20_000,
        what: '/ready to turn 503',
      });
      const started = await app.execute(StartTaskOutcomeDocument, { task: 'ContractCreator', input: { groupId: 'standard' } });
      expect(started.errors).toBeUndefined();
      // Nothing reached the database: a retry cannot duplicate anything.
      expect(started.data?.startTask).toEqual({
        __typename: 'StoreUnavailable',
        message: 'The database is unreachable at the moment; nothing was changed. Try again shortly.',
        maybeApplied: false,
      });
      const status = await app.execute(TaskStatusDocument, { executionId: 'any' });
      expect(status.errors?.[0]).toMatchObject({ message: expect.stringMatching(/database is unreachable/), extensions: { code: 'STORE_UNAVAILABLE' } });
      const download = await fetch(`${app.url}/contracts/any.pdf`);
      expect(download.status).toBe(503);
      expect(await download.json()).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    } finally {
      mongo = await startMongoForTests();
    }
  });

  it('ends the process with a clear message when MongoDB cannot be reached at start', async () => {
    const { code, output } = await runServerExpectingFailure({
      MONGODB_URL: 'mongodb://127.0.0.1:9/unreachable?directConnection=true',
      MONGODB_CONNECT_TIMEOUT_MS: '300',
    });
    expect(code).toBe(1);
    expect(output).toMatch(/Cannot use MongoDB at mongodb:\/\/127\.0\.0\.1:9\/unreachable/);
  });
});
