import { calculateObjectSize, Long, Timestamp } from 'bson';
import { Aggregator } from 'mingo';
import { isPlainObject, optionalInt, retype, sameBson, toView, type Doc } from './bson-values.js';
import { timeOf, timeOfToken, tokenFor, type ChangeLog, type ChangeRecord } from './change-log.js';
import { requireArray, type CommandContext } from './command-context.js';
import {
  BAD_VALUE,
  CHANGE_STREAM_FATAL_ERROR,
  CHANGE_STREAM_NEEDS_REPLICA_SET,
  CHANGE_STREAM_NOT_FIRST,
  CommandError,
  commandError,
  CURSOR_IN_USE,
  FAILED_TO_PARSE,
  ILLEGAL_OPERATION,
  INVALID_NAMESPACE,
  MULTIPLE_RESUME_OPTIONS,
  toCommandError,
  TYPE_MISMATCH,
  unsupported,
} from './command-errors.js';
import { DEFAULT_FIRST_BATCH, MAX_BATCH_BYTES, type GetMoreRequest, type TailableCursor } from './cursors.js';
import type { MemoryStore } from './memory-store.js';
import { idFirst, MINGO_OPTIONS, requireDocument } from './query-engine.js';

/**
 * Change streams: `aggregate` whose first stage is `$changeStream`, on a collection or on a
 * whole database (`aggregate: 1`), over the ChangeLog of a replica-set server. The cursor is
 * tailable + awaitData: it stays open, each getMore returns the events recorded since the
 * previous batch, waiting up to its maxTimeMS (mongod's default 1 s) for one when there is none,
 * and every reply carries the postBatchResumeToken the driver resumes from.
 * https://www.mongodb.com/docs/manual/changeStreams/ and the driver spec
 * https://github.com/mongodb/specifications/blob/master/source/change-streams/change-streams.md
 */

type FullDocumentMode = 'default' | 'updateLookup';

/** mongod's default await time of a getMore on an awaitData cursor without maxTimeMS. */
const DEFAULT_AWAIT_MS = 1000;
const STAGE_OPTIONS = new Set(['fullDocument', 'resumeAfter', 'startAfter', 'startAtOperationTime']);
/** What mongod 7.0 accepts after $changeStream; any other stage is IllegalOperation there too. */
const ALLOWED_STAGES = new Set(['$match', '$project', '$addFields', '$set', '$unset', '$replaceRoot', '$replaceWith', '$redact', '$changeStreamSplitLargeEvent']);
const IMPLEMENTED_STAGES = new Set(['$match', '$project', '$addFields', '$set', '$unset', '$replaceRoot', '$replaceWith']);
/** mongod refuses database-wide streams on these. */
const INTERNAL_DATABASES = new Set(['admin', 'config', 'local']);

export function isChangeStreamStage(stage: unknown): boolean {
  return isPlainObject(stage) && '$changeStream' in stage;
}

/**
 * One change stream. Its position is the cluster time of the last event it has looked at
 * (returned, or filtered out by its pipeline): the next batch starts after it, and its token is
 * the postBatchResumeToken. A batch is built synchronously from what the ChangeLog holds.
 */
class ChangeStreamCursor implements TailableCursor {
  readonly kind = 'tailable';
  /** The getMore waiting for events, if any: how to end it. */
  private waiting: ((outcome: Doc | CommandError) => void) | undefined;

  constructor(
    readonly ns: string,
    private readonly scope: { db: string; coll: string | undefined },
    private readonly fullDocument: FullDocumentMode,
    private readonly pipeline: Aggregator | undefined,
    private readonly changes: ChangeLog,
    private readonly store: MemoryStore,
    private position: bigint,
  ) {}

  get postBatchResumeToken(): Doc {
    return tokenFor(this.position);
  }

  /** Up to `batchSize` events after the position (16 MiB at most); never waits. */
  collect(batchSize: number): Doc[] {
    const batch: Doc[] = [];
    let bytes = 0;
    for (const record of this.changes.after(this.position)) {
      if (batch.length >= batchSize) break;
      const event = this.concerns(record) ? this.transform(record) : undefined;
      if (event) {
        const size = calculateObjectSize(event);
        if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
        batch.push(event);
        bytes += size;
      }
      this.position = record.time;
    }
    return batch;
  }

  getMore(id: bigint, request: GetMoreRequest): Doc | Promise<Doc> {
    if (this.waiting) throw commandError(CURSOR_IN_USE, `cursor id ${id} is already in use by a waiting getMore`);
    const batchSize = request.batchSize ?? Number.POSITIVE_INFINITY;
    const batch = this.collect(batchSize);
    const awaitMs = request.maxTimeMS ?? DEFAULT_AWAIT_MS;
    if (batch.length > 0 || awaitMs <= 0 || request.signal.aborted) return this.reply(id, batch);
    return new Promise<Doc>((resolve, reject) => {
      let done = false;
      const finish = (outcome: Doc | CommandError) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        unsubscribe();
        request.signal.removeEventListener('abort', onClose);
        this.waiting = undefined;
        if (outcome instanceof CommandError) reject(outcome);
        else resolve(outcome);
      };
      // Woken once per command that recorded events: no polling, no timer but the deadline.
      const unsubscribe = this.changes.subscribe(() => {
        let next: Doc[];
        try {
          next = this.collect(batchSize);
        } catch (error) {
          finish(toCommandError(error));
          return;
        }
        if (next.length > 0) finish(this.reply(id, next));
      });
      const timer = setTimeout(() => finish(this.reply(id, [])), awaitMs);
      // The client is gone: stop waiting, keep the cursor (as mongod does until it times out).
      const onClose = () => finish(this.reply(id, []));
      request.signal.addEventListener('abort', onClose, { once: true });
      this.waiting = finish;
    });
  }

  kill(error: CommandError): void {
    this.waiting?.(error);
  }

  private reply(id: bigint, batch: Doc[]): Doc {
    return { cursor: { nextBatch: batch, postBatchResumeToken: this.postBatchResumeToken, id: Long.fromBigInt(id), ns: this.ns }, ok: 1 };
  }

  /** A database-wide stream sees every collection of its database but the system ones, as in mongod. */
  private concerns(record: ChangeRecord): boolean {
    if (record.db !== this.scope.db) return false;
    return this.scope.coll === undefined ? !record.coll.startsWith('system.') : record.coll === this.scope.coll;
  }

  /** The event as mongod shapes it, then the client's stages; undefined when they filter it out. */
  private transform(record: ChangeRecord): Doc | undefined {
    const event: Doc = { _id: tokenFor(record.time), operationType: record.operationType, clusterTime: record.clusterTime, wallTime: record.wallTime };
    if (record.fullDocument) event.fullDocument = record.fullDocument;
    else if (record.operationType === 'update' && this.fullDocument === 'updateLookup') {
      // Looked up now, when the event is returned: the current version, or null once deleted.
      event.fullDocument = this.store.collection(record.db, record.coll)?.get(record.documentKey._id) ?? null;
    }
    event.ns = { db: record.db, coll: record.coll };
    event.documentKey = record.documentKey;
    if (record.updateDescription) event.updateDescription = record.updateDescription;
    if (!this.pipeline) return event;
    const [result] = this.pipeline.run([toView(event) as Doc]) as Doc[];
    if (!result) return undefined;
    const shaped = idFirst(retype(result, event) as Doc);
    // The driver resumes from `_id`: mongod refuses to return an event whose _id the pipeline changed.
    if (!('_id' in shaped) || !sameBson({ _id: shaped._id }, { _id: event._id })) {
      throw commandError(
        CHANGE_STREAM_FATAL_ERROR,
        'Encountered an event whose _id field, which contains the resume token, was modified by the pipeline. Modifying the _id ' +
          'field of an event makes it impossible to resume the stream from that point. Only transformations that retain the ' +
          'unmodified _id field are allowed.',
        { errorLabels: ['NonResumableChangeStreamError'] },
      );
    }
    return shaped;
  }
}

function parseFullDocument(value: unknown): FullDocumentMode {
  if (value === undefined || value === null || value === 'default') return 'default';
  if (value === 'updateLookup') return 'updateLookup';
  if (value === 'whenAvailable' || value === 'required') {
    throw unsupported(`$changeStream fullDocument: '${value}' (needs post-images, changeStreamPreAndPostImages)`);
  }
  throw commandError(BAD_VALUE, `Enumeration value '${String(value)}' for field '$changeStream.fullDocument' is not a valid value.`);
}

/** Where the stream starts: after a token, at an operation time (inclusive), or after now. */
function startPosition(spec: Doc, changes: ChangeLog): bigint {
  const given = ['resumeAfter', 'startAfter', 'startAtOperationTime'].filter((field) => spec[field] !== undefined && spec[field] !== null);
  if (given.length > 1) throw commandError(MULTIPLE_RESUME_OPTIONS, 'Only one type of resume option is allowed, but multiple were found.');
  let position = changes.latestTime;
  if (given[0] === 'startAtOperationTime') {
    const time = spec.startAtOperationTime;
    if (!(time instanceof Timestamp)) throw commandError(TYPE_MISMATCH, "BSON field '$changeStream.startAtOperationTime' is the wrong type, expected type 'timestamp'");
    position = timeOf(time) - 1n;
  } else if (given[0]) {
    position = timeOfToken(spec[given[0]], `$changeStream.${given[0]}`);
  }
  changes.checkRetained(position);
  return position;
}

/** The client's stages after $changeStream, compiled once for the cursor's lifetime. */
function compileStages(stages: unknown[]): Aggregator | undefined {
  const specs = stages.map((stage) => {
    const entries = isPlainObject(stage) ? Object.entries(stage) : [];
    if (entries.length !== 1) throw commandError(FAILED_TO_PARSE, 'A pipeline stage specification object must contain exactly one field.');
    const [name, argument] = entries[0]!;
    if (name === '$changeStream') throw commandError(CHANGE_STREAM_NOT_FIRST, '$changeStream is only allowed as the first stage in a pipeline');
    if (!ALLOWED_STAGES.has(name)) throw commandError(ILLEGAL_OPERATION, `${name} is not permitted in a $changeStream pipeline`);
    if (!IMPLEMENTED_STAGES.has(name)) throw unsupported(`${name} in a change stream pipeline`);
    return { [name]: toView(argument) };
  });
  return specs.length ? new Aggregator(specs as Doc[], MINGO_OPTIONS) : undefined;
}

/** `aggregate` with a leading $changeStream: opens the cursor and returns the events already available. */
export function openChangeStream(command: Doc, context: CommandContext): Doc {
  const member = context.replicaSet;
  if (!member) throw commandError(CHANGE_STREAM_NEEDS_REPLICA_SET, 'The $changeStream stage is only supported on replica sets');
  const [first, ...stages] = requireArray(command, 'pipeline', 'aggregate');
  const spec = requireDocument((first as Doc).$changeStream, '$changeStream') ?? {};
  for (const option of Object.keys(spec)) {
    if (!STAGE_OPTIONS.has(option)) throw unsupported(`$changeStream option '${option}'`);
  }
  if (command.explain === true) throw unsupported('aggregate with explain on a change stream');
  const cursorOptions = requireDocument(command.cursor, 'cursor');
  if (!cursorOptions) throw commandError(FAILED_TO_PARSE, "The 'cursor' option is required, except for aggregate with the explain argument");

  let coll: string | undefined;
  if (typeof command.aggregate === 'string' && command.aggregate !== '') coll = command.aggregate;
  else if (optionalInt(command.aggregate) !== 1) throw commandError(FAILED_TO_PARSE, "Invalid 'aggregate' field: expected a collection name or 1");
  if (coll === undefined && INTERNAL_DATABASES.has(context.db)) {
    throw commandError(INVALID_NAMESPACE, `$changeStream may not be opened on the internal ${context.db} database`);
  }

  const fullDocument = parseFullDocument(spec.fullDocument);
  const pipeline = compileStages(stages);
  const position = startPosition(spec, member.changes);
  const ns = `${context.db}.${coll ?? '$cmd.aggregate'}`;
  const cursor = new ChangeStreamCursor(ns, { db: context.db, coll }, fullDocument, pipeline, member.changes, context.store, position);
  const firstBatch = cursor.collect(optionalInt(cursorOptions.batchSize) ?? DEFAULT_FIRST_BATCH);
  const id = context.cursors.openTailable(cursor);
  return { cursor: { firstBatch, postBatchResumeToken: cursor.postBatchResumeToken, id: Long.fromBigInt(id), ns }, ok: 1 };
}
