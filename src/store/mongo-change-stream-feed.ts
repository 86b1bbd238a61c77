import { MongoServerError, type ChangeStream, type Db, type Document, type ResumeToken } from 'mongodb';
import { toChanges, type ExecutionDoc } from './mongo-execution-doc.js';
import { collections } from './mongo-indexes.js';
import type { ClusterFeed, ClusterFeedListener, ExecutionChange } from './store.js';

/** How long one getMore waits for a change on an idle database, in ms: how often liveness is known. */
const maxAwaitTimeMs = 500;
/** After the stream broke for good, how long to wait before opening it again, in ms. */
const reopenDelayMs = 500;
/** mongod's codes for "the change history no longer reaches the resume token". */
const historyLostCodes = new Set([286, 280]);

/**
 * The cluster feed on replica sets and sharded clusters: one change stream over the executions
 * and task settings of the database, with the full document looked up, so a change arrives
 * with everything the bus needs and no extra read. Lease renewals (no new sequence) are filtered
 * out on the server.
 *
 * The driver resumes the stream by itself after a network error or an election; when it gives
 * up (the database was away longer than its server selection allows), the stream is opened again
 * after the last resume token, so nothing is missed unless the change history (the oplog) no
 * longer reaches back that far: that is reported as lost.
 */
export function createChangeStreamFeed(db: Db, options: { reason: string }): ClusterFeed {
  let stream: ChangeStream | null = null;
  let resumeToken: ResumeToken | undefined;
  let reading: Promise<void> | null = null;
  let closed = false;
  let healthy = true;
  let lastError: string | null = null;

  const pipeline: Document[] = [
    {
      $match: {
        'ns.coll': { $in: [collections.executions, collections.taskSettings] },
        $or: [
          { operationType: { $in: ['insert', 'replace'] } },
          { operationType: 'update', 'ns.coll': collections.taskSettings },
          { operationType: 'update', 'updateDescription.updatedFields.lastSequence': { $exists: true } },
        ],
      },
    },
    { $project: { operationType: 1, ns: 1, documentKey: 1, fullDocument: 1 } },
  ];

  function open(): ChangeStream {
    return db.watch(pipeline, {
      fullDocument: 'updateLookup',
      maxAwaitTimeMS: maxAwaitTimeMs,
      ...(resumeToken ? { startAfter: resumeToken } : {}),
    });
  }

  /** Reads the stream until closed; a batch's changes are handed over together. */
  async function read(listener: ClusterFeedListener, first: ChangeStream): Promise<void> {
    let current: ChangeStream | null = first;
    while (!closed) {
      try {
        current ??= stream = open();
        await handOver(current, listener, await current.tryNext());
        if (!healthy) listener.recovered();
        healthy = true;
        lastError = null;
      } catch (error) {
        if (closed) return;
        healthy = false;
        lastError = (error as Error)?.message ?? String(error);
        if (error instanceof MongoServerError && historyLostCodes.has(Number(error.code))) {
          // Start over from now: what happened in between cannot be read back.
          resumeToken = undefined;
          listener.lost(error);
        } else {
          listener.failing(error);
        }
        // Not awaited: closing sends killCursors, which waits for a server that may be gone.
        void current?.close().catch(() => undefined);
        current = stream = null;
        await new Promise((resolve) => setTimeout(resolve, reopenDelayMs).unref());
      }
    }
  }

  /**
   * Hands over `first` (the change a tryNext took, if any) and the rest of its batch, together.
   * tryNext returns what the batch holds at once, then null after an empty getMore.
   */
  async function handOver(current: ChangeStream, listener: ClusterFeedListener, first: Document | null): Promise<void> {
    const changes: ExecutionChange[] = [];
    for (let doc = first; doc; doc = current.bufferedCount() > 0 ? await current.tryNext() : null) deliver(doc, changes, listener);
    resumeToken = current.resumeToken ?? resumeToken;
    if (changes.length > 0) listener.executionsChanged(changes);
  }

  function deliver(doc: Document, changes: ExecutionChange[], listener: ClusterFeedListener): void {
    const full = doc.fullDocument as (ExecutionDoc & { _id: string }) | null | undefined;
    if (!full) return; // deleted since: nothing left to follow
    if (doc.ns?.coll === collections.taskSettings) listener.taskSettingsChanged(String(full._id));
    else changes.push(...toChanges(full));
  }

  return {
    mechanism: 'change-stream',
    reason: options.reason,
    async start(listener) {
      // Opened (the aggregate answered) before start resolves: every later write is seen.
      const first = (stream = open());
      await handOver(first, listener, await first.tryNext());
      reading = read(listener, first);
    },
    health: () => ({ mechanism: 'change-stream', reason: options.reason, healthy, lastError }),
    async close() {
      closed = true;
      await stream?.close().catch(() => undefined);
      await reading;
    },
  };
}
