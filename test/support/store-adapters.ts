import { afterAll, beforeAll } from 'vitest';
import { ensureContractIndexes } from '../../src/contracts/contract-collections.js';
import type { ContractStore } from '../../src/contracts/contract-store.js';
import { createMemoryContractStore } from '../../src/contracts/memory-contract-store.js';
import { createMongoContractStore } from '../../src/contracts/mongo-contract-store.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { connectMongoStore } from '../../src/store/mongo-store.js';
import type { Store } from '../../src/store/store.js';
import { startMongoForTests, type MongoForTests } from './mongo-test-db.js';

const mongoAdapterName = process.env.MONGODB_TEST_URL ? 'mongodb (MONGODB_TEST_URL)' : 'mongodb (wire-protocol test server)';

/** MongoDB for the suite of the calling test file: started before its tests, stopped after them. */
function mongoForSuite(): { readonly current: MongoForTests } {
  let mongo: MongoForTests | undefined;
  beforeAll(async () => {
    mongo = await startMongoForTests();
  });
  afterAll(async () => {
    await mongo?.stop();
  });
  return {
    get current() {
      if (!mongo) throw new Error('MongoDB for this suite has not started yet');
      return mongo;
    },
  };
}

/**
 * Every Store adapter, for contract suites (`describe.each(storeAdapters())`): the memory store,
 * and MongoDB through the wire-protocol test server (or the real server in MONGODB_TEST_URL).
 * Call it at the top level of a test file: it registers the hooks that start and stop MongoDB.
 */
export function storeAdapters(): Array<[string, () => Promise<Store>]> {
  const mongo = mongoForSuite();
  return [
    ['memory', async () => createMemoryStore()],
    [
      mongoAdapterName,
      () => connectMongoStore({ url: mongo.current.databaseUrl('contract') }),
    ],
  ];
}

/**
 * The contract example's store adapters, for its contract suite: memory, and MongoDB through the
 * wire-protocol test server (or MONGODB_TEST_URL), on a database of its own with its indexes.
 */
export function contractStoreAdapters(): Array<[string, () => Promise<{ contracts: ContractStore; close(): Promise<void> }>]> {
  const mongo = mongoForSuite();
  return [
    ['memory', async () => ({ contracts: createMemoryContractStore(), close: async () => {} })],
    [
      mongoAdapterName,
      async () => {
        const store = await connectMongoStore({ url: mongo.current.databaseUrl('contracts') });
        return { contracts: await contractStoreOn(store), close: () => store.close() };
      },
    ],
  ];
}

/** The contract example's store on the same database as `store` (MongoDB), or in memory. */
export async function contractStoreOn(store: Store): Promise<ContractStore> {
  if (!store.database) return createMemoryContractStore();
  await ensureContractIndexes(store.database);
  return createMongoContractStore(store.database);
}
