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
 *   `directConnection=true` is recommended (one standalone node, no discovery); no other URL
 *   option is needed. No auth, no TLS, no compression (`compressors` must stay unset). Keep
 *   the default `retryWrites`/`retryReads`: a standalone gets no transaction numbers anyway.
 *   Several clients and processes may connect at once; one whose socket dies does not
 *   disturb the others.
 *
 * SUPPORTED SUBSET (semantics per the MongoDB manual unless noted)
 *   Handshake   legacy OP_QUERY `ismaster`/`isMaster`/`hello` (OP_REPLY); OP_MSG `hello`,
 *               `isMaster`, `ping`, `buildInfo` (reports 7.0.0, wire version 21),
 *               `endSessions` (also with moreToCome: then no reply, as for any w:0 write).
 *   Cursors     `getMore` (int64 ids, 0 = exhausted; first batch 101 docs unless batchSize,
 *               getMore batches unbounded unless batchSize; 16 MiB per batch), `killCursors`.
 *   Namespaces  `listCollections` (filter, nameOnly), `create` (no options), `drop`
 *               (missing → 26 NamespaceNotFound), `dropDatabase`.
 *   Reads       `find` (filter, sort, projection incl. expressions, skip, limit, batchSize,
 *               singleBatch; hint ignored), `count` (query, skip, limit), `distinct` (key,
 *               query), `aggregate` on a collection with $match $sort $skip $limit $group
 *               $count $project $addFields $set $unset $replaceRoot $replaceWith $unwind
 *               $lookup $sortByCount $facet $bucket $sample (via mingo).
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
 *               maxTimeMS, comment, hint, allowDiskUse, bypassDocumentValidation.
 *   Refused     transactions (startTransaction, autocommit: false, commit/abortTransaction),
 *               change streams, $out/$merge, tailable cursors, collation, arrayFilters,
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
import type { CommandLogEntry } from './mongo-wire/command-dispatch.js';
import { serveConnection } from './mongo-wire/connection-handler.js';
import { CursorRegistry } from './mongo-wire/cursors.js';
import { MemoryStore } from './mongo-wire/memory-store.js';
import { QueryPlanner, type UnindexedQuery } from './mongo-wire/query-planner.js';

export type { CommandLogEntry } from './mongo-wire/command-dispatch.js';
export type { UnindexedQuery } from './mongo-wire/query-planner.js';

export interface MongoWireServerOptions {
  /** TCP port on 127.0.0.1; default 0 (a free port). */
  port?: number;
  /** Refuse queries no index serves (see above); default false. */
  requireIndexes?: boolean;
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
  const planner = new QueryPlanner(options.requireIndexes === true);
  const cursors = new CursorRegistry();
  const commandLog: CommandLogEntry[] = [];
  let requestIds = 0;
  const state = { store: new MemoryStore(), cursors, planner, commandLog, nextRequestId: () => ++requestIds };
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
        cursors.clear();
      });
      return stopped;
    },
  };
}
