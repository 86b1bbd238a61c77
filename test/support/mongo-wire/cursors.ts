import { randomBytes } from 'node:crypto';
import { calculateObjectSize, Long } from 'bson';
import { toNumber, type Doc } from './bson-values.js';
import { commandError, CURSOR_NOT_FOUND } from './command-errors.js';

/** mongod's first batch when the client gives no batchSize. */
const DEFAULT_FIRST_BATCH = 101;
/** A batch stops growing at 16 MiB of documents (mongod's limit), leaving room for the reply envelope. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;

interface OpenCursor {
  ns: string;
  remaining: Doc[];
}

/**
 * Server-side cursors. Results are computed when the cursor is opened (a snapshot); getMore
 * hands out the rest in batches. Cursors belong to the server, not to a connection: the driver
 * may send getMore on any pooled connection. Ids are int64 (Long on the wire), 0 = exhausted.
 */
export class CursorRegistry {
  private readonly cursors = new Map<bigint, OpenCursor>();

  /** The first batch of `docs` and the id to fetch the rest (0 when everything fit). */
  open(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): Doc {
    const batch = takeBatch(docs, batchSize ?? DEFAULT_FIRST_BATCH);
    const rest = docs.slice(batch.length);
    let id = 0n;
    if (rest.length > 0 && !singleBatch) {
      id = this.newId();
      this.cursors.set(id, { ns, remaining: rest });
    }
    return { cursor: { firstBatch: batch, id: Long.fromBigInt(id), ns }, ok: 1 };
  }

  getMore(rawId: unknown, batchSize: number | undefined): Doc {
    const id = toCursorId(rawId);
    const cursor = this.cursors.get(id);
    if (!cursor) throw commandError(CURSOR_NOT_FOUND, `cursor id ${id} not found`);
    const batch = takeBatch(cursor.remaining, batchSize ?? Number.POSITIVE_INFINITY);
    cursor.remaining = cursor.remaining.slice(batch.length);
    let nextId = id;
    if (cursor.remaining.length === 0) {
      this.cursors.delete(id);
      nextId = 0n;
    }
    return { cursor: { nextBatch: batch, id: Long.fromBigInt(nextId), ns: cursor.ns }, ok: 1 };
  }

  kill(rawIds: unknown[]): Doc {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const raw of rawIds) {
      const id = toCursorId(raw);
      (this.cursors.delete(id) ? killed : notFound).push(Long.fromBigInt(id));
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  get openCount(): number {
    return this.cursors.size;
  }

  clear(): void {
    this.cursors.clear();
  }

  private newId(): bigint {
    for (;;) {
      // Positive int64, never 0 (which means "exhausted").
      const id = randomBytes(8).readBigUInt64LE() & 0x7fff_ffff_ffff_ffffn;
      if (id !== 0n && !this.cursors.has(id)) return id;
    }
  }
}

export function toCursorId(value: unknown): bigint {
  if (value instanceof Long) return value.toBigInt();
  if (typeof value === 'bigint') return value;
  return BigInt(Math.trunc(toNumber(value)));
}

function takeBatch(docs: Doc[], maxCount: number): Doc[] {
  const batch: Doc[] = [];
  let bytes = 0;
  for (const doc of docs) {
    if (batch.length >= maxCount) break;
    const size = calculateObjectSize(doc);
    if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
    batch.push(doc);
    bytes += size;
  }
  return batch;
}
