/**
 * A small MongoDB wire-protocol server for tests, in the test process, over `bson` and `mingo`
 * (these machines cannot run mongod). It serves the official `mongodb` driver 7.9 for exactly
 * the subset below; anything else answers
 *   { ok: 0, code: 115, codeName: 'CommandNotSupported',
 *     errmsg: 'command not supported by the test server: <what>' }
 * so a gap shows up as a failing test, never as a silent success.
 *
 * CONNECTING
 *   const server = await startMongoWireServer();
 *   const client = new MongoClient(`${server.url}/mydb?directConnection=true`);
 *   `directConnection=true` is recommended (one node, no discovery); no other URL option is
 *   needed. No auth, no TLS, no compression (`compressors` must stay unset). Keep the default
 *   `retryWrites`/`retryReads`: a standalone gets no transaction numbers anyway; in
 *   replicaSet mode retried writes are recognised (see below). Several clients and
 *   processes may connect at once; one whose socket dies does not disturb the others.
 *   With `startMongoWireServer({ replicaSet: 'rs0' })` the server is the primary of a
 *   one-member replica set and serves change streams (REPLICA SET MODE below). Connect with
 *   `directConnection=true` as well; `?replicaSet=rs0` without it also works, but the driver
 *   then connects to the announced host 127.0.0.1:PORT, bypassing any proxy in between.
 *
 * SUPPORTED SUBSET (semantics per the MongoDB manual unless noted)
 *   Handshake   legacy OP_QUERY `ismaster`/`isMaster`/`hello` (OP_REPLY); OP_MSG `hello`,
 *               `isMaster`, `ping`, `buildInfo` (reports 7.0.0, wire version 21),
 *               `endSessions` (also with moreToCome: then no reply, as for any w:0 write).
 *   Monitoring  as mongod 4.4+: hello carries `topologyVersion` { processId: an ObjectId per
 *               started server, counter: 0 (never changes) }, so the driver monitors with
 *               the streaming protocol: an awaitable hello (`topologyVersion` +
 *               `maxAwaitTimeMS`, both or neither: 31368; counter < 0: 31372; maxAwaitTimeMS
 *               < 0: 51024) answers after maxAwaitTimeMS when its topologyVersion is current,
 *               at once otherwise; with exhaustAllowed (OP_MSG flag bit 16) it streams
 *               replies flagged moreToCome, each after maxAwaitTimeMS, each answering the
 *               previous one, until the connection closes. Heartbeats are not in commandLog.
 *   Cursors     `getMore` (int64 ids, 0 = exhausted; first batch 101 docs unless batchSize,
 *               getMore batches unbounded unless batchSize; 16 MiB per batch), `killCursors`.
 *               Change stream cursors are tailable + awaitData (REPLICA SET MODE below).
 *   Namespaces  `listCollections` (filter, nameOnly), `create` (no options), `drop`
 *               (missing → 26 NamespaceNotFound), `dropDatabase`.
 *   Reads       `find` (filter, sort, projection incl. expressions, skip, limit, batchSize,
 *               singleBatch; hint ignored), `count` (query, skip, limit), `distinct` (key,
 *               query), `aggregate` on a collection with $match $sort $skip $limit $group
 *               $count $project $addFields $set $unset $replaceRoot $replaceWith $unwind
 *               $lookup $sortByCount $facet $bucket $sample (via mingo); a leading
 *               `$changeStream` on a collection or a database (`aggregate: 1`), replicaSet
 *               mode only.
 *   Writes      `insert`, `update` (q, u as operators / replacement / pipeline, multi, upsert,
 *               sort), `delete` (q, limit 0|1), `findAndModify` (query, sort, update as
 *               operators / replacement / pipeline, remove, new, upsert, fields); ordered
 *               and unordered batches, document sequences.
 *   Update ops  $set $unset $inc $mul $min $max $push ($each $position $slice $sort)
 *               $addToSet ($each) $pull $pullAll $pop $rename $currentDate, $setOnInsert
 *               (upserts only), dotted paths incl. array indexes. Pipeline updates: $set,
 *               $addFields, $unset, $project, $replaceRoot, $replaceWith with mingo's
 *               aggregation expressions ($cond, $concat, $ifNull, $add, $max, $$NOW, …).
 *   Queries     mingo's query operators, incl. $expr, $in, $exists, $lt…$gte, $ne, $or,
 *               $and, $not, $elemMatch, $regex. No $where / $function (scripting off).
 *   Indexes     `createIndexes` (idempotent; key with 1/-1 (compound, descending), name,
 *               unique, sparse, partialFilterExpression), `listIndexes`, `dropIndexes`.
 *               Unique indexes (incl. `_id`, compound, partial, multikey) are enforced on
 *               insert, update, replace, findAndModify and upsert. A duplicate is, for
 *               insert/update/delete, `ok: 1` + `writeErrors: [{ index, code: 11000, errmsg:
 *               'E11000 duplicate key error collection: db.coll index: NAME dup key: { … }',
 *               keyPattern, keyValue }]`, and for findAndModify `{ ok: 0, code: 11000,
 *               codeName: 'DuplicateKey', … }`.
 *   Ignored     lsid, txnNumber, $clusterTime, readConcern, writeConcern, $readPreference,
 *               maxTimeMS (but a change stream's getMore waits that long), comment, hint,
 *               allowDiskUse, bypassDocumentValidation.
 *   Refused     transactions (startTransaction, autocommit: false, commit/abortTransaction;
 *               in replicaSet mode too), $out/$merge, tailable `find`, collation, arrayFilters,
 *               positional `$` paths, `let`, TTL/text/hashed/geo indexes, and every option
 *               not listed above (each command checks its fields).
 *
 * DIFFERENCES FROM MONGOD THAT MATTER TO AN ADAPTER
 *   - Cursors are snapshots: all results are computed when the cursor opens.
 *   - Each command runs atomically (single-threaded JS), so multi-document updates are
 *     isolated too, which a real mongod does not promise.
 *   - Natural order is insertion order; a replaced document keeps its place.
 *   - BSON types round-trip exactly for stored documents (Int32 / Int64 / Double kept).
 *     Computed values (pipeline updates, aggregation results beyond a leading
 *     $match/$sort/$skip/$limit) are numbers typed like the field they replace, else int32
 *     or double; Int64 values beyond 2^53 lose precision inside expressions. No Decimal128.
 *   - A partial index is considered usable by the planner when the query constrains every
 *     top-level field of its partial filter (mongod checks logical implication).
 *   - Errors while evaluating an expression or operator come from mingo: BadValue (2) with
 *     mingo's message where mongod has more specific codes; unknown operators are 115.
 *   - Sorting follows mongod's BSON type order and multikey rules, except that an empty array
 *     sorts like null/missing. Strings compare by UTF-16 code unit (no collation).
 *   - Update operators apply their fields in lexicographic order (mongod 5.0+); conflicting
 *     paths give 40 ConflictingUpdateOperators, a changed `_id` 66 ImmutableField.
 *   - Cursors never time out (mongod: 10 minutes idle); stop() drops them all.
 *
 * REPLICA SET MODE AND CHANGE STREAMS (option `replicaSet: 'rs0'`)
 *   Without the option the server is a standalone: no `setName`, no oplog, no cluster time,
 *   and an aggregate with `$changeStream` fails as on a standalone mongod:
 *     { ok: 0, code: 40573, codeName: 'Location40573',
 *       errmsg: 'The $changeStream stage is only supported on replica sets' }
 *   With it:
 *   Hello       adds `hosts: ['127.0.0.1:PORT']`, `setName`, `setVersion: 1`,
 *               `isWritablePrimary`/`ismaster: true`, `secondary: false`, `primary`, `me`,
 *               `electionId: ObjectId('7fffffff0000000000000001')` (term 1) and `lastWrite`:
 *               the driver's SDAM sees an RSPrimary (topologyVersion as above). Every OP_MSG
 *               reply carries `$clusterTime` (all-zero signature, key id 0, as mongod without
 *               a keyfile) and `operationTime`: the latest cluster time.
 *   Events      every applied insert, update, replace and delete of every collection (upserts
 *               are inserts; findAndModify and GridFS writes included), in the order applied:
 *               { _id: { _data: '82…' }, operationType, clusterTime: Timestamp, wallTime: Date,
 *                 fullDocument (insert, replace; update with updateLookup), ns: { db, coll },
 *                 documentKey: { _id },
 *                 updateDescription: { updatedFields, removedFields, truncatedArrays: [] } }
 *               Each event has its own cluster time (this second, increment 1, 2, …), and its
 *               token `_data` is that time in fixed-width hex: tokens increase strictly in
 *               lexicographic order. A write that changes nothing records nothing.
 *   $changeStream  options `fullDocument` ('default' | 'updateLookup'; 'whenAvailable' and
 *               'required' need pre/post-images: 115), `resumeAfter` / `startAfter` (events
 *               after the token), `startAtOperationTime` (events at or after it); only one of
 *               the three (40674); a token this server did not issue is 9 FailedToParse; any
 *               other option (showExpandedEvents, fullDocumentBeforeChange,
 *               allChangesForCluster, i.e. client.watch()…) is 115. Later stages run over each
 *               event with mingo: $match $project $addFields $set $unset $replaceRoot
 *               $replaceWith; $redact and $changeStreamSplitLargeEvent are 115; a stage
 *               mongod forbids there ($group, $sort, $limit…) is 20 IllegalOperation ('… is
 *               not permitted in a $changeStream pipeline'); $changeStream later than first is
 *               40602. An event whose `_id` a stage removed or changed fails that getMore with
 *               280 ChangeStreamFatalError (the driver resumes from `_id`). A database stream
 *               sees every collection but `system.*`; admin/config/local refuse it (73).
 *               updateLookup reads the document when the event is returned (null once deleted).
 *               requireIndexes does not apply (mongod reads the oplog, not the collection).
 *   Cursors     `cursor.id` stays non-zero; the aggregate reply and every getMore reply carry
 *               `postBatchResumeToken`: the token of the last event returned when the batch
 *               is full (batchSize), else the high-water mark (every event looked at, those
 *               the pipeline filtered out included; with no event at all, the server's start).
 *               The aggregate answers at once with what is already there (a resume). A getMore
 *               with nothing to return waits up to its `maxTimeMS` (the driver's
 *               maxAwaitTimeMS; mongod's default 1000 ms without it) and answers as soon as a
 *               command records a matching event: woken once per command, so an insertMany
 *               arrives in one batch; nothing polls. killCursors ends a waiting getMore with
 *               237 CursorKilled; stop() closes the sockets and drops the cursors; a client
 *               whose connection closes stops its getMore waiting (the cursor stays open, the
 *               driver resumes with a new one). A second getMore on a cursor already waiting
 *               is 143 CursorInUse. A failed getMore kills its cursor.
 *   History     the last `changeStreamHistory` events (default 10,000) are kept, by count (a
 *               real oplog is bounded by size). Opening a stream from, or a getMore of a stream
 *               still positioned before, an event no longer kept fails with 286
 *               ChangeStreamHistoryLost ('Resume of change stream was not possible, as the
 *               resume point may no longer be in the oplog.'); so does a token from before this
 *               server started (its history starts then). 280 and 286 carry the label
 *               NonResumableChangeStreamError. Kept events hold their documents (shared with
 *               the store while current): many large deleted documents cost memory.
 *   Differences from a real replica set: one member, no elections, no step-down, no
 *   rollback; the term, electionId and setVersion never change; every write is majority-
 *   committed at once, so write concerns and read concerns (majority, afterClusterTime) are
 *   ignored and always satisfied; no secondaries to read from (any read preference reads the
 *   primary). Retryable writes (insert, update, delete, findAndModify with `lsid` +
 *   `txnNumber`, which the driver sends to an RSPrimary): the reply of each session's latest
 *   write is kept, so a write retried after a dropped connection is answered from its first
 *   execution instead of being applied twice; an older txnNumber is 225 TransactionTooOld.
 *   Unlike mongod, a replayed batch is the whole stored reply (no per-statement `stmtIds`),
 *   a failed command (`ok: 0`) is not kept, and the last 10,000 sessions are remembered
 *   (mongod: 30 minutes). Transactions are refused as on the standalone.
 *   Differences from mongod's change streams: `updatedFields` lists top-level fields whose
 *   value changed, with their whole new value, where mongod lists the dotted paths the update
 *   touched ({ 'a.b': 1 }, array indexes) and fills `truncatedArrays`; a pipeline update is
 *   always an 'update' event (mongod may log a large one as 'replace'). No DDL events (create,
 *   drop, rename, dropDatabase, index changes) and no 'invalidate': a collection stream
 *   survives its collection's drop, and `startAfter` behaves like `resumeAfter`. A
 *   high-water-mark token is the token of the latest event (mongod encodes them apart).
 *   Resuming does not check that the token's event belongs to the stream's namespace. No
 *   periodic no-op writes: the high-water mark moves only with writes. No pre-/post-images,
 *   no `collectionUUID`, no expanded events, no cluster-wide streams (client.watch()).
 *   Stages see `clusterTime` (a Timestamp) as a number, as mingo sees every int64: a $match
 *   on it cannot tell events of the same second apart; passed through, it stays a Timestamp.
 *
 * requireIndexes: true
 *   Every find / count (with a query; a bare count, i.e. estimatedDocumentCount, is
 *   metadata) / distinct / aggregate (its leading $match, else an empty filter: so
 *   countDocuments({}) is a scan) / update / delete / findAndModify filter must be served by
 *   an index: some index's FIRST key field appears at top level (or in a top-level $and)
 *   with an equality or $eq/$in/$gt/$gte/$lt/$lte
 *   condition ($or / $expr / $nor do not count). `_id` is always indexed. An empty filter
 *   is allowed on a collection of at most 101 documents, with a limit and no sort (findOne,
 *   updateOne, deleteOne…: the scan stops early), or when an index provides its sort.
 *   Otherwise the query is recorded in `unindexedQueries` (reason 'filter') and refused:
 *   { ok: 0, code: 291, codeName: 'NoQueryExecutionPlans', errmsg: 'test server: query not
 *   served by an index: …' }. A sort that no serving index provides (after equality-bound
 *   key fields) is recorded with reason 'sort' but not refused. Each distinct record is kept
 *   once. Without requireIndexes the same records are kept and nothing is refused.
 */
import { createServer, type Socket } from 'node:net';
import { ObjectId } from 'bson';
import { ChangeLog, DEFAULT_CHANGE_HISTORY } from './mongo-wire/change-log.js';
import type { CommandLogEntry } from './mongo-wire/command-dispatch.js';
import { serveConnection, type ServerState } from './mongo-wire/connection-handler.js';
import { CursorRegistry } from './mongo-wire/cursors.js';
import { MemoryStore } from './mongo-wire/memory-store.js';
import { QueryPlanner, type UnindexedQuery } from './mongo-wire/query-planner.js';
import { ReplicaSetMember } from './mongo-wire/replica-set.js';

export type { CommandLogEntry } from './mongo-wire/command-dispatch.js';
export type { UnindexedQuery } from './mongo-wire/query-planner.js';

export interface MongoWireServerOptions {
  /** TCP port on 127.0.0.1; default 0 (a free port). */
  port?: number;
  /** Refuse queries no index serves (see above); default false. */
  requireIndexes?: boolean;
  /**
   * Answer as the primary of a one-member replica set of this name (e.g. 'rs0') and serve
   * change streams (see REPLICA SET MODE above); default unset: a standalone.
   */
  replicaSet?: string;
  /** Change events kept for resuming, in events (replicaSet mode only); default 10,000. */
  changeStreamHistory?: number;
}

export interface MongoWireServer {
  /** `mongodb://127.0.0.1:PORT`: append `/dbname?directConnection=true`. */
  url: string;
  port: number;
  /** Closes every connection, then the listener; drops all data. */
  stop(): Promise<void>;
  /** Every command received except heartbeats (hello / isMaster), in arrival order. */
  commandLog: CommandLogEntry[];
  /** Queries a real mongod would serve without an index (see requireIndexes). */
  unindexedQueries: UnindexedQuery[];
}

export async function startMongoWireServer(options: MongoWireServerOptions = {}): Promise<MongoWireServer> {
  const setName = options.replicaSet;
  if (setName !== undefined && (typeof setName !== 'string' || setName === '')) throw new Error('mongo wire server: replicaSet must be a non-empty name');
  // Only a replica set has an oplog: a standalone records nothing, as mongod.
  const changes = setName !== undefined ? new ChangeLog(options.changeStreamHistory ?? DEFAULT_CHANGE_HISTORY) : undefined;
  const planner = new QueryPlanner(options.requireIndexes === true);
  const cursors = new CursorRegistry();
  const commandLog: CommandLogEntry[] = [];
  let requestIds = 0;
  const state: ServerState = {
    store: new MemoryStore(changes && ((write) => changes.record(write))),
    cursors,
    planner,
    commandLog,
    replicaSet: undefined, // known once listening: the member announces its host:port
    processId: new ObjectId(),
    nextRequestId: () => ++requestIds,
  };
  const sockets = new Set<Socket>();
  let connectionIds = 0;

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, state, ++connectionIds);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('mongo wire server: no TCP address');
  const port = address.port;
  if (setName !== undefined) state.replicaSet = new ReplicaSetMember(setName, `127.0.0.1:${port}`, changes!);

  let stopped: Promise<void> | undefined;
  return {
    url: `mongodb://127.0.0.1:${port}`,
    port,
    commandLog,
    unindexedQueries: planner.unindexedQueries,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        // Also ends waiting change-stream getMores (their connections are closing anyway).
        cursors.clear();
      });
      return stopped;
    },
  };
}
