import type { Config } from '../config.js';
import { createMemoryStore } from './memory-store.js';
import { connectMongoStore } from './mongo-store.js';
import type { Store } from './store.js';

/** MongoDB when MONGODB_URL is set, otherwise the embedded store. */
export async function openStore(config: Config): Promise<Store> {
  if (!config.mongodbUrl) return createMemoryStore({ maxFinishedExecutions: config.maxFinishedExecutions });
  return connectMongoStore({
    url: config.mongodbUrl,
    dbName: config.mongodbDb ?? undefined,
    connectTimeoutMs: config.mongodbConnectTimeoutMs,
    operationTimeoutMs: config.mongodbOperationTimeoutMs,
    clusterEvents: config.clusterEvents,
    clusterPollMs: config.clusterPollMs,
  });
}
