import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMongoStore } from '../../src/store/mongo-store.js';
import type { Store } from '../../src/store/store.js';
import { startMongoForTests, type MongoForTests } from '../support/mongo-test-db.js';
import { seedGroup, startContractsOver } from '../support/process-batch.js';
import { startServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait-for.js';

const groupSize = 300;

/**
 * A real server process on MongoDB is killed with SIGKILL in the middle of a 300-client batch and
 * started again: the restarted server recovers the execution once its lease expires and finishes
 * the batch without redoing (or duplicating) any contract.
 */
describe('a server killed in the middle of a batch', () => {
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

  it('is recovered by the restarted server: every execution ends, one contract per client, every PDF opens', async () => {
    const url = mongo.databaseUrl('crash');
    store = await connectMongoStore({ url });
    const groupId = await seedGroup(store, groupSize, 'Crash test');
    // Small batches on one thread: the batch takes long enough to be killed half-way.
    const env = { MONGODB_URL: url, LEASE_MS: '1000', SWEEP_MS: '200', WORKER_THREADS: '1', CONTRACT_BATCH_SIZE: '2' };

    const first = await startServerProcess(env);
    processes.push(first);
    const executionId = await startContractsOver(first.url, groupId);

    await waitFor(async () => (await store.contracts.contractedClientIds(executionId)).size >= 20, {
      timeoutMs: 20_000,
      what: 'the batch to be under way',
    });
    expect(await first.stop('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });
    const left = (await store.executions.get(executionId))!;
    expect(left.status).toBe('RUNNING');
    const doneBeforeCrash = (await store.contracts.contractedClientIds(executionId)).size;
    expect(doneBeforeCrash).toBeLessThan(groupSize);

    const second = await startServerProcess(env);
    processes.push(second);
    const finished = await waitFor(
      async () => {
        const execution = (await store.executions.get(executionId))!;
        return execution.finishedAt ? execution : undefined;
      },
      { timeoutMs: 30_000, what: 'the execution to end after the restart' },
    );

    expect(finished.status).toBe('COMPLETED');
    expect(finished.attempt).toBe(2);
    expect(finished.result).toEqual({ contractsCreated: groupSize });
    const page = await store.contracts.listContracts({ executionId }, { first: 1_000 });
    expect(page.totalCount).toBe(groupSize);
    const clientIds = page.edges.map((edge) => edge.node.clientId);
    expect(new Set(clientIds).size).toBe(groupSize);
    for (const { node } of page.edges) {
      const pdf = (await store.contracts.readContractPdf(node.id))!;
      expect(pdf.byteLength).toBe(node.sizeBytes);
      const document = await PDFDocument.load(pdf);
      expect(document.getPageCount()).toBeGreaterThanOrEqual(1);
    }

    // The feedback log tells the story without gaps: recovery, then the rest of the batch.
    const events = await store.executions.eventsAfter(executionId, 0);
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(events.some((event) => event.status === 'QUEUED' && /Recovered/.test(event.message ?? ''))).toBe(true);
    expect(events.at(-1)!.status).toBe('COMPLETED');

    expect(await second.stop('SIGTERM')).toMatchObject({ code: 0 });
  });
});
