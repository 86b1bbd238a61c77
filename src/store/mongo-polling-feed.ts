import type { Db } from 'mongodb';
import { toChanges, type ExecutionDoc } from './mongo-execution-doc.js';
import { collections } from './mongo-indexes.js';
import type { ClusterFeed, ClusterFeedListener } from './store.js';

/**
 * How far back each poll reads before the newest change it has seen, in ms. Writes are stamped
 * with the server's clock when they apply but become visible when they commit, so a write
 * stamped a moment before one already seen can appear after it; a second covers that with a wide
 * margin (a commit takes microseconds to milliseconds), at the price of re-reading the ids and
 * sequences of what changed in that second.
 */
const overlapMs = 1_000;

/** Most executions fetched whole per query. */
const fetchBatch = 500;

/**
 * The cluster feed for any MongoDB server, standalone included: every `intervalMs` it reads the
 * executions (and task settings) whose `changedAt` moved, by the `changed` index. Every change
 * is stamped by the database server's clock (`$currentDate`), so one clock orders them all, and
 * what each poll reads is a state, not a log: an execution that changed five times since the last
 * poll is read once, at its latest sequence (the bridge reads the events in between from the log
 * when someone follows them). A poll that fails is simply repeated; nothing is missed, because
 * the next one reads from where the last successful one got to.
 *
 * Cost per idle instance: two indexed reads per interval (5 per second each at 200 ms), each
 * answered from the index with nothing in range; plus, per poll that sees changes, one read of
 * the changed executions.
 */
export function createPollingFeed(db: Db, options: { intervalMs: number; reason: string }): ClusterFeed {
  const executions = db.collection<ExecutionDoc>(collections.executions);
  const settings = db.collection<{ _id: string; changedAt?: Date }>(collections.taskSettings);
  /** Sequences delivered, per execution seen within the overlap; pruned as changes age out. */
  const delivered = new Map<string, { sequence: number; changedAt: number }>();
  const settingsSeen = new Map<string, number>();
  let since = 0;
  let settingsSince = 0;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | null = null;
  let closed = false;
  let healthy = true;
  let lastError: string | null = null;

  async function pollExecutions(listener: ClusterFeedListener): Promise<void> {
    const from = new Date(since - overlapMs);
    // served by changed
    const rows = await executions
      .find({ changedAt: { $gte: from } }, { projection: { _id: 1, lastSequence: 1, changedAt: 1 } })
      .toArray();
    const fresh: string[] = [];
    for (const row of rows) {
      const changedAt = row.changedAt!.getTime();
      since = Math.max(since, changedAt);
      const known = delivered.get(row._id);
      if (known && known.sequence >= row.lastSequence) continue;
      fresh.push(row._id);
    }
    for (const [id, known] of delivered) if (known.changedAt < since - overlapMs) delivered.delete(id);
    for (let i = 0; i < fresh.length; i += fetchBatch) {
      // served by _id
      const docs = await executions.find({ _id: { $in: fresh.slice(i, i + fetchBatch) } }).toArray();
      // Oldest change first: a stop and the slot it frees are seen in the order they happened.
      docs.sort((a, b) => (a.changedAt?.getTime() ?? 0) - (b.changedAt?.getTime() ?? 0));
      for (const doc of docs) delivered.set(doc._id, { sequence: doc.lastSequence, changedAt: doc.changedAt?.getTime() ?? since });
      if (docs.length > 0) listener.executionsChanged(docs.flatMap(toChanges));
    }
  }

  async function pollSettings(listener: ClusterFeedListener): Promise<void> {
    // served by changed (task_settings)
    const rows = await settings.find({ changedAt: { $gte: new Date(settingsSince - overlapMs) } }, { projection: { _id: 1, changedAt: 1 } }).toArray();
    for (const row of rows) {
      const changedAt = row.changedAt!.getTime();
      settingsSince = Math.max(settingsSince, changedAt);
      if (settingsSeen.get(row._id) === changedAt) continue;
      settingsSeen.set(row._id, changedAt);
      listener.taskSettingsChanged(row._id);
    }
  }

  async function poll(listener: ClusterFeedListener): Promise<void> {
    try {
      await Promise.all([pollExecutions(listener), pollSettings(listener)]);
      if (!healthy) listener.recovered();
      healthy = true;
      lastError = null;
    } catch (error) {
      healthy = false;
      lastError = (error as Error)?.message ?? String(error);
      listener.failing(error);
    }
  }

  function schedule(listener: ClusterFeedListener): void {
    if (closed) return;
    timer = setTimeout(() => {
      polling = poll(listener).finally(() => {
        polling = null;
        schedule(listener);
      });
    }, options.intervalMs);
    timer.unref();
  }

  return {
    mechanism: 'polling',
    reason: options.reason,
    async start(listener) {
      // From the server's "now": changes before it are history, read from the store by whoever needs them.
      const hello = await db.admin().command({ hello: 1 });
      since = hello.localTime instanceof Date ? hello.localTime.getTime() : Date.now();
      settingsSince = since;
      schedule(listener);
    },
    health: () => ({ mechanism: 'polling', reason: options.reason, healthy, lastError, pollMs: options.intervalMs }),
    async close() {
      closed = true;
      clearTimeout(timer);
      await polling;
    },
  };
}
