import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { collections } from '../../src/store/mongo-indexes.js';
import { connectMongoStore } from '../../src/store/mongo-store.js';
import type { Store } from '../../src/store/store.js';
import { admitted } from '../support/admission.js';
import { startMongoForTests, type MongoForTests } from '../support/mongo-test-db.js';

/**
 * What only a shared database shows: idempotent starts and per-caller queue limits exact across
 * instances (two clients on one database), and documents of an earlier version read back and
 * migrated at start.
 */
describe('MongoDB store: idempotency and fair queues across instances, and documents of earlier versions', () => {
  let mongo: MongoForTests;
  beforeAll(async () => {
    mongo = await startMongoForTests();
  });
  afterAll(async () => {
    await mongo?.stop();
  });

  async function open(url: string): Promise<Store> {
    const store = await connectMongoStore({ url });
    onTestFinished(() => store.close());
    return store;
  }

  async function rawDb(url: string) {
    const client = await MongoClient.connect(url);
    onTestFinished(() => client.close());
    return client.db();
  }

  it('stores exactly one execution for 30 concurrent starts with one key on two instances; the rest get it as duplicate', async () => {
    const url = mongo.databaseUrl('idempotency');
    const instances = [await open(url), await open(url)];
    const queuedAt = new Date('2025-01-01T00:00:00.000Z');
    const idempotency = { key: 'alice:Report:monthly', expiresAt: new Date(queuedAt.getTime() + 60_000) };

    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        instances[i % 2]!.executions.admit(
          { id: `start-${i}`, task: 'Report', input: { i }, queuedAt, idempotency },
          { maxConcurrentExecutions: 5, maxQueueLength: 50 },
        ),
      ),
    );

    const stored = outcomes.filter((outcome) => outcome.kind === 'admitted');
    expect(stored).toHaveLength(1);
    const winner = admitted(stored[0]!).execution.id;
    expect(outcomes.filter((outcome) => outcome.kind === 'duplicate' && outcome.execution.id === winner)).toHaveLength(29);
    expect((await instances[0]!.executions.list({ task: 'Report' }, { first: 50 })).totalCount).toBe(1);
    expect(await instances[1]!.executions.counts('Report')).toEqual({ scheduled: 0, queued: 1, running: 0 });
  });

  it('admits exactly maxQueuedPerCaller of 30 concurrent starts by one caller on two instances; another caller goes on', async () => {
    const url = mongo.databaseUrl('fair');
    const instances = [await open(url), await open(url)];
    const queuedAt = new Date('2025-01-01T00:00:00.000Z');
    const limits = { maxConcurrentExecutions: 1, maxQueueLength: 50, maxQueuedPerCaller: 4 };

    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        instances[i % 2]!.executions.admit({ id: `alice-${i}`, task: 'Report', startedBy: 'alice', input: { i }, queuedAt }, limits),
      ),
    );

    expect(outcomes.filter((outcome) => outcome.kind === 'admitted')).toHaveLength(4);
    expect(outcomes.filter((outcome) => outcome.kind === 'full' && outcome.limit === 'caller')).toHaveLength(26);
    expect((await instances[0]!.executions.list({ task: 'Report', startedBy: 'alice' }, { first: 50 })).totalCount).toBe(4);
    admitted(await instances[1]!.executions.admit({ id: 'bob-1', task: 'Report', startedBy: 'bob', input: {}, queuedAt }, limits));
    expect(await instances[0]!.executions.counts('Report')).toEqual({ scheduled: 0, queued: 5, running: 0 });
  });

  it('reads documents stored before retries, priorities and schedules with defaults, and migrates the waiting ones at start', async () => {
    const url = mongo.databaseUrl('upgrade');
    const db = await rawDb(url);
    const executions = db.collection<Record<string, unknown> & { _id: string }>(collections.executions);
    // what the previous version created and stored
    await executions.createIndex({ task: 1, status: 1, queuedAt: 1, _id: 1 }, { name: 'task_status_queued' });
    const old = (id: string, status: string, queuedAtSeconds: number, extra: Record<string, unknown> = {}) => ({
      _id: id, task: 'T', status, startedBy: null, inputJson: '{"old":true}', feedback: '', progress: null, resultJson: null,
      error: null, queuedAt: new Date(Date.UTC(2024, 0, 1, 0, 0, queuedAtSeconds)), startedAt: null, finishedAt: null, attempt: 0,
      owner: null, leaseExpiresAt: null, lastSequence: 1,
      lastEvent: { _id: `${id}:1`, executionId: id, sequence: 1, at: new Date(0), kind: 'STATUS', status, message: null, mode: null, progress: null },
      ...extra,
    });
    await executions.insertMany([
      old('old-queued', 'QUEUED', 1, { slot: 0 }),
      old('old-running', 'RUNNING', 0, { slot: 1, runSlot: 0, attempt: 1, owner: 'gone' }),
      old('old-done', 'COMPLETED', 0, { finishedAt: new Date(0) }),
    ]);

    const store = await open(url);

    expect(await store.executions.get('old-queued')).toMatchObject({
      status: 'QUEUED', input: { old: true }, lostAttempts: 0, failedAttempts: 0, attempts: [], priority: 0, runAt: null,
      retryOf: null, scheduleId: null,
    });
    expect(await executions.countDocuments({ status: { $in: ['QUEUED', 'RUNNING'] }, priority: 0 })).toBe(2);
    expect(await executions.countDocuments({ status: 'COMPLETED', priority: { $exists: false } })).toBe(1);
    expect((await store.executions.get('old-done'))!.priority).toBe(0);
    // Finished before retention existed: the engine gives it an expiry at start, once.
    expect((await store.executions.get('old-done'))!.expiresAt).toBeNull();
    const expiresAt = new Date('2030-01-01T00:00:00.000Z');
    expect(await store.executions.expireUnexpired('T', expiresAt)).toBe(1);
    expect(await store.executions.expireUnexpired('T', new Date())).toBe(0);
    expect((await store.executions.get('old-done'))!.expiresAt).toEqual(expiresAt);
    expect((await store.executions.get('old-queued'))!.expiresAt).toBeNull();
    const indexNames = (await executions.listIndexes().toArray()).map((index) => index.name as string);
    expect(indexNames).not.toContain('task_status_queued');
    expect(indexNames).toEqual(expect.arrayContaining(['task_status_priority_queued', 'idempotency_key', 'status_run_at']));

    // The old queued one keeps its place ahead of a new one of the same priority.
    const fresh = admitted(
      await store.executions.admit({ id: 'new', task: 'T', input: {}, queuedAt: new Date() }, { maxConcurrentExecutions: 5, maxQueueLength: 5 }),
    ).execution;
    expect(await store.executions.queuePosition('old-queued')).toBe(1);
    expect(await store.executions.queuePosition(fresh.id)).toBe(2);
    const now = new Date();
    const claim = () => store.executions.claimNext('T', { owner: 'me', at: now, leaseExpiresAt: now, maxConcurrentExecutions: 5 });
    expect((await claim())!.execution.id).toBe('old-queued');
    expect((await claim())!.execution.id).toBe('new');

    // Starting again changes nothing more (idempotent migration).
    await open(url);
    expect(await executions.countDocuments({ status: 'COMPLETED', priority: { $exists: false } })).toBe(1);
  });
});
