import { MongoClient } from 'mongodb';
import { createMongoContractStore } from './mongo-contract-store.js';
import { createMongoExecutionStore } from './mongo-execution-store.js';
import { collections, ensureIndexes } from './mongo-indexes.js';
import type { Store, TaskLimits } from './store.js';

export interface MongoStoreOptions {
  url: string;
  /** Database name; defaults to the one in the URL path, else "async-task-server". */
  dbName?: string | undefined;
  /** How long to look for a reachable server before giving up, in ms. */
  serverSelectionTimeoutMs?: number;
}

export class MongoConnectionError extends Error {
  readonly code = 'MONGODB_UNREACHABLE';
  constructor(url: string, cause: unknown) {
    super(`Cannot use MongoDB at ${redact(url)}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'MongoConnectionError';
  }
}

/** Connects, creates the collections' indexes (idempotently) and returns the durable store. */
export async function connectMongoStore(options: MongoStoreOptions): Promise<Store> {
  const client = new MongoClient(options.url, {
    appName: 'async-task-server',
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5_000,
  });
  let db;
  try {
    await client.connect();
    db = client.db(options.dbName || databaseInUrl(options.url) || 'async-task-server');
    await db.command({ ping: 1 });
    await ensureIndexes(db);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new MongoConnectionError(options.url, error);
  }
  const settings = db.collection<TaskLimits & { _id: string }>(collections.taskSettings);
  return {
    kind: 'mongodb',
    durable: true,
    executions: createMongoExecutionStore(db),
    contracts: createMongoContractStore(db),
    taskSettings: {
      async get(task) {
        const doc = await settings.findOne({ _id: task });
        if (!doc) return null;
        const { _id, ...limits } = doc;
        return limits;
      },
      async save(task, limits) {
        await settings.replaceOne({ _id: task }, { ...limits }, { upsert: true });
      },
    },
    async ping() {
      await db.command({ ping: 1 });
    },
    async close() {
      await client.close();
    },
  };
}

/** The database named by the connection string's path, if any (the driver would default to "test"). */
function databaseInUrl(url: string): string | null {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url);
  return match ? decodeURIComponent(match[1]!) : null;
}

/** Hides credentials when the URL shows up in a message or log. */
export function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
