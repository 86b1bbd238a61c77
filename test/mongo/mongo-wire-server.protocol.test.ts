import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { deserialize, Long, ObjectId, serialize, type Document } from 'bson';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { startMongoWireServer, type MongoWireServer } from '../support/mongo-wire-server.js';

/** Raw wire-protocol frames, to check the framing the driver relies on without the driver. */
const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
/** OP_MSG flag bits. */
const MORE_TO_COME = 2;
const EXHAUST_ALLOWED = 1 << 16;

function frame(requestId: number, opCode: number, body: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + body.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, body]);
}

function opMsg(requestId: number, body: Document, options: { flags?: number; sequence?: [string, Document[]] } = {}): Buffer {
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(options.flags ?? 0, 0);
  const parts: Uint8Array[] = [flags, Buffer.from([0]), serialize(body)];
  if (options.sequence) {
    const [identifier, docs] = options.sequence;
    const payload = Buffer.concat([Buffer.from(`${identifier}\0`), ...docs.map((doc) => serialize(doc))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + payload.length, 0);
    parts.push(Buffer.from([1]), size, payload);
  }
  if ((options.flags ?? 0) & 1) parts.push(Buffer.alloc(4)); // checksum: present, not verified
  return frame(requestId, OP_MSG, Buffer.concat(parts));
}

function opQuery(requestId: number, namespace: string, query: Document): Buffer {
  const head = Buffer.alloc(4);
  const counts = Buffer.alloc(8);
  counts.writeInt32LE(-1, 4);
  return frame(requestId, OP_QUERY, Buffer.concat([head, Buffer.from(`${namespace}\0`), counts, serialize(query)]));
}

interface Reply {
  requestId: number;
  responseTo: number;
  opCode: number;
  /** OP_MSG flagBits (0 for an OP_REPLY). */
  flags: number;
  doc: Document;
}

/** Collects every reply frame a socket receives. */
function replies(socket: Socket): { received: Reply[]; next(): Promise<Reply> } {
  const received: Reply[] = [];
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
      const length = buffered.readInt32LE(0);
      const message = buffered.subarray(0, length);
      buffered = buffered.subarray(length);
      const opCode = message.readInt32LE(12);
      const docStart = opCode === OP_REPLY ? 36 : 21;
      const flags = opCode === OP_MSG ? message.readUInt32LE(16) : 0;
      const doc = deserialize(message.subarray(docStart), { promoteLongs: false });
      received.push({ requestId: message.readInt32LE(4), responseTo: message.readInt32LE(8), opCode, flags, doc });
      socket.emit('reply');
    }
  });
  let taken = 0;
  return {
    received,
    async next() {
      while (received.length <= taken) await once(socket, 'reply');
      return received[taken++]!;
    },
  };
}

let server: MongoWireServer | undefined;
let socket: Socket | undefined;

afterEach(async () => {
  socket?.destroy();
  await server?.stop();
  socket = undefined;
  server = undefined;
});

async function open(): Promise<Socket> {
  server = await startMongoWireServer();
  socket = connect(server.port, '127.0.0.1');
  await once(socket, 'connect');
  return socket;
}

describe('mongo wire server framing', () => {
  it('answers the legacy OP_QUERY ismaster handshake with an OP_REPLY of a standalone', async () => {
    const client = replies(await open());
    socket!.write(opQuery(7, 'admin.$cmd', { ismaster: 1, helloOk: true, client: { driver: { name: 'raw' } }, compression: [] }));
    const reply = await client.next();
    expect(reply).toMatchObject({ responseTo: 7, opCode: OP_REPLY });
    expect(reply.doc).toMatchObject({ ok: 1, ismaster: true, isWritablePrimary: true, helloOk: true, maxWireVersion: 21, logicalSessionTimeoutMinutes: 30 });
    expect(reply.doc).not.toHaveProperty('setName');
    expect(reply.doc.topologyVersion.processId).toBeInstanceOf(ObjectId);
    expect(reply.doc.topologyVersion.counter).toEqual(Long.fromNumber(0));
    expect(reply.doc).not.toHaveProperty('compression');
  });

  it('merges document sequences, honours moreToCome and ignores a checksum', async () => {
    const client = replies(await open());
    const docs = [{ _id: 1, v: 'a' }, { _id: 2, v: 'b' }];
    socket!.write(opMsg(1, { insert: 'seq', $db: 'raw' }, { sequence: ['documents', docs] }));
    expect((await client.next()).doc).toEqual({ n: 2, ok: 1 });

    // moreToCome (flag bit 1): processed, never answered; the next reply answers request 3.
    socket!.write(opMsg(2, { insert: 'seq', documents: [{ _id: 3 }], $db: 'raw' }, { flags: 2 }));
    socket!.write(opMsg(3, { endSessions: [], $db: 'admin' }, { flags: 2 }));
    socket!.write(opMsg(4, { count: 'seq', $db: 'raw' }, { flags: 1 }));
    const counted = await client.next();
    expect(counted).toMatchObject({ responseTo: 4, opCode: OP_MSG, doc: { n: 3, ok: 1 } });
    expect(client.received).toHaveLength(2);
  });

  it('returns int64 cursor ids and serves getMore and killCursors', async () => {
    const client = replies(await open());
    const docs = Array.from({ length: 5 }, (_, i) => ({ _id: i }));
    socket!.write(opMsg(1, { insert: 'c', documents: docs, $db: 'raw' }));
    await client.next();
    socket!.write(opMsg(2, { find: 'c', batchSize: 2, $db: 'raw' }));
    const first = (await client.next()).doc;
    const id = first.cursor.id as Long;
    expect(id).toBeInstanceOf(Long);
    expect(first.cursor).toMatchObject({ ns: 'raw.c', firstBatch: [{ _id: 0 }, { _id: 1 }] });
    socket!.write(opMsg(3, { getMore: id, collection: 'c', batchSize: 2, $db: 'raw' }));
    expect((await client.next()).doc.cursor).toMatchObject({ id, nextBatch: [{ _id: 2 }, { _id: 3 }] });
    socket!.write(opMsg(4, { killCursors: 'c', cursors: [id], $db: 'raw' }));
    expect((await client.next()).doc).toMatchObject({ cursorsKilled: [id], ok: 1 });
    socket!.write(opMsg(5, { getMore: id, collection: 'c', $db: 'raw' }));
    expect((await client.next()).doc).toMatchObject({ ok: 0, code: 43, codeName: 'CursorNotFound' });
    socket!.write(opMsg(6, { find: 'c', $db: 'raw' }));
    const all = (await client.next()).doc.cursor;
    expect(all.firstBatch).toHaveLength(5);
    expect(all.id).toEqual(Long.ZERO);
  });

  it('serves the awaitable hello of mongod 4.4+: waits maxAwaitTimeMS, streams in exhaust mode, checks its fields', async () => {
    const client = replies(await open());
    socket!.write(opMsg(1, { hello: 1, $db: 'admin' }));
    const { topologyVersion } = (await client.next()).doc;
    expect(topologyVersion.processId).toBeInstanceOf(ObjectId);
    expect(topologyVersion.counter).toEqual(Long.fromNumber(0));

    // Up to date: each reply comes after maxAwaitTimeMS, flagged moreToCome and answering the
    // previous reply, as the driver's streaming monitor expects.
    const sentAt = performance.now();
    socket!.write(opMsg(2, { hello: 1, topologyVersion, maxAwaitTimeMS: 150, $db: 'admin' }, { flags: EXHAUST_ALLOWED }));
    const first = await client.next();
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(140);
    const second = await client.next();
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(290);
    for (const reply of [first, second]) {
      expect(reply.flags).toBe(MORE_TO_COME);
      expect(reply.doc).toMatchObject({ ok: 1, isWritablePrimary: true });
      expect(reply.doc.topologyVersion.processId.toHexString()).toBe(topologyVersion.processId.toHexString());
    }
    expect(first.responseTo).toBe(2);
    expect(second.responseTo).toBe(first.requestId);

    // Another connection: a client that knew another process hears the current state at once
    // (once: no exhaust asked); awaitable fields come both or neither.
    const other = connect(server!.port, '127.0.0.1');
    onTestFinished(() => void other.destroy());
    await once(other, 'connect');
    const otherClient = replies(other);
    const stale = { processId: new ObjectId(), counter: Long.fromNumber(0) };
    other.write(opMsg(3, { hello: 1, topologyVersion: stale, maxAwaitTimeMS: 60_000, $db: 'admin' }));
    const immediate = await otherClient.next();
    expect(immediate).toMatchObject({ responseTo: 3, flags: 0, doc: { ok: 1 } });
    expect(immediate.doc.topologyVersion.processId.toHexString()).toBe(topologyVersion.processId.toHexString());
    other.write(opMsg(4, { hello: 1, maxAwaitTimeMS: 10, $db: 'admin' }));
    expect((await otherClient.next()).doc).toMatchObject({ ok: 0, code: 31368, errmsg: "A request with 'maxAwaitTimeMS' must include a 'topologyVersion'" });
    other.write(opMsg(5, { hello: 1, topologyVersion, $db: 'admin' }));
    expect((await otherClient.next()).doc).toMatchObject({ ok: 0, code: 31368 });
    other.write(opMsg(6, { hello: 1, topologyVersion: { ...topologyVersion, counter: Long.fromNumber(-1) }, maxAwaitTimeMS: 10, $db: 'admin' }));
    expect((await otherClient.next()).doc).toMatchObject({ ok: 0, code: 31372 });
    other.write(opMsg(7, { hello: 1, topologyVersion, maxAwaitTimeMS: -1, $db: 'admin' }));
    expect((await otherClient.next()).doc).toMatchObject({ ok: 0, code: 51024 });

    // A long wait does not hold the server up: stop() closes the connection and ends it.
    other.write(opMsg(8, { hello: 1, topologyVersion, maxAwaitTimeMS: 60_000, $db: 'admin' }, { flags: EXHAUST_ALLOWED }));
    const stoppedAt = performance.now();
    await server!.stop();
    expect(performance.now() - stoppedAt).toBeLessThan(2_000);
    expect(otherClient.received).toHaveLength(5);
  });
});
