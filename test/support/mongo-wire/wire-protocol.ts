import { deserialize, serialize } from 'bson';
import { TYPED, type Doc } from './bson-values.js';

/**
 * MongoDB wire protocol framing (https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/).
 * Every message starts with a 16-byte header: int32 messageLength (including itself),
 * requestID, responseTo, opCode, all little-endian. Requests are OP_MSG, except the driver's
 * very first handshake, a legacy OP_QUERY `ismaster` on `admin.$cmd` answered with OP_REPLY.
 */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const HEADER_BYTES = 16;
/**
 * OP_MSG flag bits: checksumPresent (a CRC-32C trails the message), moreToCome (on a request: no
 * reply wanted; on a reply: another reply to the same request follows), exhaustAllowed (the
 * client accepts such a stream of replies; the driver sets it on its awaitable hello).
 */
const CHECKSUM_PRESENT = 1;
export const MORE_TO_COME = 2;
const EXHAUST_ALLOWED = 1 << 16;
/** Bits 0-15 are "required": a receiver must refuse a message with a required bit it does not know. */
const KNOWN_REQUIRED_BITS = CHECKSUM_PRESENT | MORE_TO_COME;

export class ProtocolError extends Error {}

export type WireRequest =
  | { opCode: typeof OP_MSG; requestId: number; body: Doc; moreToCome: boolean; exhaustAllowed: boolean }
  | { opCode: typeof OP_QUERY; requestId: number; namespace: string; body: Doc };

/**
 * Cuts a TCP byte stream into whole messages. Chunks are kept in a list and joined only when a
 * header or a complete message is available, so a large message arriving in many small chunks
 * costs linear time.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxMessageBytes: number) {}

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    while (this.buffered >= 4) {
      const head = this.joined();
      const length = head.readInt32LE(0);
      if (length < HEADER_BYTES || length > this.maxMessageBytes) throw new ProtocolError(`invalid message length ${length}`);
      if (this.buffered < length) break;
      frames.push(head.subarray(0, length));
      const rest = head.subarray(length);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
    }
    return frames;
  }

  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!;
  }
}

function readDocument(frame: Buffer, offset: number, end: number): [Doc, number] {
  if (offset + 4 > end) throw new ProtocolError('truncated BSON document');
  const size = frame.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError('invalid BSON document size');
  return [deserialize(frame.subarray(offset, offset + size), TYPED), offset + size];
}

/** Decodes a whole frame. Document sequences (kind 1 sections) are merged into the body. */
export function decodeRequest(frame: Buffer): WireRequest {
  const requestId = frame.readInt32LE(4);
  const opCode = frame.readInt32LE(12);
  if (opCode === OP_MSG) {
    const flags = frame.readUInt32LE(16);
    if ((flags & 0xffff & ~KNOWN_REQUIRED_BITS) !== 0) throw new ProtocolError(`unsupported OP_MSG flag bits ${flags}`);
    const end = flags & CHECKSUM_PRESENT ? frame.length - 4 : frame.length;
    let body: Doc | undefined;
    const sequences: Array<[string, Doc[]]> = [];
    let offset = 20;
    while (offset < end) {
      const kind = frame[offset++];
      if (kind === 0) {
        [body, offset] = readDocument(frame, offset, end);
      } else if (kind === 1) {
        const sectionEnd = offset + frame.readInt32LE(offset);
        const nameEnd = frame.indexOf(0, offset + 4);
        if (sectionEnd > end || nameEnd < 0 || nameEnd >= sectionEnd) throw new ProtocolError('invalid document sequence');
        const identifier = frame.toString('utf8', offset + 4, nameEnd);
        const docs: Doc[] = [];
        for (offset = nameEnd + 1; offset < sectionEnd; ) {
          let doc: Doc;
          [doc, offset] = readDocument(frame, offset, sectionEnd);
          docs.push(doc);
        }
        sequences.push([identifier, docs]);
      } else {
        throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
      }
    }
    if (!body) throw new ProtocolError('OP_MSG without a body section');
    for (const [identifier, docs] of sequences) body[identifier] = docs;
    return { opCode: OP_MSG, requestId, body, moreToCome: (flags & MORE_TO_COME) !== 0, exhaustAllowed: (flags & EXHAUST_ALLOWED) !== 0 };
  }
  if (opCode === OP_QUERY) {
    const nameEnd = frame.indexOf(0, 20);
    if (nameEnd < 0) throw new ProtocolError('OP_QUERY without a collection name');
    const namespace = frame.toString('utf8', 20, nameEnd);
    // Skip numberToSkip and numberToReturn; an optional returnFieldsSelector may follow the query.
    const [query] = readDocument(frame, nameEnd + 1 + 8, frame.length);
    const body = '$query' in query && query.$query !== null && typeof query.$query === 'object' ? (query.$query as Doc) : query;
    return { opCode: OP_QUERY, requestId, namespace, body };
  }
  throw new ProtocolError(opCode === OP_COMPRESSED ? 'OP_COMPRESSED was not negotiated' : `unsupported opCode ${opCode}`);
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const buffer = Buffer.alloc(HEADER_BYTES);
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(requestId, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
  return buffer;
}

/** An OP_MSG reply: flagBits 0 (or MORE_TO_COME in an exhaust stream), one kind-0 section with the reply document. */
export function encodeOpMsg(requestId: number, responseTo: number, body: Doc, flags = 0): Buffer {
  const payload = serialize(body, { ignoreUndefined: true });
  const flagsAndKind = Buffer.alloc(5);
  flagsAndKind.writeUInt32LE(flags, 0);
  return Buffer.concat([header(HEADER_BYTES + 5 + payload.length, requestId, responseTo, OP_MSG), flagsAndKind, payload]);
}

/** An OP_REPLY with one document: responseFlags AwaitCapable (8) as mongod sets, cursorID 0. */
export function encodeOpReply(requestId: number, responseTo: number, body: Doc): Buffer {
  const payload = serialize(body, { ignoreUndefined: true });
  const fields = Buffer.alloc(20);
  fields.writeInt32LE(8, 0); // responseFlags
  fields.writeBigInt64LE(0n, 4); // cursorID
  fields.writeInt32LE(0, 12); // startingFrom
  fields.writeInt32LE(1, 16); // numberReturned
  return Buffer.concat([header(HEADER_BYTES + 20 + payload.length, requestId, responseTo, OP_REPLY), fields, payload]);
}
