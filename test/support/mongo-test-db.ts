import { randomUUID } from 'node:crypto';
import { startMongoWireServer } from './mongo-wire-server.js';

/**
 * Where MongoDB tests get their databases: the real server named by MONGODB_TEST_URL when it is
 * set (e.g. mongodb://127.0.0.1:27017), otherwise the project's wire-protocol test server in
 * strict mode (every query must be served by an index), a standalone unless `replicaSet` names a
 * set (then it offers change streams). Each call to `databaseUrl` names a fresh
 * database, so tests never see each other's data.
 */
export async function startMongoForTests(options: { replicaSet?: string } = {}) {
  const realUrl = process.env.MONGODB_TEST_URL;
  const wire = realUrl ? null : await startMongoWireServer({ requireIndexes: true, ...options });
  return {
    kind: realUrl ? 'mongodb (MONGODB_TEST_URL)' : 'mongodb (wire-protocol test server)',
    wire,
    /** A connection string for a new, empty database. */
    databaseUrl(prefix = 'test'): string {
      const url = new URL(realUrl ?? wire!.url);
      url.pathname = `/${prefix}-${randomUUID().slice(0, 8)}`;
      if (!realUrl) url.searchParams.set('directConnection', 'true');
      return url.toString();
    },
    async stop() {
      await wire?.stop();
    },
  };
}

export type MongoForTests = Awaited<ReturnType<typeof startMongoForTests>>;
