import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { collections } from '../../src/store/mongo-indexes.js';
import { connectMongoStore } from '../../src/store/mongo-store.js';
import { admitted } from '../support/admission.js';
import { startMongoForTests, type MongoForTests } from '../support/mongo-test-db.js';

/**
 * Feedback sent at once is stored by one update of the execution, which holds all of its events,
 * and one insert into the log. A process that dies between the two leaves the events inside the
 * execution only: whoever reads or writes it next copies them first, so the log has no gap.
 */
describe('feedback written together on MongoDB', () => {
  let mongo: MongoForTests;
  beforeAll(async () => {
    mongo = await startMongoForTests();
  });
  afterAll(async () => {
    await mongo?.stop();
  });

  it('keeps every event of a write that died before its log copy, in order, for a reader in another process', async () => {
    const url = mongo.databaseUrl('feedback-batches');
    const writer = await connectMongoStore({ url });
    const client = await MongoClient.connect(url);
    onTestFinished(async () => {
      await writer.close();
      await client.close();
    });
    const now = new Date();
    const { execution } = admitted(await writer.executions.admit({ id: 'batched', task: 'T', input: {}, queuedAt: now }, { maxConcurrentExecutions: 1, maxQueueLength: 1 }));
    await writer.executions.claimNext('T', { owner: 'writer', at: now, leaseExpiresAt: new Date(now.getTime() + 60_000), maxConcurrentExecutions: 1 });

    const changes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => writer.executions.recordFeedback(execution.id, 1, { message: `line ${i}`, mode: 'APPEND', progress: (i + 1) / 20, at: new Date() })),
    );
    expect(changes.map((change) => change!.event.sequence)).toEqual(changes.map((_, i) => 3 + i));
    const doc = (await client.db().collection(collections.executions).findOne({ _id: execution.id as never }))!;
    // One update: the last event, and the nineteen written with it before it.
    expect(doc.lastEvent.sequence).toBe(22);
    expect((doc.earlierEvents as Array<{ sequence: number }>).map((event) => event.sequence)).toEqual(changes.slice(0, -1).map((_, i) => 3 + i));

    // What a SIGKILL between the two writes leaves: the events are in the execution only.
    await client.db().collection(collections.events).deleteMany({ executionId: execution.id, sequence: { $gte: 3 } });
    const reader = await connectMongoStore({ url });
    onTestFinished(() => reader.close());
    const log = await reader.executions.eventsAfter(execution.id, 0);
    expect(log.map((event) => event.sequence)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(log.slice(2).map((event) => [event.message, event.progress])).toEqual(changes.map((_, i) => [`line ${i}`, (i + 1) / 20]));

    // The next write starts from a single event again: the earlier ones are not delivered twice.
    const next = await reader.executions.transition(execution.id, { from: 'RUNNING', to: 'COMPLETED', at: new Date(), attempt: 1 });
    expect(next!.event.sequence).toBe(23);
    const after = (await client.db().collection(collections.executions).findOne({ _id: execution.id as never }))!;
    expect(after.earlierEvents).toBeUndefined();
    expect((await reader.executions.eventsAfter(execution.id, 0)).map((event) => event.sequence)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
  });
});
