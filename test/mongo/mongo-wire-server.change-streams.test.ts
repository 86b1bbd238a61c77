import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { GridFSBucket, Long, MongoClient, ObjectId, Timestamp, type ChangeStream, type Db, type Document } from 'mongodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { MongoWireServer } from '../support/mongo-wire-server.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait-for.js';
import { startConnectedServer, type AnyDoc } from './wire-server-fixture.js';

const RS = { replicaSet: 'rs0' } as const;

/** Resolves once the server has received `count` getMores in all: the last one is then waiting. */
function getMoresReceived(server: MongoWireServer, count: number): Promise<true> {
  return waitFor(() => server.commandLog.filter((entry) => entry.command === 'getMore').length >= count, { what: `${count} getMore(s)` });
}

const getMoreCount = (server: MongoWireServer) => server.commandLog.filter((entry) => entry.command === 'getMore').length;

/**
 * Starts reading a change stream and resolves once its cursor is open and its first getMore
 * waits on the server: every later write is seen. Returns what reads the next event.
 */
async function reading(server: MongoWireServer, stream: ChangeStream<AnyDoc, Document>): Promise<() => Promise<Document>> {
  const before = getMoreCount(server);
  const first = stream.next();
  first.catch(() => {}); // awaited by the caller; a rejection must not count as unhandled meanwhile
  await getMoresReceived(server, before + 1);
  let pending: Promise<Document> | undefined = first;
  return () => {
    const next = pending ?? stream.next();
    pending = undefined;
    return next;
  };
}

/** Opens a raw change stream cursor with the aggregate command, as the driver does. */
async function openRaw(db: Db, collection: string | 1, stage: Document = {}, batchSize?: number) {
  const reply = await db.command({ aggregate: collection, pipeline: [{ $changeStream: stage }], cursor: batchSize === undefined ? {} : { batchSize } });
  return reply.cursor as { id: Long; firstBatch: Document[]; postBatchResumeToken: { _data: string }; ns: string };
}

async function rawGetMore(db: Db, id: Long, collection: string, extra: Document = {}) {
  const reply = await db.command({ getMore: id, collection, ...extra });
  return reply.cursor as { id: Long; nextBatch: Document[]; postBatchResumeToken: { _data: string } };
}

describe('mongo wire server: replica-set mode and change streams', () => {
  it('answers hello as the primary of a one-member replica set, which the driver sees as RSPrimary', async () => {
    const { server, db } = await startConnectedServer(RS);
    const hello = await db.admin().command({ hello: 1 });
    const me = `127.0.0.1:${server.port}`;
    expect(hello).toMatchObject({ setName: 'rs0', isWritablePrimary: true, secondary: false, hosts: [me], primary: me, me, setVersion: 1, ok: 1 });
    expect(hello.electionId.toHexString()).toBe('7fffffff0000000000000001');
    expect(hello.operationTime).toBeInstanceOf(Timestamp);
    expect(hello.$clusterTime.clusterTime).toBeInstanceOf(Timestamp);
    expect(hello.topologyVersion.processId).toBeInstanceOf(ObjectId);

    const client = new MongoClient(`${server.url}/wire_test?directConnection=true`, { serverSelectionTimeoutMS: 5_000 });
    onTestFinished(() => client.close());
    const types: string[] = [];
    client.on('serverDescriptionChanged', (event) => types.push(event.newDescription.type));
    await client.connect();
    expect(types).toContain('RSPrimary');
  });

  it('answers a retried write (same session and txnNumber) from its first execution, as a replica-set member does', async () => {
    const { db, client } = await startConnectedServer(RS);
    const session = client.startSession();
    onTestFinished(() => session.endSession());
    const insert = (txnNumber: number) => db.command({ insert: 'r', documents: [{ _id: 1, n: txnNumber }], txnNumber: Long.fromNumber(txnNumber) }, { session });
    expect(await insert(1)).toMatchObject({ n: 1, ok: 1 });
    expect(await insert(1)).toMatchObject({ n: 1, ok: 1 }); // not E11000: recognised as the retry it is
    expect(await db.collection<AnyDoc>('r').find().toArray()).toEqual([{ _id: 1, n: 1 }]);
    expect(await insert(2)).toMatchObject({ n: 0, writeErrors: [{ code: 11000 }] }); // a new write runs
    await expect(insert(1)).rejects.toMatchObject({ code: 225, codeName: 'TransactionTooOld' });
    const inc = (txnNumber: number) =>
      db.command({ findAndModify: 'r', query: { _id: 1 }, update: { $inc: { n: 1 } }, new: true, txnNumber: Long.fromNumber(txnNumber) }, { session });
    expect((await inc(3)).value).toEqual({ _id: 1, n: 2 });
    expect((await inc(3)).value).toEqual({ _id: 1, n: 2 });
    expect(await db.collection<AnyDoc>('r').findOne({ _id: 1 })).toEqual({ _id: 1, n: 2 });
  });

  it('refuses change streams on a standalone with 40573, as mongod does', async () => {
    const { db } = await startConnectedServer();
    expect(await db.admin().command({ hello: 1 })).not.toHaveProperty('setName');
    const stream = db.collection<AnyDoc>('x').watch();
    await expect(stream.tryNext()).rejects.toMatchObject({
      code: 40573,
      codeName: 'Location40573',
      message: 'The $changeStream stage is only supported on replica sets',
    });
    await stream.close();
  });

  it('collection.watch() sees insert, update, replace and delete of its collection with mongod’s fields', async () => {
    const { db, server } = await startConnectedServer(RS);
    const tasks = db.collection<AnyDoc>('tasks');
    const stream = tasks.watch<AnyDoc, Document>([], { maxAwaitTimeMS: 20_000 });
    onTestFinished(() => stream.close());
    const next = await reading(server, stream);

    await tasks.insertOne({ _id: 1, status: 'queued', attempts: 0, note: 'x' });
    await db.collection<AnyDoc>('other').insertOne({ _id: 1 });
    await tasks.updateOne({ _id: 1 }, { $set: { status: 'running' }, $inc: { attempts: 1 }, $unset: { note: '' } });
    await tasks.updateOne({ _id: 1 }, { $set: { status: 'running' } }); // changes nothing: no event
    await tasks.replaceOne({ _id: 1 }, { status: 'done' });
    await tasks.deleteOne({ _id: 1 });

    const events = [await next(), await next(), await next(), await next()];
    const ns = { db: 'wire_test', coll: 'tasks' };
    expect(events[0]).toEqual({
      _id: { _data: expect.any(String) },
      operationType: 'insert',
      clusterTime: expect.any(Timestamp),
      wallTime: expect.any(Date),
      fullDocument: { _id: 1, status: 'queued', attempts: 0, note: 'x' },
      ns,
      documentKey: { _id: 1 },
    });
    expect(events[1]).toMatchObject({
      operationType: 'update',
      ns,
      documentKey: { _id: 1 },
      updateDescription: { updatedFields: { status: 'running', attempts: 1 }, removedFields: ['note'], truncatedArrays: [] },
    });
    expect(events[1]).not.toHaveProperty('fullDocument');
    expect(events[2]).toMatchObject({ operationType: 'replace', fullDocument: { _id: 1, status: 'done' }, documentKey: { _id: 1 } });
    expect(events[3]).toMatchObject({ operationType: 'delete', ns, documentKey: { _id: 1 } });
    expect(events[3]).not.toHaveProperty('fullDocument');

    const tokens = events.map((event) => event._id._data as string);
    expect([...tokens].sort()).toEqual(tokens);
    expect(new Set(tokens).size).toBe(4);
    const times = events.map((event) => event.clusterTime as Timestamp);
    for (let i = 1; i < times.length; i++) expect(times[i]!.greaterThan(times[i - 1]!)).toBe(true);
    expect(stream.resumeToken).toEqual(events[3]!._id);
    // Nothing else happened to `tasks`: a stream resumed after the delete finds nothing.
    const after = tasks.watch([], { maxAwaitTimeMS: 50, resumeAfter: events[3]!._id });
    expect(await after.tryNext()).toBeNull();
    await after.close();
  });

  it('db.watch() sees every collection of its database: upserts, findAndModify and GridFS uploads too', async () => {
    const { db, client, server } = await startConnectedServer(RS);
    const stream = db.watch<AnyDoc, Document>([], { maxAwaitTimeMS: 20_000 });
    onTestFinished(() => stream.close());
    const next = await reading(server, stream);

    const jobs = db.collection<AnyDoc>('jobs');
    await jobs.updateOne({ _id: 'u' }, { $set: { v: 1 } }, { upsert: true });
    await jobs.findOneAndUpdate({ _id: 'u' }, { $inc: { v: 1 } });
    await jobs.findOneAndReplace({ _id: 'u' }, { v: 10 });
    await jobs.findOneAndDelete({ _id: 'u' });
    await client.db('elsewhere').collection<AnyDoc>('jobs').insertOne({ _id: 'not seen' });
    const bucket = new GridFSBucket(db, { chunkSizeBytes: 4 });
    const upload = bucket.openUploadStream('f.txt');
    await pipeline(Readable.from([Buffer.from('12345678')]), upload);

    const seen: Array<[string, string]> = [];
    while (seen.length < 7) {
      const event = await next();
      seen.push([event.operationType, event.ns.coll]);
      if (event.ns.coll === 'jobs' && event.operationType === 'update') expect(event.updateDescription.updatedFields).toEqual({ v: 2 });
    }
    expect(seen).toEqual([
      ['insert', 'jobs'],
      ['update', 'jobs'],
      ['replace', 'jobs'],
      ['delete', 'jobs'],
      ['insert', 'fs.chunks'],
      ['insert', 'fs.chunks'],
      ['insert', 'fs.files'],
    ]);
  });

  it('filters with $match and shapes with $project, $addFields and $unset; fullDocument updateLookup reads the current document', async () => {
    // requireIndexes, as the product's tests run: change streams and their lookups are not planned queries.
    const { db, server } = await startConnectedServer({ ...RS, requireIndexes: true });
    const executions = db.collection<AnyDoc>('executions');
    const stream = db.watch<AnyDoc, Document>(
      [
        {
          $match: {
            'ns.coll': { $in: ['executions'] },
            $or: [{ operationType: { $in: ['insert', 'replace'] } }, { operationType: 'update', 'updateDescription.updatedFields.lastSequence': { $exists: true } }],
          },
        },
        { $project: { operationType: 1, ns: 1, documentKey: 1, fullDocument: 1 } },
        { $addFields: { seen: true } },
        { $unset: 'ns' },
      ],
      { fullDocument: 'updateLookup', maxAwaitTimeMS: 20_000 },
    );
    onTestFinished(() => stream.close());
    const next = await reading(server, stream);

    await db.collection<AnyDoc>('settings').insertOne({ _id: 's' });
    await executions.insertOne({ _id: 'e', lastSequence: 0, leaseUntil: 1 });
    await executions.updateOne({ _id: 'e' }, { $set: { leaseUntil: 2 } }); // filtered out: no new sequence
    await executions.updateOne({ _id: 'e' }, { $set: { lastSequence: 1 } });
    await executions.updateOne({ _id: 'e' }, { $set: { leaseUntil: 3 } }); // before the event above is read

    const inserted = await next();
    expect(inserted).toEqual({ _id: expect.anything(), operationType: 'insert', documentKey: { _id: 'e' }, fullDocument: { _id: 'e', lastSequence: 0, leaseUntil: 1 }, seen: true });
    const updated = await next();
    expect(updated).toEqual({ _id: expect.anything(), operationType: 'update', documentKey: { _id: 'e' }, fullDocument: { _id: 'e', lastSequence: 1, leaseUntil: 3 }, seen: true });

    // updateLookup of a document deleted since: null.
    await executions.updateOne({ _id: 'e' }, { $set: { lastSequence: 2 } });
    await executions.deleteOne({ _id: 'e' });
    expect(await next()).toMatchObject({ operationType: 'update', documentKey: { _id: 'e' }, fullDocument: null });
  });

  it('resolves a waiting next() as soon as a write happens, long before maxAwaitTimeMS', async () => {
    const { db, server } = await startConnectedServer(RS);
    const stream = db.collection<AnyDoc>('q').watch<AnyDoc, Document>([], { maxAwaitTimeMS: 20_000 });
    onTestFinished(() => stream.close());
    const next = stream.next();
    await getMoresReceived(server, 1);
    const writtenAt = performance.now();
    await db.collection<AnyDoc>('q').insertMany([{ _id: 1 }, { _id: 2 }]);
    expect((await next).documentKey).toEqual({ _id: 1 });
    expect(performance.now() - writtenAt).toBeLessThan(5_000);
    // Woken once for the whole insertMany: both events came in that batch.
    expect(stream.bufferedCount()).toBe(1);
    expect((await stream.next()).documentKey).toEqual({ _id: 2 });
  });

  it('answers getMore with batchSize batches, postBatchResumeToken and a live cursor; an idle getMore waits maxTimeMS (default 1 s)', async () => {
    const { db, server } = await startConnectedServer(RS);
    const opened = await openRaw(db, 'b', {}, 0);
    expect(opened.firstBatch).toEqual([]);
    expect(opened.id.isZero()).toBe(false);
    expect(opened.ns).toBe('wire_test.b');
    const start = opened.postBatchResumeToken;

    await db.collection<AnyDoc>('b').insertMany([1, 2, 3, 4, 5].map((n) => ({ _id: n })));
    await db.collection<AnyDoc>('unrelated').insertOne({ _id: 1 });
    const first = await rawGetMore(db, opened.id, 'b', { batchSize: 2 });
    expect(first.nextBatch.map((event) => event.documentKey._id)).toEqual([1, 2]);
    expect(first.postBatchResumeToken).toEqual(first.nextBatch[1]!._id);
    expect(first.postBatchResumeToken._data > start._data).toBe(true);
    const rest = await rawGetMore(db, opened.id, 'b');
    expect(rest.nextBatch.map((event) => event.documentKey._id)).toEqual([3, 4, 5]);
    // The high-water mark passed the unrelated insert too.
    expect(rest.postBatchResumeToken._data > rest.nextBatch[2]!._id._data).toBe(true);

    let before = performance.now();
    const idle = await rawGetMore(db, opened.id, 'b', { maxTimeMS: 100 });
    expect(performance.now() - before).toBeGreaterThanOrEqual(95);
    expect(idle).toMatchObject({ nextBatch: [], postBatchResumeToken: rest.postBatchResumeToken });
    expect(idle.id).toEqual(opened.id);
    before = performance.now();
    expect((await rawGetMore(db, opened.id, 'b')).nextBatch).toEqual([]);
    expect(performance.now() - before).toBeGreaterThanOrEqual(990);

    const database = await openRaw(db, 1);
    expect(database.ns).toBe('wire_test.$cmd.aggregate');
    const next = rawGetMore(db, database.id, '$cmd.aggregate', { maxTimeMS: 20_000 });
    await getMoresReceived(server, 5);
    await db.collection<AnyDoc>('c').insertOne({ _id: 'x' });
    expect((await next).nextBatch).toMatchObject([{ ns: { db: 'wire_test', coll: 'c' }, documentKey: { _id: 'x' } }]);
  });

  it('resumeAfter, startAfter and startAtOperationTime return exactly the later events', async () => {
    const { db, server } = await startConnectedServer(RS);
    const log = db.collection<AnyDoc>('log');
    const stream = log.watch<AnyDoc, Document>([], { maxAwaitTimeMS: 20_000 });
    onTestFinished(() => stream.close());
    const next = await reading(server, stream);
    for (const n of [1, 2, 3, 4]) await log.insertOne({ _id: n });
    const events = [await next(), await next(), await next(), await next()];

    const idsFrom = async (options: Document, count: number) => {
      // The events are in the aggregate's first batch; after them, a short wait ends empty.
      const resumed = log.watch<AnyDoc, Document>([], { ...options, maxAwaitTimeMS: 50 });
      try {
        const ids: unknown[] = [];
        while (ids.length < count) ids.push((await resumed.next()).documentKey._id);
        expect(await resumed.tryNext()).toBeNull();
        return ids;
      } finally {
        await resumed.close();
      }
    };
    expect(await idsFrom({ resumeAfter: events[1]!._id }, 2)).toEqual([3, 4]);
    expect(await idsFrom({ startAfter: events[0]!._id }, 3)).toEqual([2, 3, 4]);
    expect(await idsFrom({ startAtOperationTime: events[2]!.clusterTime }, 2)).toEqual([3, 4]);
    await expect(idsFrom({ resumeAfter: { _data: 'not a token' } }, 0)).rejects.toMatchObject({ code: 9 });
  });

  it('fails with 286 ChangeStreamHistoryLost when resuming from, or falling behind, the kept history', async () => {
    const { db, server } = await startConnectedServer({ ...RS, changeStreamHistory: 3 });
    const h = db.collection<AnyDoc>('h');
    const stream = h.watch<AnyDoc, Document>([], { maxAwaitTimeMS: 20_000 });
    const next = await reading(server, stream);
    await h.insertOne({ _id: 1 });
    const first = await next();
    await h.insertMany([{ _id: 2 }, { _id: 3 }]);
    // Three events kept: resuming after the first still works…
    const resumed = h.watch<AnyDoc, Document>([], { resumeAfter: first._id });
    expect((await resumed.next()).documentKey).toEqual({ _id: 2 });
    await resumed.close();
    await h.insertMany([{ _id: 4 }, { _id: 5 }]);
    // …no longer once event 2 was evicted.
    const lost = h.watch<AnyDoc, Document>([], { resumeAfter: first._id });
    await expect(lost.tryNext()).rejects.toMatchObject({ code: 286, codeName: 'ChangeStreamHistoryLost' });
    expect(lost.closed).toBe(true);
    // The open stream had read only event 1 as well: its getMore fails the same way, for good.
    await expect(next()).rejects.toMatchObject({ code: 286 });
    expect(stream.closed).toBe(true);
  });

  it('refuses pipelines mongod refuses: a changed _id (280), forbidden stages (20), unsupported options (115)', async () => {
    const { db, server } = await startConnectedServer(RS);
    const c = db.collection<AnyDoc>('c');
    for (const stage of [{ $project: { _id: 0 } }, { $addFields: { _id: 'mine' } }]) {
      const stream = c.watch<AnyDoc, Document>([stage], { maxAwaitTimeMS: 20_000 });
      const next = await reading(server, stream);
      await c.insertOne({});
      await expect(next()).rejects.toMatchObject({ code: 280, codeName: 'ChangeStreamFatalError' });
      expect(stream.closed).toBe(true);
    }
    await expect(c.watch([{ $group: { _id: null } }]).tryNext()).rejects.toMatchObject({ code: 20, message: '$group is not permitted in a $changeStream pipeline' });
    await expect(c.watch([], { fullDocument: 'whenAvailable' }).tryNext()).rejects.toMatchObject({ code: 115 });
    await expect(c.watch([], { showExpandedEvents: true }).tryNext()).rejects.toMatchObject({ code: 115 });
    await expect(c.aggregate([{ $match: {} }, { $changeStream: {} }]).toArray()).rejects.toMatchObject({ code: 40602 });
  });

  it('lets the driver resume by itself when its connection drops, without losing or repeating an event', async () => {
    const { server, db: writer } = await startConnectedServer(RS);
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: server.port });
    const proxyPort = new URL(proxy.url).port;
    const client = new MongoClient(`mongodb://127.0.0.1:${proxyPort}/wire_test?directConnection=true`, { serverSelectionTimeoutMS: 10_000 });
    onTestFinished(async () => {
      await client.close();
      await proxy.close();
    });
    const stream = client.db().collection<AnyDoc>('r').watch<AnyDoc, Document>([], { maxAwaitTimeMS: 20_000 });
    onTestFinished(() => stream.close());
    const next = await reading(server, stream);
    await writer.collection<AnyDoc>('r').insertOne({ _id: 1 });
    expect((await next()).documentKey).toEqual({ _id: 1 });

    const before = getMoreCount(server);
    const waiting = stream.next();
    await getMoresReceived(server, before + 1);
    proxy.cut();
    await writer.collection<AnyDoc>('r').insertMany([{ _id: 2 }, { _id: 3 }]);
    proxy.restore();
    expect((await waiting).documentKey).toEqual({ _id: 2 });
    expect((await stream.next()).documentKey).toEqual({ _id: 3 });
    expect(server.commandLog.filter((entry) => entry.command === 'aggregate' && entry.collection === 'r')).toHaveLength(2);
  });

  it('ends a waiting getMore at once on killCursors (237) and when the change stream is closed', async () => {
    const { db, server } = await startConnectedServer(RS);
    const raw = await openRaw(db, 'k');
    const waiting = rawGetMore(db, raw.id, 'k', { maxTimeMS: 20_000 });
    await getMoresReceived(server, 1);
    const killedAt = performance.now();
    expect(await db.command({ killCursors: 'k', cursors: [raw.id] })).toMatchObject({ cursorsKilled: [raw.id] });
    await expect(waiting).rejects.toMatchObject({ code: 237, codeName: 'CursorKilled' });
    expect(performance.now() - killedAt).toBeLessThan(5_000);
    await expect(rawGetMore(db, raw.id, 'k')).rejects.toMatchObject({ code: 43 });

    const stream = db.collection<AnyDoc>('k').watch([], { maxAwaitTimeMS: 20_000 });
    const next = stream.next();
    await getMoresReceived(server, 3);
    const closedAt = performance.now();
    await stream.close();
    await expect(next).rejects.toThrow(/closed/i);
    expect(performance.now() - closedAt).toBeLessThan(5_000);
  });

  it('stops promptly while change streams wait, and their next() fails instead of hanging', async () => {
    const { db, server } = await startConnectedServer(RS);
    const client = new MongoClient(`${server.url}/wire_test?directConnection=true`, { serverSelectionTimeoutMS: 500 });
    onTestFinished(() => client.close());
    await db.collection<AnyDoc>('s').insertOne({ _id: 1 });
    const stream = client.db().watch([], { maxAwaitTimeMS: 20_000 });
    const next = stream.next();
    next.catch(() => {}); // asserted below
    await getMoresReceived(server, 1);
    const stoppedAt = performance.now();
    await server.stop();
    expect(performance.now() - stoppedAt).toBeLessThan(2_000);
    // The driver tries to resume, finds no server within serverSelectionTimeoutMS, and gives up.
    await expect(next).rejects.toThrow();
    expect(performance.now() - stoppedAt).toBeLessThan(10_000);
    expect(stream.closed).toBe(true);
  });
});
