import type { CreateIndexesOptions, Db, IndexSpecification } from 'mongodb';

/** Collection names of the MongoDB store (the engine's), in one place. */
export const collections = {
  executions: 'executions',
  events: 'execution_events',
  taskSettings: 'task_settings',
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
  // Claims: a running execution holds one of its task's run slots (exact concurrency).
  {
    collection: collections.executions,
    key: { task: 1, runSlot: 1 },
    options: { name: 'task_run_slot', unique: true, partialFilterExpression: { runSlot: { $exists: true } } },
  },
  // Claim the oldest queued, queue position, counts, listings by task (newest first).
  { collection: collections.executions, key: { task: 1, status: 1, queuedAt: 1, _id: 1 }, options: { name: 'task_status_queued' } },
  { collection: collections.executions, key: { task: 1, queuedAt: -1, _id: -1 }, options: { name: 'task_newest' } },
  // Recovery: running executions by lease expiry; listings by status.
  { collection: collections.executions, key: { status: 1, leaseExpiresAt: 1 }, options: { name: 'status_lease' } },
  { collection: collections.executions, key: { status: 1, queuedAt: -1, _id: -1 }, options: { name: 'status_newest' } },
  { collection: collections.executions, key: { queuedAt: -1, _id: -1 }, options: { name: 'newest' } },
  // One caller's executions (authorization): newest first.
  { collection: collections.executions, key: { startedBy: 1, queuedAt: -1, _id: -1 }, options: { name: 'owner_newest' } },
  // The polling cluster feed: what changed since a moment (mongo-polling-feed.ts).
  { collection: collections.executions, key: { changedAt: 1 }, options: { name: 'changed' } },
  { collection: collections.taskSettings, key: { changedAt: 1 }, options: { name: 'changed' } },
  // The feedback log: one event per execution and sequence.
  { collection: collections.events, key: { executionId: 1, sequence: 1 }, options: { name: 'execution_sequence', unique: true } },
];

export async function ensureIndexes(db: Db): Promise<void> {
  for (const { collection, key, options } of indexes) {
    await db.collection(collection).createIndex(key, options);
  }
}
