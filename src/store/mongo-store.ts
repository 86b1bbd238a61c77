import { MongoClient } from 'mongodb';
import { chooseClusterFeed, type ClusterEventsSetting } from './mongo-cluster-feed.js';
import { createMongoExecutionStore } from './mongo-execution-store.js';
import { createMongoScheduleStore } from './mongo-schedule-store.js';
import { collections, ensureIndexes } from './mongo-indexes.js';
import { asStoreError, isUnreachable, withStoreUnavailable } from './mongo-errors.js';
import type { ClusterFeed, Store, TaskLimits } from './store.js';

export interface MongoStoreOptions {
  url: string;
  /** Database name; defaults to the one in the URL path, else "async-task-server". */
  dbName?: string | undefined;
  /** How long to wait for a reachable server at start before giving up, in ms. */
  connectTimeoutMs?: number;
  /** Once connected, how long an operation waits for a reachable server before it fails, in ms. */
  operationTimeoutMs?: number;
  /** How instances learn of each other's writes (CLUSTER_EVENTS); default auto. */
  clusterEvents?: ClusterEventsSetting;
  /** Polling interval of the polling cluster feed, in ms; default 200. */
  clusterPollMs?: number;
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
  const operationTimeoutMs = options.operationTimeoutMs ?? 2_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const client = new MongoClient(options.url, {
    appName: 'async-task-server',
    // Short: while the database is down a request fails fast with StoreUnavailable instead of
    // hanging. Waiting longer at start is the loop below.
    serverSelectionTimeoutMS: Math.min(operationTimeoutMs, connectTimeoutMs),
  });
  const db = client.db(options.dbName || databaseInUrl(options.url) || 'async-task-server');
  const deadline = Date.now() + connectTimeoutMs;
  let cluster: ClusterFeed;
  for (;;) {
    try {
      await db.command({ ping: 1 });
      await ensureIndexes(db);
      cluster = await chooseClusterFeed(db, { setting: options.clusterEvents ?? 'auto', pollMs: options.clusterPollMs ?? 200 });
      break;
    } catch (error) {
      if (isUnreachable(error) && Date.now() < deadline) continue;
      await client.close().catch(() => undefined);
      throw new MongoConnectionError(options.url, error);
    }
  }
  const settings = db.collection<TaskLimits & { _id: string; changedAt?: Date }>(collections.taskSettings);
  return {
    kind: 'mongodb',
    durable: true,
    database: db,
    cluster,
    executions: withStoreUnavailable(createMongoExecutionStore(db), ['admit', 'claimNext', 'transition', 'recordFeedback', 'renewLease']),
    schedules: withStoreUnavailable(createMongoScheduleStore(db), ['put', 'delete', 'advance']),
    taskSettings: withStoreUnavailable({
      async get(task: string) {
        const doc = await settings.findOne({ _id: task });
        if (!doc) return null;
        const { _id, changedAt, ...limits } = doc;
        return limits;
      },
      async save(task: string, limits: TaskLimits) {
        await settings.updateOne({ _id: task }, { $set: { ...limits }, $currentDate: { changedAt: true } }, { upsert: true });
      },
    }, ['save']),
    async ping() {
      try {
        await db.command({ ping: 1 });
      } catch (error) {
        throw asStoreError(error, false);
      }
    },
    async close() {
      await cluster.close();
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
