import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMongoStore } from '../../src/store/mongo-store.js';
import type { Store } from '../../src/store/store.js';
import { startMongoForTests, type MongoForTests } from '../support/mongo-test-db.js';
import { seedGroup, startContractsOver } from '../support/process-batch.js';
import { startServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait-for.js';

const groupSize = 200;

/** A deploy: SIGTERM in the middle of a batch on MongoDB, then a new process finishes the batch. */
describe('a server stopped with SIGTERM in the middle of a batch', () => {
  let mongo: MongoForTests;
  let store: Store;
  const processes: Array<{ stop(signal?: NodeJS.Signals): Promise<unknown> }> = [];
  beforeAll(async () => {
    mongo = await startMongoForTests();
  });
  afterAll(async () => {
    for (const server of processes) await server.stop('SIGKILL');
    await store?.close();
    await mongo?.stop();
  });

  it('exits 0 with nothing RUNNING, hands the batch back, and the next process completes it without duplicates', async () => {
    const url = mongo.databaseUrl('shutdown');
    store = await connectMongoStore({ url });
    const groupId = await seedGroup(store, groupSize, 'Deploy test');
    // No grace: the running batch is handed back at once, half-way.
    const env = { MONGODB_URL: url, SHUTDOWN_GRACE_MS: '0', SWEEP_MS: '200', WORKER_THREADS: '1', CONTRACT_BATCH_SIZE: '2' };

    const first = await startServerProcess(env);
    processes.push(first);
    const executionId = await startContractsOver(first.url, groupId);
    await waitFor(async () => (await store.contracts.contractedClientIds(executionId)).size >= 10, {
      timeoutMs: 20_000,
      what: 'the batch to be under way',
    });

    expect(await first.stop('SIGTERM')).toMatchObject({ code: 0 });
    const handedBack = (await store.executions.get(executionId))!;
    expect(handedBack.status).toBe('QUEUED');
    expect((await store.executions.list({ status: 'RUNNING' }, { first: 10 })).totalCount).toBe(0);
    expect((await store.contracts.contractedClientIds(executionId)).size).toBeLessThan(groupSize);

    const second = await startServerProcess(env);
    processes.push(second);
    const finished = await waitFor(
      async () => {
        const execution = (await store.executions.get(executionId))!;
        return execution.finishedAt ? execution : undefined;
      },
      { timeoutMs: 30_000, what: 'the batch to finish on the next process' },
    );
    expect(finished).toMatchObject({ status: 'COMPLETED', result: { contractsCreated: groupSize } });
    const page = await store.contracts.listContracts({ executionId }, { first: 1_000 });
    expect(page.totalCount).toBe(groupSize);
    expect(new Set(page.edges.map((edge) => edge.node.clientId)).size).toBe(groupSize);
    const events = await store.executions.eventsAfter(executionId, 0);
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(events.some((event) => event.status === 'QUEUED' && /shut down/.test(event.message ?? ''))).toBe(true);
    expect(await second.stop('SIGTERM')).toMatchObject({ code: 0 });
  });
});
