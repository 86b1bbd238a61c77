import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { serialize } from 'bson';
import { Long, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { startConnectedServer, type AnyDoc } from './wire-server-fixture.js';

/** An OP_MSG request frame carrying one body document. */
function opMsg(requestId: number, body: Record<string, unknown>): Buffer {
  const payload = serialize(body);
  const header = Buffer.alloc(21);
  header.writeInt32LE(21 + payload.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(2013, 12);
  return Buffer.concat([header, payload]);
}

async function rawSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.on('error', () => {});
  return socket;
}

describe('mongo wire server: unsupported features, clients and connections', () => {
  it('answers unsupported commands, options and transactions with CommandNotSupported', async () => {
    const { db, client } = await startConnectedServer();
    await db.collection<AnyDoc>('x').insertOne({ _id: 1 });

    const collMod = await db.command({ collMod: 'x' }).catch((error: unknown) => error);
    expect(collMod).toBeInstanceOf(MongoServerError);
    expect(collMod).toMatchObject({ code: 115, codeName: 'CommandNotSupported', message: 'command not supported by the test server: collMod' });
    await expect(db.collection<AnyDoc>('x').find({}, { collation: { locale: 'fr' } }).toArray()).rejects.toMatchObject({
      code: 115,
      message: "command not supported by the test server: find option 'collation'",
    });
    await expect(db.collection<AnyDoc>('x').updateOne({ _id: 1 }, { $set: { 'a.$[i]': 1 } }, { arrayFilters: [{ i: 0 }] })).rejects.toMatchObject({ code: 115 });
    await expect(db.collection<AnyDoc>('x').aggregate([{ $out: 'y' }]).toArray()).rejects.toMatchObject({ code: 115 });
    await expect(db.command({ getMore: Long.fromNumber(12345), collection: 'x' })).rejects.toMatchObject({ code: 43 });

    const session = client.startSession();
    try {
      session.startTransaction();
      const inTransaction = await db.collection<AnyDoc>('x').insertOne({ _id: 2 }, { session }).catch((error: unknown) => error);
      expect(inTransaction).toMatchObject({ code: 115, message: expect.stringContaining('transactions') });
      await session.abortTransaction().catch(() => {});
    } finally {
      await session.endSession();
    }
    expect(await db.collection<AnyDoc>('x').countDocuments({ _id: 2 })).toBe(0);

    const stream = db.collection<AnyDoc>('x').watch();
    try {
      await expect(stream.tryNext()).rejects.toMatchObject({ code: 115, message: expect.stringContaining('$changeStream') });
    } finally {
      await stream.close();
    }
  });

  it('lets a second client see the first one’s writes', async () => {
    const { db, connect: connectAnother } = await startConnectedServer();
    const other = (await connectAnother()).db();
    await db.collection<AnyDoc>('shared').insertOne({ _id: 'k', v: 1 });
    expect(await other.collection<AnyDoc>('shared').findOne({ _id: 'k' })).toEqual({ _id: 'k', v: 1 });
    await other.collection<AnyDoc>('shared').updateOne({ _id: 'k' }, { $set: { v: 2 } });
    expect(await db.collection<AnyDoc>('shared').findOne({ _id: 'k' })).toEqual({ _id: 'k', v: 2 });
  });

  it('applies 20 concurrent findOneAndUpdate $inc from two clients exactly once each', async () => {
    const { db, connect: connectAnother } = await startConnectedServer();
    const other = (await connectAnother()).db();
    await db.collection<AnyDoc>('counters').insertOne({ _id: 'c', value: 0 });
    const increments = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? db : other).collection<AnyDoc>('counters').findOneAndUpdate({ _id: 'c' }, { $inc: { value: 1 } }, { returnDocument: 'after' }),
    );
    const results = await Promise.all(increments);
    expect(results.map((doc) => doc?.value).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await db.collection<AnyDoc>('counters').findOne({ _id: 'c' })).toEqual({ _id: 'c', value: 20 });
  });

  it('survives clients whose sockets are reset mid-message or before reading the reply', async () => {
    const { db, server } = await startConnectedServer();
    await db.collection<AnyDoc>('alive').insertOne({ _id: 1 });

    const halfFrame = await rawSocket(server.port);
    const frame = opMsg(1, { find: 'alive', filter: {}, $db: 'wire_test' });
    halfFrame.write(frame.subarray(0, 30));
    halfFrame.resetAndDestroy();

    const deaf = await rawSocket(server.port);
    for (let i = 0; i < 50; i++) deaf.write(opMsg(i + 2, { find: 'alive', filter: {}, $db: 'wire_test' }));
    deaf.resetAndDestroy();

    const garbage = await rawSocket(server.port);
    garbage.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await once(garbage, 'close');

    expect(await db.collection<AnyDoc>('alive').findOne({ _id: 1 })).toEqual({ _id: 1 });
    expect(await db.collection<AnyDoc>('alive').countDocuments()).toBe(1);
  });

  it('keeps serving when a driver process connected to it is killed mid-use', async () => {
    const { db, server } = await startConnectedServer();
    await db.collection<AnyDoc>('crash').insertOne({ _id: 'n', value: 0 });
    const script = `
      import { MongoClient } from 'mongodb';
      const client = await MongoClient.connect(process.env.MONGO_URL);
      const counters = client.db().collection('crash');
      for (let i = 0; ; i++) {
        await counters.findOneAndUpdate({ _id: 'n' }, { $inc: { value: 1 } });
        if (i === 5) console.log('busy');
      }
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: process.cwd(),
      env: { ...process.env, MONGO_URL: `${server.url}/wire_test?directConnection=true` },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (data: Buffer) => data.toString().includes('busy') && resolve());
        child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
      });
    } finally {
      child.kill('SIGKILL');
    }
    await once(child, 'exit');
    const after = await db.collection<AnyDoc>('crash').findOneAndUpdate({ _id: 'n' }, { $inc: { value: 1 } }, { returnDocument: 'after' });
    expect(after?.value).toBeGreaterThan(6);
    expect(await db.collection<AnyDoc>('crash').countDocuments()).toBe(1);
  });
});
