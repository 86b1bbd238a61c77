import type { Db } from 'mongodb';
import { createChangeStreamFeed } from './mongo-change-stream-feed.js';
import { createPollingFeed } from './mongo-polling-feed.js';
import type { ClusterFeed } from './store.js';

export type ClusterEventsSetting = 'auto' | 'change-stream' | 'polling';

/**
 * Chooses how this instance learns of the others' writes: change streams when the deployment
 * offers them (a replica set or a sharded cluster: `hello` names a set or answers as mongos) and
 * one can really be opened (a user without the changeStream privilege cannot), else polling.
 * `change-stream` insists (start fails without them); `polling` never tries.
 */
export async function chooseClusterFeed(
  db: Db,
  options: { setting: ClusterEventsSetting; pollMs: number },
): Promise<ClusterFeed> {
  const polling = (reason: string) => createPollingFeed(db, { intervalMs: options.pollMs, reason });
  if (options.setting === 'polling') return polling('CLUSTER_EVENTS=polling');
  const hello = await db.admin().command({ hello: 1 });
  const offersChangeStreams = typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
  if (!offersChangeStreams) {
    if (options.setting === 'change-stream') {
      throw new Error('CLUSTER_EVENTS=change-stream, but this MongoDB server is a standalone: change streams need a replica set or a sharded cluster');
    }
    return polling('the server is a standalone (change streams need a replica set)');
  }
  try {
    const probe = db.watch([], { maxAwaitTimeMS: 1 });
    await probe.tryNext().finally(() => probe.close());
  } catch (error) {
    if (options.setting === 'change-stream') throw new Error(`CLUSTER_EVENTS=change-stream, but no change stream could be opened: ${(error as Error).message}`, { cause: error });
    return polling(`a change stream could not be opened: ${(error as Error).message}`);
  }
  return createChangeStreamFeed(db, { reason: typeof hello.setName === 'string' ? `replica set "${hello.setName}"` : 'a sharded cluster' });
}
