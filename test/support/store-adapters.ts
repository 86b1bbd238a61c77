import { afterAll, beforeAll } from 'vitest';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { connectMongoStore } from '../../src/store/mongo-store.js';
import type { Store } from '../../src/store/store.js';
import { startMongoForTests, type MongoForTests } from './mongo-test-db.js';

/**
 * Every Store adapter, for contract suites (`describe.each(storeAdapters())`): the memory store,
 * and MongoDB through the wire-protocol test server (or the real server in MONGODB_TEST_URL).
 * Call it at the top level of a test file: it registers the hooks that start and stop MongoDB.
 */
export function storeAdapters(): Array<[string, () => Promise<Store>]> {
  let mongo: MongoForTests | undefined;
  beforeAll(async () => {
    mongo = await startMongoForTests();
  });
  afterAll(async () => {
    await mongo?.stop();
  });
  return [
    ['memory', async () => createMemoryStore()],
    [
      process.env.MONGODB_TEST_URL ? 'mongodb (MONGODB_TEST_URL)' : 'mongodb (wire-protocol test server)',
      () => connectMongoStore({ url: mongo!.databaseUrl('contract') }),
    ],
  ];
}
