import { MongoServerError, type CreateIndexesOptions, type Db, type IndexSpecification } from 'mongodb';
import type { ExecutionDoc } from './mongo-execution-doc.js';

/** Collection names of the MongoDB store (the engine's), in one place. */
export const collections = {
  executions: 'executions',
  events: 'execution_events',
  taskSettings: 'task_settings',
  schedules: 'schedules',
} as const;

/**
 * Every index the store's queries need, created at start (createIndexes is idempotent). Each
 * query in mongo-*-store.ts names the index that serves it; none scans a collection.
 */
export const indexes: ReadonlyArray<{ collection: string; key: IndexSpecification; options: CreateIndexesOptions }> = [
  // Admission: an active (queued or running) execution holds one of its task's capacity slots;
  // the unique index makes "at most maxConcurrent + maxQueue active" exact across processes.
  {
    collection: collections.executions,
    key: { task: 1, slot: 1 },
    options: { name: 'task_capacity_slot', unique: true, partialFilterExpression: { slot: { $exists: true } } },
  },
  // Fair queues: a queued execution holds one of its caller's slots of its task (exact maxQueuedPerCaller).
  {
    collection: collections.executions,
    key: { task: 1, startedBy: 1, callerSlot: 1 },
    options: { name: 'task_caller_slot', unique: true, partialFilterExpression: { callerSlot: { $exists: true } } },
  },
  // Retention: finished executions by when they expire.
  {
    collection: collections.executions,
    key: { expiresAt: 1 },
    options: { name: 'expires_at', partialFilterExpression: { expiresAt: { $exists: true } } },
  },
  // Claims: a running execution holds one of its task's run slots (exact concurrency).
  {
    collection: collections.executions,
    key: { task: 1, runSlot: 1 },
    options: { name: 'task_run_slot', unique: true, partialFilterExpression: { runSlot: { $exists: true } } },
  },
  // Idempotent starts: one execution per key (scoped by the engine), exact across processes.
  {
    collection: collections.executions,
    key: { idempotencyKey: 1 },
    options: { name: 'idempotency_key', unique: true, partialFilterExpression: { idempotencyKey: { $exists: true } } },
  },
  // Claim order (highest priority, then oldest, then id), queue position, counts by status.
  {
    collection: collections.executions,
    key: { task: 1, status: 1, priority: -1, queuedAt: 1, _id: 1 },
    options: { name: 'task_status_priority_queued' },
  },
  { collection: collections.executions, key: { task: 1, queuedAt: -1, _id: -1 }, options: { name: 'task_newest' } },
  // Delayed starts and retries: SCHEDULED executions by when they are due.
  { collection: collections.executions, key: { status: 1, runAt: 1 }, options: { name: 'status_run_at' } },
  // Recovery: running executions by lease expiry; listings by status.
  { collection: collections.executions, key: { status: 1, leaseExpiresAt: 1 }, options: { name: 'status_lease' } },
  { collection: collections.executions, key: { status: 1, queuedAt: -1, _id: -1 }, options: { name: 'status_newest' } },
  { collection: collections.executions, key: { queuedAt: -1, _id: -1 }, options: { name: 'newest' } },
  // One caller's executions (authorization): newest first.
  { collection: collections.executions, key: { startedBy: 1, queuedAt: -1, _id: -1 }, options: { name: 'owner_newest' } },
  // The polling cluster feed: what changed since a moment (mongo-polling-feed.ts).
  { collection: collections.executions, key: { changedAt: 1 }, options: { name: 'changed' } },
  { collection: collections.taskSettings, key: { changedAt: 1 }, options: { name: 'changed' } },
  // Schedules: what is due (and the next tick), listings newest first, by task, by source.
  { collection: collections.schedules, key: { nextRunAt: 1 }, options: { name: 'next_run' } },
  { collection: collections.schedules, key: { createdAt: -1, _id: -1 }, options: { name: 'newest' } },
  { collection: collections.schedules, key: { task: 1, createdAt: -1, _id: -1 }, options: { name: 'task_newest' } },
  { collection: collections.schedules, key: { source: 1, createdAt: -1, _id: -1 }, options: { name: 'source_newest' } },
  { collection: collections.schedules, key: { createdBy: 1, createdAt: -1, _id: -1 }, options: { name: 'owner_newest' } },
  // The feedback log: one event per execution and sequence.
  { collection: collections.events, key: { executionId: 1, sequence: 1 }, options: { name: 'execution_sequence', unique: true } },
];

/** Indexes of earlier versions that a current one replaced: dropped at start. */
const replacedIndexes: ReadonlyArray<{ collection: string; name: string }> = [
  // FIFO claims before priorities: now task_status_priority_queued.
  { collection: collections.executions, name: 'task_status_queued' },
];

/** mongod's codes for "nothing to drop": IndexNotFound, NamespaceNotFound. */
const nothingToDrop = new Set([26, 27]);

export async function ensureIndexes(db: Db): Promise<void> {
  for (const { collection, key, options } of indexes) {
    await db.collection(collection).createIndex(key, options);
  }
  await migrate(db);
  for (const { collection, name } of replacedIndexes) {
    try {
      await db.collection(collection).dropIndex(name);
    } catch (error) {
      if (!(error instanceof MongoServerError && typeof error.code === 'number' && nothingToDrop.has(error.code))) throw error;
    }
  }
}

/**
 * Start-up migrations of documents written by earlier versions; idempotent (each matches only
 * documents it has not changed yet, through an index), so every start may run them.
 * - priority: claims sort by it, and a document without the field would sort after every
 *   priority instead of with priority 0; only waiting or running executions can be claimed
 *   again, terminal ones read it as 0 (toExecution). Served by status_lease (status first).
 */
async function migrate(db: Db): Promise<void> {
  const executions = db.collection<ExecutionDoc>(collections.executions);
  await executions.updateMany({ status: { $in: ['SCHEDULED', 'QUEUED', 'RUNNING'] }, priority: { $exists: false } }, { $set: { priority: 0 } });
}

