import { Binary, GridFSBucket, MongoClient, type Db } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contractIdFor } from '../../src/contracts/contract-id.js';
import { connectMongoStore } from '../../src/store/mongo-store.js';
import { StopTaskDocument } from '../generated/graphql.js';
import { admitted } from '../support/admission.js';
import { startMongoForTests, type MongoForTests } from '../support/mongo-test-db.js';
import { seedGroup, waitUntilFinished } from '../support/process-batch.js';
import { contractStoreOn } from '../support/store-adapters.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/**
 * A process that dies between storing a contract's PDF and the contract itself leaves bytes
 * without their contract. These tests build exactly that state (what a SIGKILL at that moment
 * leaves: the PDF, or only its first chunk, and a RUNNING execution whose lease has run out),
 * then let a live server take over: no stored bytes may be left without their contract.
 */
describe('PDFs a dead attempt left without their contract', () => {
  let mongo: MongoForTests;
  const cleanups: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    mongo = await startMongoForTests();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await mongo?.stop();
  });

  async function crashedMidSave(prefix: string) {
    const url = mongo.databaseUrl(prefix);
    const store = await connectMongoStore({ url });
    const contracts = await contractStoreOn(store);
    const client = await MongoClient.connect(url);
    cleanups.push(() => store.close(), () => client.close());
    const db = client.db();
    const groupId = await seedGroup(contracts, 3, 'Orphans');
    const group = (await contracts.getGroup(groupId))!;
    const clients = await contracts.listClients(groupId);
    const admission = await store.executions.admit(
      { id: `${prefix}-execution`, task: 'ContractCreator', input: { groupId, groupName: group.name, template: group.template }, queuedAt: new Date() },
      { maxConcurrentExecutions: 2, maxQueueLength: 10 },
    );
    const executionId = admitted(admission).execution.id;
    // The dead server's claim: its lease ran out at once.
    await store.executions.claimNext('ContractCreator', { owner: 'dead', at: new Date(), leaseExpiresAt: new Date(Date.now() - 1), maxConcurrentExecutions: 2 });
    // It had stored the first client's whole PDF and the first chunk of the second's, no contract.
    await upload(db, contractIdFor(executionId, clients[0]!.id), executionId);
    await db.collection('contract_pdfs.chunks').insertOne({ files_id: contractIdFor(executionId, clients[1]!.id), n: 0, data: new Binary(Buffer.from('%PDF-half')) });
    expect(await countPdfs(db)).toEqual({ files: 1, chunks: 2 });
    return { url, store, contracts, db, executionId, clients };
  }

  async function serve(url: string, config: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
    const app = await startTestApp({ mongodbUrl: url, sweepMs: 50, ...config }, { contracts: { demoData: false } });
    cleanups.push(() => app.close());
    return app;
  }

  it('the retry stores those clients again: one complete PDF per contract, nothing left in GridFS', async () => {
    const { url, store, contracts: contractStore, db, executionId } = await crashedMidSave('retried');
    await serve(url);
    const finished = await waitUntilFinished(store, executionId);
    expect(finished).toMatchObject({ status: 'COMPLETED', attempt: 2, lostAttempts: 1, result: { contractsCreated: 3 } });
    const contracts = (await contractStore.listContracts({ executionId }, { first: 10 })).edges.map((edge) => edge.node);
    expect(contracts).toHaveLength(3);
    // The PDFs are small enough to be stored inside their contracts: what the dead attempt left in
    // GridFS under those ids goes once the execution ends.
    await expectEventually(() => countPdfs(db), { files: 0, chunks: 0 });
    for (const contract of contracts) {
      const pdf = Buffer.from((await contractStore.readContractPdf(contract.id))!);
      expect(pdf.byteLength).toBe(contract.sizeBytes);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    }
  });

  it('an execution that gets no further attempt (its last one was lost) keeps no bytes', async () => {
    const { url, store, db, executionId } = await crashedMidSave('last-attempt');
    await serve(url, { maxAttempts: 1 });
    const failed = await waitUntilFinished(store, executionId);
    expect(failed).toMatchObject({ status: 'FAILED', lostAttempts: 1 });
    expect(failed.error).toMatch(/stopped responding.*none left/);
    await expectEventually(() => countPdfs(db), { files: 0, chunks: 0 });
  });

  it('an execution stopped while it waits for its next attempt keeps no bytes', async () => {
    const { url, store, db, executionId } = await crashedMidSave('stopped');
    // No free run slot for the recovered execution: one run at a time, held by a live instance.
    await store.taskSettings.save('ContractCreator', { maxConcurrentExecutions: 1, maxQueueLength: 10, timeoutMinutes: 30 });
    await store.executions.admit({ id: 'blocker', task: 'ContractCreator', input: {}, queuedAt: new Date() }, { maxConcurrentExecutions: 2, maxQueueLength: 10 });
    const blocker = await store.executions.claimNext('ContractCreator', {
      owner: 'alive',
      at: new Date(),
      leaseExpiresAt: new Date(Date.now() + 60_000),
      maxConcurrentExecutions: 2,
    });
    expect(blocker?.execution.id).toBe('blocker');
    const app = await serve(url);
    await waitFor(async () => (await store.executions.get(executionId))!.status === 'QUEUED', { what: 'the recovery to queue it again' });
    const { stopTask } = await app.request(StopTaskDocument, { executionId });
    expect(stopTask.__typename).toBe('TaskStopped');
    await expectEventually(() => countPdfs(db), { files: 0, chunks: 0 });
  });
});

async function upload(db: Db, id: string, executionId: string): Promise<void> {
  const bucket = new GridFSBucket(db, { bucketName: 'contract_pdfs' });
  await new Promise<void>((resolve, reject) => {
    const stream = bucket.openUploadStreamWithId(id as never, 'left-behind.pdf', { metadata: { executionId } });
    stream.once('finish', () => resolve()).once('error', reject);
    stream.end(Buffer.from('%PDF-1.7 left behind'));
  });
}

async function countPdfs(db: Db) {
  return {
    files: await db.collection('contract_pdfs.files').countDocuments({}),
    chunks: await db.collection('contract_pdfs.chunks').countDocuments({}),
  };
}

/** The cleanup runs after the terminal status is stored: wait for its effect. */
async function expectEventually<T>(read: () => Promise<T>, expected: T): Promise<void> {
  await waitFor(async () => JSON.stringify(await read()) === JSON.stringify(expected), { what: `the stored PDFs to be ${JSON.stringify(expected)}` });
}
