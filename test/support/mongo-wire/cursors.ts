import { randomBytes } from 'node:crypto';
import { calculateObjectSize, Long } from 'bson';
import { toNumber, type Doc } from './bson-values.js';
import { CommandError, commandError, CURSOR_IN_USE, CURSOR_KILLED, CURSOR_NOT_FOUND, INTERRUPTED_AT_SHUTDOWN } from './command-errors.js';

/** mongod's first batch when the client gives no batchSize. */
export const DEFAULT_FIRST_BATCH = 101;
/** A batch stops growing at 16 MiB of documents (mongod's limit), leaving room for the reply envelope. */
export const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;

interface SnapshotCursor {
  kind: 'snapshot';
  ns: string;
  remaining: Doc[];
}

export interface GetMoreRequest {
  batchSize: number | undefined;
  /** getMore's maxTimeMS: how long a tailable awaitData cursor may wait for results. */
  maxTimeMS: number | undefined;
  /** Aborted when the requesting connection closes: a waiting getMore stops, nobody reads its reply. */
  signal: AbortSignal;
}

/**
 * A cursor whose batches are computed when asked for (a change stream): getMore may wait for
 * results, so it may answer with a promise. The registry owns its id and its lifetime.
 */
export interface TailableCursor {
  readonly kind: 'tailable';
  readonly ns: string;
  getMore(id: bigint, request: GetMoreRequest): Doc | Promise<Doc>;
  /** Ends a waiting getMore with `error` (killCursors, shutdown); the cursor is gone afterwards. */
  kill(error: CommandError): void;
}

type OpenCursor = SnapshotCursor | TailableCursor;

/**
 * Server-side cursors. A find / aggregate result is computed when the cursor is opened (a
 * snapshot); getMore hands out the rest in batches. A tailable cursor (change stream) computes
 * each batch on getMore instead and stays open until killed. Cursors belong to the server, not
 * to a connection: the driver may send getMore on any pooled connection. Ids are int64 (Long on
 * the wire), 0 = exhausted.
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
      this.cursors.set(id, { kind: 'snapshot', ns, remaining: rest });
    }
    return { cursor: { firstBatch: batch, id: Long.fromBigInt(id), ns }, ok: 1 };
  }

  /** Registers a tailable cursor; its id is never 0 (it is never exhausted). */
  openTailable(cursor: TailableCursor): bigint {
    const id = this.newId();
    this.cursors.set(id, cursor);
    return id;
  }

  getMore(rawId: unknown, request: GetMoreRequest): Doc | Promise<Doc> {
    const id = toCursorId(rawId);
    const cursor = this.cursors.get(id);
    if (!cursor) throw commandError(CURSOR_NOT_FOUND, `cursor id ${id} not found`);
    if (cursor.kind === 'tailable') return this.tailingGetMore(id, cursor, request);
    const batch = takeBatch(cursor.remaining, request.batchSize ?? Number.POSITIVE_INFINITY);
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
      const cursor = this.cursors.get(id);
      this.cursors.delete(id);
      if (cursor?.kind === 'tailable') cursor.kill(commandError(CURSOR_KILLED, `cursor id ${id} was killed while getMore was waiting`));
      (cursor ? killed : notFound).push(Long.fromBigInt(id));
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  get openCount(): number {
    return this.cursors.size;
  }

  /** Server shutdown: every cursor goes, waiting getMores end (their sockets are closing too). */
  clear(): void {
    const open = [...this.cursors.values()];
    this.cursors.clear();
    for (const cursor of open) {
      if (cursor.kind === 'tailable') cursor.kill(commandError(INTERRUPTED_AT_SHUTDOWN, 'interrupted at shutdown'));
    }
  }

  /**
   * As in mongod, a getMore that fails kills its cursor (the driver then resumes with a new
   * one), except when it failed because another getMore holds the cursor.
   */
  private tailingGetMore(id: bigint, cursor: TailableCursor, request: GetMoreRequest): Doc | Promise<Doc> {
    const forget = (error: unknown): never => {
      const inUse = error instanceof CommandError && error.code === CURSOR_IN_USE;
      if (!inUse && this.cursors.get(id) === cursor) this.cursors.delete(id);
      throw error;
    };
    try {
      const reply = cursor.getMore(id, request);
      return reply instanceof Promise ? reply.catch(forget) : reply;
    } catch (error) {
      return forget(error);
    }
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
