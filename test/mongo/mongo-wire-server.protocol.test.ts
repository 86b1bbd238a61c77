import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { deserialize, Long, serialize, type Document } from 'bson';
import { afterEach, describe, expect, it } from 'vitest';
import { startMongoWireServer, type MongoWireServer } from '../support/mongo-wire-server.js';

/** Raw wire-protocol frames, to check the framing the driver relies on without the driver. */
const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

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
  responseTo: number;
  opCode: number;
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
      received.push({ responseTo: message.readInt32LE(8), opCode, doc: deserialize(message.subarray(docStart), { promoteLongs: false }) });
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
    expect(reply.doc).not.toHaveProperty('topologyVersion');
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
});
