import type { CreateIndexesOptions, Db, IndexSpecification } from 'mongodb';

/** Collection names of the MongoDB store, in one place. */
export const collections = {
  executions: 'executions',
  events: 'execution_events',
  taskSettings: 'task_settings',
  groups: 'contract_groups',
  clients: 'clients',
  contracts: 'contracts',
  /** GridFS bucket of contract PDFs (`contract_pdfs.files`, `contract_pdfs.chunks`). */
  pdfBucket: 'contract_pdfs',
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
  // The feedback log: one event per execution and sequence.
  { collection: collections.events, key: { executionId: 1, sequence: 1 }, options: { name: 'execution_sequence', unique: true } },
  { collection: collections.groups, key: { nameKey: 1 }, options: { name: 'group_name', unique: true } },
  { collection: collections.clients, key: { groupId: 1, order: 1 }, options: { name: 'group_clients' } },
  // One contract per execution and client: a resumed batch cannot create a second one.
  { collection: collections.contracts, key: { executionId: 1, clientId: 1 }, options: { name: 'execution_client', unique: true } },
  { collection: collections.contracts, key: { executionId: 1, createdAt: -1, _id: -1 }, options: { name: 'execution_newest' } },
  { collection: collections.contracts, key: { groupId: 1, createdAt: -1, _id: -1 }, options: { name: 'group_newest' } },
  { collection: collections.contracts, key: { createdAt: -1, _id: -1 }, options: { name: 'newest' } },
  { collection: collections.contracts, key: { startedBy: 1, createdAt: -1, _id: -1 }, options: { name: 'owner_newest' } },
];

export async function ensureIndexes(db: Db): Promise<void> {
  for (const { collection, key, options } of indexes) {
    await db.collection(collection).createIndex(key, options);
  }
}
