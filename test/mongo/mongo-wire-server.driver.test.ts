import { Binary, Double, Int32, Long, ObjectId, type Document } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { startConnectedServer, type AnyDoc } from './wire-server-fixture.js';

interface Task {
  _id?: ObjectId;
  n: number;
  status?: string;
  attempts?: number;
  tags?: string[];
}

describe('mongo wire server with the official driver', () => {
  it('inserts, then sorts, limits and iterates a cursor over more than one batch (getMore)', async () => {
    const { db, server } = await startConnectedServer();
    const tasks = db.collection<Task>('tasks');
    const first = await tasks.insertOne({ n: -1 });
    expect(first.insertedId).toBeInstanceOf(ObjectId);
    const many = await tasks.insertMany(Array.from({ length: 250 }, (_, i) => ({ n: (i * 7) % 250, status: i % 2 ? 'odd' : 'even' })));
    expect(many.insertedCount).toBe(250);

    const seen: number[] = [];
    for await (const task of tasks.find({ n: { $gte: 0 } }).sort({ n: -1 })) seen.push(task.n);
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => 249 - i));
    expect(server.commandLog.filter((entry) => entry.command === 'getMore')).toEqual([{ db: 'wire_test', command: 'getMore', collection: 'tasks' }]);

    const page = await tasks.find({ status: 'odd' }, { projection: { _id: 0, n: 1 } }).sort({ n: 1 }).skip(2).limit(3).toArray();
    expect(page).toEqual([{ n: 5 }, { n: 7 }, { n: 9 }]);
    const small = await tasks.find({}).sort({ n: 1 }).batchSize(10).limit(25).toArray();
    expect(small.map((t) => t.n)).toEqual([-1, ...Array.from({ length: 24 }, (_, i) => i)]);
    expect(await tasks.findOne({ n: 3 }, { projection: { status: 1 } })).toEqual({ _id: expect.any(ObjectId), status: 'odd' });
  });

  it('round-trips ObjectId, Date, Binary, Int32 / Int64 / Double, nested documents and arrays exactly', async () => {
    const { db } = await startConnectedServer();
    const things = db.collection<AnyDoc>('things');
    const doc = {
      _id: new ObjectId(),
      when: new Date('2024-02-29T12:34:56.789Z'),
      bytes: new Binary(Buffer.from([0, 1, 2, 255, 254])),
      int: new Int32(7),
      long: Long.fromString('9007199254740993'),
      smallLong: Long.fromNumber(5),
      double: new Double(2),
      fraction: new Double(0.25),
      nested: { list: [new Int32(1), 'two', { three: [new Long(3)] }], empty: {}, none: null },
    };
    await things.insertOne(doc);
    const raw = await things.findOne({ _id: doc._id }, { promoteValues: false, promoteLongs: false });
    expect(raw).toEqual(doc);
    expect(raw?.int).toBeInstanceOf(Int32);
    expect(raw?.long).toBeInstanceOf(Long);
    expect((raw?.long as Long).toString()).toBe('9007199254740993');
    expect(raw?.double).toBeInstanceOf(Double);
    // Plain JS numbers are sent as int32 when integral, else double (the driver's choice), and stay so.
    await things.insertOne({ _id: 'plain', i: 1, d: 1.5 });
    expect(await things.findOne({ _id: 'plain' }, { promoteValues: false })).toEqual({ _id: 'plain', i: new Int32(1), d: new Double(1.5) });

    // Updates keep the BSON types of the fields they touch: int32 + int32 stays int32, a long stays a long.
    await things.updateOne({ _id: doc._id }, { $inc: { int: 1, smallLong: 1, double: 1 } });
    const typed = await things.findOne({ _id: doc._id }, { promoteValues: false });
    expect(typed?.int).toEqual(new Int32(8));
    expect(typed?.smallLong).toEqual(Long.fromNumber(6));
    expect(typed?.double).toEqual(new Double(3));
    const promoted = await things.findOne({ _id: doc._id });
    expect(promoted).toMatchObject({ int: 8, smallLong: 6, double: 3, fraction: 0.25, when: doc.when });
    expect(Buffer.from((promoted?.bytes as Binary).buffer)).toEqual(Buffer.from([0, 1, 2, 255, 254]));
  });

  it('findOneAndUpdate with an aggregation-pipeline update returns the document before or after', async () => {
    const { db } = await startConnectedServer();
    const jobs = db.collection<AnyDoc>('jobs');
    await jobs.insertMany([
      { _id: 1, status: 'queued', attempts: 0, priority: 1 },
      { _id: 2, status: 'queued', attempts: 2, priority: 5, owner: 'x' },
      { _id: 3, status: 'running', attempts: 1, priority: 9 },
    ]);
    const now = new Date();
    const after = await jobs.findOneAndUpdate(
      { status: 'queued' },
      [
        {
          $set: {
            status: 'running',
            attempts: { $add: ['$attempts', 1] },
            label: { $concat: ['job-', { $toString: '$_id' }] },
            owner: { $ifNull: ['$owner', 'nobody'] },
            lane: { $cond: [{ $gte: ['$priority', 5] }, 'fast', 'slow'] },
            startedAt: now,
          },
        },
        { $unset: ['priority'] },
      ],
      { sort: { priority: -1 }, returnDocument: 'after' },
    );
    expect(after).toEqual({ _id: 2, status: 'running', attempts: 3, owner: 'x', label: 'job-2', lane: 'fast', startedAt: now });

    const before = await jobs.findOneAndUpdate({ _id: 1 }, { $set: { status: 'done' }, $inc: { attempts: 1 } }, { returnDocument: 'before' });
    expect(before).toEqual({ _id: 1, status: 'queued', attempts: 0, priority: 1 });
    expect(await jobs.findOne({ _id: 1 })).toEqual({ _id: 1, status: 'done', attempts: 1, priority: 1 });

    expect(await jobs.findOneAndUpdate({ _id: 42 }, { $set: { a: 1 } })).toBeNull();
    const upserted = await jobs.findOneAndUpdate(
      { _id: 7 },
      { $set: { status: 'queued' }, $setOnInsert: { attempts: 0 } },
      { upsert: true, returnDocument: 'after', projection: { attempts: 1 } },
    );
    expect(upserted).toEqual({ _id: 7, attempts: 0 });
    expect(await jobs.findOneAndDelete({ status: 'running' }, { sort: { attempts: 1 } })).toMatchObject({ _id: 3 });
    const replaced = await jobs.findOneAndReplace({ _id: 7 }, { status: 'replaced' }, { returnDocument: 'after' });
    expect(replaced).toEqual({ _id: 7, status: 'replaced' });
  });

  it('updateOne with upsert and $setOnInsert, updateMany and the update operators', async () => {
    const { db } = await startConnectedServer();
    const items = db.collection<AnyDoc>('items');
    const inserted = await items.updateOne(
      { key: 'a', 'meta.kind': 'x' },
      { $set: { value: 1 }, $setOnInsert: { createdAt: new Date(0), hits: 0 } },
      { upsert: true },
    );
    expect(inserted).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1 });
    const id = inserted.upsertedId;
    expect(await items.findOne({ _id: id! })).toEqual({ _id: id, key: 'a', meta: { kind: 'x' }, value: 1, createdAt: new Date(0), hits: 0 });

    const again = await items.updateOne({ key: 'a' }, { $set: { value: 2 }, $setOnInsert: { hits: 100 } }, { upsert: true });
    expect(again).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
    expect(await items.updateOne({ key: 'a' }, { $set: { value: 2 } })).toMatchObject({ matchedCount: 1, modifiedCount: 0 });

    // Plain Documents: the driver's update typings reject array operators on schemaless collections.
    const operators: Document = {
      $inc: { hits: 2, 'stats.count': 1 },
      $push: { log: { $each: ['x', 'y', 'z'], $slice: -2 } },
      $addToSet: { tags: { $each: ['t1', 't1', 't2'] } },
      $min: { low: 5 },
      $max: { high: 5 },
      $unset: { 'meta.kind': '' },
      $currentDate: { touchedAt: true },
    };
    await items.updateOne({ key: 'a' }, operators);
    const more: Document = { $pull: { tags: 't1' }, $min: { low: 3 }, $max: { high: 3 }, $mul: { hits: 10 } };
    await items.updateOne({ key: 'a' }, more);
    const updated = await items.findOne({ key: 'a' });
    expect(updated).toMatchObject({ hits: 20, stats: { count: 1 }, log: ['y', 'z'], tags: ['t2'], low: 3, high: 5, meta: {} });
    expect(updated?.touchedAt).toBeInstanceOf(Date);

    await items.insertMany([{ key: 'b', n: 1 }, { key: 'c', n: 2 }, { key: 'd', n: 3 }]);
    const many = await items.updateMany({ n: { $gte: 2 } }, { $set: { big: true } });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    expect(await items.countDocuments({ big: true })).toBe(2);
    const replaced = await items.replaceOne({ key: 'b' }, { key: 'b', replaced: true });
    expect(replaced.modifiedCount).toBe(1);
    expect(await items.findOne({ key: 'b' }, { projection: { _id: 0 } })).toEqual({ key: 'b', replaced: true });

    await expect(items.updateOne({ key: 'b' }, { $inc: { key: 1 } })).rejects.toMatchObject({ code: 14 });
    await expect(items.updateOne({ key: 'b' }, { $set: { _id: 5 } })).rejects.toMatchObject({ code: 66 });
  });

  it('deleteOne, deleteMany, countDocuments, estimatedDocumentCount, aggregate and distinct', async () => {
    const { db } = await startConnectedServer();
    const events = db.collection<AnyDoc>('events');
    await events.insertMany(
      Array.from({ length: 12 }, (_, i) => ({ kind: ['a', 'b', 'c'][i % 3], size: i, tags: i % 4 === 0 ? ['x', 'y'] : ['y'] })),
    );
    expect(await events.estimatedDocumentCount()).toBe(12);
    expect(await events.countDocuments()).toBe(12);
    expect(await events.countDocuments({ kind: 'a' })).toBe(4);
    expect(await events.countDocuments({ kind: 'a' }, { skip: 1, limit: 2 })).toBe(2);
    expect((await events.distinct('kind')).sort()).toEqual(['a', 'b', 'c']);
    expect((await events.distinct('tags', { size: { $lt: 3 } })).sort()).toEqual(['x', 'y']);

    const grouped = await events
      .aggregate([
        { $match: { size: { $gte: 3 } } },
        { $group: { _id: '$kind', total: { $sum: '$size' }, count: { $sum: 1 } } },
        { $sort: { _id: 1 } },
        { $project: { _id: 0, kind: '$_id', total: 1, count: 1 } },
      ])
      .toArray();
    expect(grouped).toEqual([
      { kind: 'a', total: 3 + 6 + 9, count: 3 },
      { kind: 'b', total: 4 + 7 + 10, count: 3 },
      { kind: 'c', total: 5 + 8 + 11, count: 3 },
    ]);
    expect(await events.aggregate([{ $match: { kind: 'b' } }, { $count: 'n' }]).toArray()).toEqual([{ n: 4 }]);
    const largest = await events.aggregate([{ $sort: { size: -1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { _id: 0, size: 1 } }]).toArray();
    expect(largest).toEqual([{ size: 10 }, { size: 9 }]);

    expect((await events.deleteOne({ kind: 'a' })).deletedCount).toBe(1);
    expect((await events.deleteMany({ kind: { $in: ['b', 'c'] } })).deletedCount).toBe(8);
    expect(await events.countDocuments()).toBe(3);
    expect((await events.deleteMany({})).deletedCount).toBe(3);
    expect(await events.estimatedDocumentCount()).toBe(0);
  });

  it('evaluates $expr and the usual query operators', async () => {
    const { db } = await startConnectedServer();
    const leases = db.collection<AnyDoc>('leases');
    const now = new Date('2025-01-01T00:00:00Z');
    await leases.insertMany([
      { _id: 1, state: 'held', expiresAt: new Date(now.getTime() - 1000), attempts: 3, maxAttempts: 3 },
      { _id: 2, state: 'held', expiresAt: new Date(now.getTime() + 1000), attempts: 1, maxAttempts: 3 },
      { _id: 3, state: 'free', attempts: 0, maxAttempts: 3, note: null },
    ]);
    const ids = async (filter: object) => (await leases.find(filter).sort({ _id: 1 }).toArray()).map((doc) => doc._id);
    expect(await ids({ $expr: { $lt: ['$attempts', '$maxAttempts'] } })).toEqual([2, 3]);
    expect(await ids({ state: 'held', $expr: { $and: [{ $lt: ['$expiresAt', now] }, { $gte: ['$attempts', '$maxAttempts'] }] } })).toEqual([1]);
    expect(await ids({ expiresAt: { $exists: false } })).toEqual([3]);
    expect(await ids({ expiresAt: { $lte: now } })).toEqual([1]);
    expect(await ids({ state: { $ne: 'held' } })).toEqual([3]);
    expect(await ids({ $or: [{ _id: { $in: [1] } }, { attempts: { $gt: 0, $lt: 2 } }] })).toEqual([1, 2]);
    expect(await ids({ note: null })).toEqual([1, 2, 3]);
  });

  it('creates, lists and drops collections and databases', async () => {
    const { db, client } = await startConnectedServer();
    await db.createCollection('alpha');
    await expect(db.createCollection('alpha')).rejects.toMatchObject({ code: 48 });
    await db.collection<AnyDoc>('beta').insertOne({ x: 1 });
    expect((await db.listCollections().toArray()).map((c) => c.name).sort()).toEqual(['alpha', 'beta']);
    expect(await db.listCollections({ name: 'beta' }, { nameOnly: true }).toArray()).toEqual([{ name: 'beta', type: 'collection' }]);

    expect(await db.collection<AnyDoc>('beta').drop()).toBe(true);
    expect(await db.collection<AnyDoc>('beta').drop()).toBe(false); // NamespaceNotFound (26), which the driver maps to false
    await expect(db.command({ drop: 'beta' })).rejects.toMatchObject({ code: 26, codeName: 'NamespaceNotFound' });

    await client.db('other').collection<AnyDoc>('gamma').insertOne({ y: 1 });
    expect(await db.dropDatabase()).toBe(true);
    expect(await db.listCollections().toArray()).toEqual([]);
    expect(await client.db('other').collection<AnyDoc>('gamma').countDocuments()).toBe(1);
    expect(await db.command({ ping: 1 })).toEqual({ ok: 1 });
    expect(await db.admin().command({ buildInfo: 1 })).toMatchObject({ version: '7.0.0', ok: 1 });
  });
});
