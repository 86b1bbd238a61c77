import type { CreateIndexesOptions, Db, IndexSpecification } from 'mongodb';

/** The contract example's collections in MongoDB, beside the server's own. */
export const collections = {
  groups: 'contract_groups',
  clients: 'clients',
  contracts: 'contracts',
  /** GridFS bucket of contract PDFs (`contract_pdfs.files`, `contract_pdfs.chunks`). */
  pdfBucket: 'contract_pdfs',
} as const;

/**
 * Every index the example's queries need, created when the extension is set up (createIndexes is
 * idempotent). Each query in mongo-contract-store.ts names the index that serves it.
 */
const indexes: ReadonlyArray<{ collection: string; key: IndexSpecification; options: CreateIndexesOptions }> = [
  { collection: collections.groups, key: { nameKey: 1 }, options: { name: 'group_name', unique: true } },
  { collection: collections.clients, key: { groupId: 1, order: 1 }, options: { name: 'group_clients' } },
  // One contract per execution and client: a resumed batch cannot create a second one.
  { collection: collections.contracts, key: { executionId: 1, clientId: 1 }, options: { name: 'execution_client', unique: true } },
  { collection: collections.contracts, key: { executionId: 1, createdAt: -1, _id: -1 }, options: { name: 'execution_newest' } },
  { collection: collections.contracts, key: { groupId: 1, createdAt: -1, _id: -1 }, options: { name: 'group_newest' } },
  { collection: collections.contracts, key: { createdAt: -1, _id: -1 }, options: { name: 'newest' } },
  { collection: collections.contracts, key: { startedBy: 1, createdAt: -1, _id: -1 }, options: { name: 'owner_newest' } },
  // GridFS's own indexes, as the driver creates them at a bucket's first upload: with small PDFs
  // stored inline that upload may never come, and the cleanup queries by files_id need them.
  { collection: `${collections.pdfBucket}.files`, key: { filename: 1, uploadDate: 1 }, options: { name: 'filename_1_uploadDate_1' } },
  { collection: `${collections.pdfBucket}.chunks`, key: { files_id: 1, n: 1 }, options: { name: 'files_id_1_n_1', unique: true } },
];

export async function ensureContractIndexes(db: Db): Promise<void> {
  for (const { collection, key, options } of indexes) {
    await db.collection(collection).createIndex(key, options);
  }
}
