import { Timestamp } from 'bson';
import { isPlainObject, sameBson, type Doc } from './bson-values.js';
import { CHANGE_STREAM_HISTORY_LOST, commandError, FAILED_TO_PARSE } from './command-errors.js';

/**
 * The server's oplog, as far as change streams need one: every applied write, in the order it
 * was applied, as a change event with its cluster time. Only a replica-set server keeps one (a
 * standalone mongod has no oplog either). The history is bounded by a number of events, as the
 * real oplog is bounded by size: a stream that resumes, or falls, behind what is kept fails
 * with 286 ChangeStreamHistoryLost.
 *
 * Positions in the history are cluster times packed in a bigint (seconds << 32 | increment).
 * Every event has its own cluster time, strictly increasing, and a resume token is that time
 * as fixed-width upper-case hex, so tokens compare lexicographically in event order. A
 * position means "after the event at this time"; the token of the latest event is also the
 * high-water mark of a stream that has seen everything.
 */

export type OperationType = 'insert' | 'update' | 'replace' | 'delete';

export interface ChangeRecord {
  time: bigint;
  clusterTime: Timestamp;
  wallTime: Date;
  operationType: OperationType;
  db: string;
  coll: string;
  documentKey: Doc;
  /** insert / replace: the document written (stored documents are immutable, so shared). */
  fullDocument?: Doc;
  /** update: what changed, top-level fields only (see the server header). */
  updateDescription?: Doc;
}

/** What the store reports after each applied write (Collection's observer). */
export type AppliedWrite =
  | { kind: 'insert'; db: string; coll: string; doc: Doc }
  | { kind: 'update' | 'replace'; db: string; coll: string; previous: Doc; next: Doc }
  | { kind: 'delete'; db: string; coll: string; doc: Doc };

/** mongod's oplog counterpart has no event count; this default keeps memory modest in tests. */
export const DEFAULT_CHANGE_HISTORY = 10_000;

const TOKEN_PREFIX = '82';
const TOKEN = /^82[0-9A-F]{16}$/;

export function tokenFor(time: bigint): Doc {
  return { _data: TOKEN_PREFIX + time.toString(16).toUpperCase().padStart(16, '0') };
}

/** The position a resume token stands for; FailedToParse for anything this server did not issue. */
export function timeOfToken(token: unknown, field: string): bigint {
  const data = isPlainObject(token) ? token._data : undefined;
  if (typeof data !== 'string') throw commandError(FAILED_TO_PARSE, `Bad resume token in '${field}': _data of missing or of wrong type`);
  if (!TOKEN.test(data)) throw commandError(FAILED_TO_PARSE, `Bad resume token in '${field}': not a token of this test server: ${data}`);
  return BigInt(`0x${data.slice(TOKEN_PREFIX.length)}`);
}

export function timeOf(timestamp: Timestamp): bigint {
  return (BigInt(timestamp.t) << 32n) | BigInt(timestamp.i);
}

function timestampOf(time: bigint): Timestamp {
  return new Timestamp({ t: Number(time >> 32n), i: Number(time & 0xffff_ffffn) });
}

/**
 * The fields of `next` that differ from `previous`, and those it no longer has. Top-level only:
 * mongod reports the dotted paths its update touched ('a.b'); a test server that diffs whole
 * documents reports the whole new value of the top-level field instead.
 */
function describeUpdate(previous: Doc, next: Doc): Doc | undefined {
  const updatedFields: Doc = {};
  for (const [field, value] of Object.entries(next)) {
    if (!(field in previous) || !sameBson({ v: previous[field] }, { v: value })) updatedFields[field] = value;
  }
  const removedFields = Object.keys(previous).filter((field) => !(field in next));
  if (Object.keys(updatedFields).length === 0 && removedFields.length === 0) return undefined;
  return { updatedFields, removedFields, truncatedArrays: [] };
}

export class ChangeLog {
  /** Retained events are records[first…]; older slots are cleared, compacted now and then. */
  private records: Array<ChangeRecord | undefined> = [];
  private first = 0;
  /** History before this position is gone: the server's start, then the newest evicted event. */
  private lostBefore: bigint;
  private latest: bigint;
  private readonly listeners = new Set<() => void>();
  private notifyScheduled = false;

  constructor(private readonly limit: number = DEFAULT_CHANGE_HISTORY) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`changeStreamHistory must be a positive integer, got ${limit}`);
    this.latest = this.lostBefore = BigInt(Math.floor(Date.now() / 1000)) << 32n;
  }

  /** The newest cluster time: what `operationTime` / `$clusterTime` report. */
  get clusterTime(): Timestamp {
    return timestampOf(this.latest);
  }

  get latestTime(): bigint {
    return this.latest;
  }

  /** Turns an applied write into an event; a write that changed nothing is no event (as in mongod). */
  record(write: AppliedWrite): void {
    const base = { db: write.db, coll: write.coll };
    let change: Omit<ChangeRecord, 'time' | 'clusterTime' | 'wallTime'>;
    if (write.kind === 'insert' || write.kind === 'delete') {
      change = { ...base, operationType: write.kind, documentKey: { _id: write.doc._id }, ...(write.kind === 'insert' ? { fullDocument: write.doc } : {}) };
    } else if (sameBson(write.previous, write.next)) {
      return;
    } else if (write.kind === 'replace') {
      change = { ...base, operationType: 'replace', documentKey: { _id: write.next._id }, fullDocument: write.next };
    } else {
      const updateDescription = describeUpdate(write.previous, write.next);
      if (!updateDescription) return;
      change = { ...base, operationType: 'update', documentKey: { _id: write.next._id }, updateDescription };
    }
    const time = this.tick();
    this.records.push({ time, clusterTime: timestampOf(time), wallTime: new Date(), ...change });
    if (this.records.length - this.first > this.limit) {
      this.lostBefore = this.records[this.first]!.time;
      this.records[this.first++] = undefined;
      if (this.first >= this.limit) {
        this.records = this.records.slice(this.first);
        this.first = 0;
      }
    }
    this.scheduleNotify();
  }

  /**
   * Events after `position`, oldest first. 286 when some of them were evicted already, which is
   * also how a position from before this server started (another server's token) ends.
   */
  *after(position: bigint): Generator<ChangeRecord> {
    this.checkRetained(position);
    let low = this.first;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.records[middle]!.time <= position) low = middle + 1;
      else high = middle;
    }
    // Callers iterate synchronously and write nothing meanwhile: nothing is evicted under them.
    for (let i = low; i < this.records.length; i++) yield this.records[i]!;
  }

  checkRetained(position: bigint): void {
    if (position < this.lostBefore) {
      throw commandError(
        CHANGE_STREAM_HISTORY_LOST,
        'Resume of change stream was not possible, as the resume point may no longer be in the oplog.',
        { errorLabels: ['NonResumableChangeStreamError'] },
      );
    }
  }

  /**
   * Calls `listener` after each command that recorded events (once per command, in a
   * microtask: a waiting getMore sees a whole insertMany, never half of it). Returns the
   * function that unsubscribes.
   */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private scheduleNotify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    queueMicrotask(() => {
      this.notifyScheduled = false;
      for (const listener of [...this.listeners]) listener();
    });
  }

  /** The next cluster time: this second, or one increment past the last one if time stood still or went back. */
  private tick(): bigint {
    const now = BigInt(Math.floor(Date.now() / 1000)) << 32n;
    this.latest = now > this.latest ? now | 1n : this.latest + 1n;
    return this.latest;
  }
}
