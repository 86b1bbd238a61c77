import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { startConnectedServer, type AnyDoc } from './wire-server-fixture.js';

describe('mongo wire server indexes', () => {
  it('enforces a unique index on insert, update, upsert and findOneAndUpdate with E11000', async () => {
    const { db } = await startConnectedServer();
    const users = db.collection<AnyDoc>('users');
    expect(await users.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    expect(await users.createIndex({ email: 1 }, { unique: true })).toBe('email_1'); // idempotent
    await users.insertMany([{ _id: 1, email: 'a@x' }, { _id: 2, email: 'b@x' }]);

    const onInsert = await users.insertOne({ _id: 3, email: 'a@x' }).catch((error: unknown) => error);
    expect(onInsert).toBeInstanceOf(MongoServerError);
    expect(onInsert).toMatchObject({
      code: 11000,
      keyPattern: { email: 1 },
      keyValue: { email: 'a@x' },
      message: 'E11000 duplicate key error collection: wire_test.users index: email_1 dup key: { email: "a@x" }',
    });
    await expect(users.insertOne({ _id: 1, email: 'c@x' })).rejects.toMatchObject({ code: 11000, keyValue: { _id: 1 } });
    await expect(users.updateOne({ _id: 2 }, { $set: { email: 'a@x' } })).rejects.toMatchObject({ code: 11000 });
    await expect(users.replaceOne({ _id: 2 }, { email: 'a@x' })).rejects.toMatchObject({ code: 11000 });
    await expect(users.updateOne({ email: 'new@x' }, { $set: { email: 'b@x' } }, { upsert: true })).rejects.toMatchObject({ code: 11000 });

    const onFindAndModify = await users.findOneAndUpdate({ _id: 2 }, { $set: { email: 'a@x' } }).catch((error: unknown) => error);
    expect(onFindAndModify).toBeInstanceOf(MongoServerError);
    expect(onFindAndModify).toMatchObject({ code: 11000, codeName: 'DuplicateKey', keyValue: { email: 'a@x' } });

    // Nothing of the failed writes stuck; updating a document to its own key is fine.
    expect(await users.find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 1, email: 'a@x' }, { _id: 2, email: 'b@x' }]);
    expect((await users.updateOne({ _id: 1 }, { $set: { email: 'a@x', seen: true } })).modifiedCount).toBe(1);

    // A missing field is a null key: only one document may lack it.
    await users.insertOne({ _id: 10 });
    await expect(users.insertOne({ _id: 11 })).rejects.toMatchObject({ code: 11000, keyValue: { email: null } });
  });

  it('reports duplicates of insertMany as a MongoBulkWriteError, ordered or not', async () => {
    const { db } = await startConnectedServer();
    const codes = db.collection<AnyDoc>('codes');
    await codes.createIndex({ code: 1 }, { unique: true });
    await codes.insertOne({ code: 'a' });

    const ordered = await codes.insertMany([{ code: 'b' }, { code: 'a' }, { code: 'c' }]).catch((error: unknown) => error);
    expect(ordered).toBeInstanceOf(MongoBulkWriteError);
    expect((ordered as MongoBulkWriteError).code).toBe(11000);
    expect((ordered as MongoBulkWriteError).insertedCount).toBe(1);
    expect((ordered as MongoBulkWriteError).writeErrors).toMatchObject([{ index: 1, code: 11000 }]);

    const unordered = await codes.insertMany([{ code: 'a' }, { code: 'd' }, { code: 'b' }], { ordered: false }).catch((error: unknown) => error);
    expect(unordered).toBeInstanceOf(MongoBulkWriteError);
    expect((unordered as MongoBulkWriteError).insertedCount).toBe(1);
    expect((await codes.distinct('code')).sort()).toEqual(['a', 'b', 'd']);
  });

  it('enforces compound and partial unique indexes only where they apply', async () => {
    const { db } = await startConnectedServer();
    const runs = db.collection<AnyDoc>('runs');
    await runs.createIndex({ taskId: 1, attempt: -1 }, { unique: true, name: 'task_attempt' });
    // At most one ACTIVE run per task; finished runs are not in the index.
    await runs.createIndex({ taskId: 1 }, { unique: true, name: 'one_active', partialFilterExpression: { active: true } });

    await runs.insertMany([
      { taskId: 't1', attempt: 1, active: false },
      { taskId: 't1', attempt: 2, active: false },
      { taskId: 't1', attempt: 3, active: true },
      { taskId: 't2', attempt: 1, active: true },
    ]);
    await expect(runs.insertOne({ taskId: 't1', attempt: 2 })).rejects.toMatchObject({
      code: 11000,
      keyPattern: { taskId: 1, attempt: -1 },
      keyValue: { taskId: 't1', attempt: 2 },
    });
    await expect(runs.insertOne({ taskId: 't1', attempt: 4, active: true })).rejects.toMatchObject({
      code: 11000,
      message: expect.stringContaining('index: one_active dup key: { taskId: "t1" }'),
    });
    await runs.insertOne({ taskId: 't1', attempt: 4, active: false });

    // Activating a second run of t1 breaks the partial index; once the first is finished it is fine.
    await expect(runs.updateOne({ taskId: 't1', attempt: 4 }, { $set: { active: true } })).rejects.toMatchObject({ code: 11000 });
    await expect(
      runs.findOneAndUpdate({ taskId: 't1', attempt: 2 }, [{ $set: { active: { $not: ['$active'] } } }]),
    ).rejects.toMatchObject({ code: 11000, codeName: 'DuplicateKey' });
    await runs.updateOne({ taskId: 't1', active: true }, { $set: { active: false } });
    await runs.updateOne({ taskId: 't1', attempt: 4 }, { $set: { active: true } });
    expect(await runs.countDocuments({ taskId: 't1', active: true })).toBe(1);
    await expect(
      runs.updateOne({ taskId: 't3', attempt: 1 }, { $setOnInsert: { active: true } }, { upsert: true }),
    ).resolves.toMatchObject({ upsertedCount: 1 });
    await expect(
      runs.updateOne({ taskId: 't3', attempt: 2 }, { $setOnInsert: { active: true } }, { upsert: true }),
    ).rejects.toMatchObject({ code: 11000 });
  });

  it('refuses a unique index over existing duplicates, conflicting definitions, and lists and drops indexes', async () => {
    const { db } = await startConnectedServer();
    const docs = db.collection<AnyDoc>('docs');
    await docs.insertMany([{ a: 1, b: 1 }, { a: 1, b: 2 }]);
    await expect(docs.createIndex({ a: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    await docs.createIndex({ a: 1, b: -1 }, { unique: true });
    await docs.createIndex({ b: 1 }, { name: 'by_b', partialFilterExpression: { b: { $gt: 1 } } });
    await expect(docs.createIndex({ a: 1 }, { name: 'by_b' })).rejects.toMatchObject({ code: 86 });
    await expect(docs.createIndex({ b: 1 }, { name: 'by_b', unique: true, partialFilterExpression: { b: { $gt: 1 } } })).rejects.toMatchObject({ code: 85 });
    await expect(docs.createIndex({ b: 1 }, { expireAfterSeconds: 60 })).rejects.toMatchObject({ code: 115 });

    expect(await docs.listIndexes().toArray()).toEqual([
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { a: 1, b: -1 }, name: 'a_1_b_-1', unique: true },
      { v: 2, key: { b: 1 }, name: 'by_b', partialFilterExpression: { b: { $gt: 1 } } },
    ]);
    expect(await docs.indexExists('by_b')).toBe(true);
    await docs.dropIndex('by_b');
    await expect(docs.dropIndex('by_b')).rejects.toMatchObject({ code: 27 });
    await expect(docs.dropIndex('_id_')).rejects.toMatchObject({ code: 72 });
    await docs.dropIndexes();
    expect((await docs.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_']);
    await docs.insertOne({ a: 1, b: 1 }); // the unique index is gone
    await expect(db.collection<AnyDoc>('missing').listIndexes().toArray()).rejects.toMatchObject({ code: 26 });
  });

  it('in requireIndexes mode refuses an unindexed filter and accepts an indexed one', async () => {
    const { db, server } = await startConnectedServer({ requireIndexes: true });
    const tasks = db.collection<AnyDoc>('tasks');
    await tasks.insertMany(Array.from({ length: 150 }, (_, i) => ({ _id: i, status: i % 3 ? 'done' : 'queued', owner: `o${i % 5}`, at: i })));

    const refused = await tasks.find({ status: 'queued' }).toArray().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MongoServerError);
    expect(refused).toMatchObject({ code: 291, codeName: 'NoQueryExecutionPlans', message: expect.stringContaining('test server: query not served by an index') });
    expect(server.unindexedQueries).toEqual([
      { db: 'wire_test', collection: 'tasks', command: 'find', filterKeys: ['status'], sortKeys: [], reason: 'filter' },
    ]);
    await expect(tasks.countDocuments()).rejects.toMatchObject({ code: 291 }); // empty filter, not a tiny collection
    expect(await tasks.estimatedDocumentCount()).toBe(150); // metadata, no scan
    await expect(tasks.updateMany({ owner: 'o1' }, { $set: { x: 1 } })).rejects.toMatchObject({ code: 291 });
    await expect(tasks.deleteOne({ $expr: { $eq: ['$status', 'queued'] } })).rejects.toMatchObject({ code: 291 });
    await expect(tasks.findOneAndUpdate({ $or: [{ status: 'queued' }] }, { $set: { y: 1 } })).rejects.toMatchObject({ code: 291 });

    // `_id` is always indexed.
    expect(await tasks.findOne({ _id: 3 })).toMatchObject({ status: 'queued' });

    await tasks.createIndex({ status: 1, at: 1 });
    expect(await tasks.countDocuments({ status: 'queued' })).toBe(50);
    const oldest = await tasks.find({ status: 'queued', at: { $gte: 10 } }).sort({ at: 1 }).limit(2).toArray();
    expect(oldest.map((task) => task._id)).toEqual([12, 15]);
    expect(await tasks.findOneAndUpdate({ status: 'queued' }, { $set: { status: 'running' } }, { sort: { at: 1 } })).toMatchObject({ _id: 0 });

    // A sort no index provides after the equality fields is recorded, not refused.
    const before = server.unindexedQueries.length;
    await tasks.find({ status: 'done' }).sort({ owner: 1 }).toArray();
    expect(server.unindexedQueries.slice(before)).toEqual([
      { db: 'wire_test', collection: 'tasks', command: 'find', filterKeys: ['status'], sortKeys: ['owner:1'], reason: 'sort' },
    ]);

    // An empty filter that stops at the first document is no scan; a tiny collection may be scanned.
    expect(await tasks.findOne({}, { projection: { _id: 1 } })).toEqual({ _id: 0 });
    await expect(tasks.find({}).sort({ owner: -1 }).limit(1).toArray()).rejects.toMatchObject({ code: 291 });
    await db.collection<AnyDoc>('settings').insertOne({ _id: 'global', paused: false });
    expect(await db.collection<AnyDoc>('settings').find({}).toArray()).toHaveLength(1);
  });
});
