/**
 * Scenario 7, a cluster: two server processes on one MongoDB database (the project's
 * wire-protocol test server, in this process), once with change streams (a replica set) and once
 * with polling (a standalone). Every figure is taken across instances: the subscriber is on the
 * instance that does not run the execution, the stop is sent to the one that does not run it.
 *
 * - feedback: ctx.feedback on the runner → the event at a graphql-ws client of the other;
 * - stop: stopTask sent to the other → the runner's worker thread terminated (the job's end, as
 *   the runner's flow prints it);
 * - claim: an execution's end → the next queued one of its task running (on either instance);
 * - idle load: commands per second each idle instance sends the database.
 *
 * Times are absolute high-resolution clocks (performance.timeOrigin + now()) of processes on
 * one machine; stored times (finishedAt, startedAt) are milliseconds.
 */
import { createClient } from 'graphql-ws';
import { MongoClient } from 'mongodb';
import WebSocket from 'ws';
import { startMongoWireServer, type MongoWireServer } from '../../support/mongo-wire-server.js';
import { startServerProcess } from '../../support/server-process.js';
import { sleep, waitUntil } from '../deadline.js';
import { createRecorder, type Scenario } from '../report.js';
import { percentiles } from '../stats.js';

const now = () => performance.timeOrigin + performance.now();
const pollMs = 200;

type ServerProcess = Awaited<ReturnType<typeof startServerProcess>>;

export const clusterScenario: Scenario = {
  name: 'cluster',
  title: '7. A cluster: two instances on one MongoDB database',
  async run({ quick, runs }) {
    const settings = {
      instances: 2,
      feedbackEvents: quick ? 60 : 200,
      feedbackIntervalMs: 10,
      stops: quick ? 5 : 20,
      claims: quick ? 5 : 20,
      idleWindowMs: quick ? 2_000 : 5_000,
      CLUSTER_POLL_MS: pollMs,
      database: 'the wire-protocol test server (test/support/mongo-wire-server.ts), in the benchmark process',
    };
    const recorder = createRecorder();
    const mechanisms = [
      { name: 'change streams', replicaSet: 'rs0' as string | undefined, feedbackTarget: 50 },
      { name: 'polling', replicaSet: undefined, feedbackTarget: pollMs + 50 },
    ];
    for (const { name, feedbackTarget } of mechanisms) {
      recorder.declare(`${name}: feedback to the other instance, p50`, 'ms');
      recorder.declare(`${name}: feedback to the other instance, p99`, 'ms', { op: '<=', value: feedbackTarget });
      recorder.declare(`${name}: stop via the other → thread ended, p50`, 'ms');
      recorder.declare(`${name}: stop via the other → thread ended, p99`, 'ms', { op: '<=', value: 500 });
      recorder.declare(`${name}: slot freed → next claimed, p50`, 'ms');
      recorder.declare(`${name}: slot freed → next claimed, max`, 'ms', { op: '<=', value: 500 });
      recorder.declare(`${name}: database commands per idle instance`, '/s');
    }
    for (let run = 0; run < runs; run++) {
      for (const mechanism of mechanisms) {
        const figures = await measureCluster(mechanism.replicaSet, settings);
        recorder.record(`${mechanism.name}: feedback to the other instance, p50`, figures.feedback.p50);
        recorder.record(`${mechanism.name}: feedback to the other instance, p99`, figures.feedback.p99);
        recorder.record(`${mechanism.name}: stop via the other → thread ended, p50`, figures.stop.p50);
        recorder.record(`${mechanism.name}: stop via the other → thread ended, p99`, figures.stop.p99);
        recorder.record(`${mechanism.name}: slot freed → next claimed, p50`, figures.claim.p50);
        recorder.record(`${mechanism.name}: slot freed → next claimed, max`, figures.claim.p100);
        recorder.record(`${mechanism.name}: database commands per idle instance`, figures.idleCommandsPerSecond);
      }
    }
    const notes = [
      'Every subscriber received every event in sequence order (checked). p99 of few samples is close to their maximum.',
      'Idle load: change streams cost one awaitData getMore per 500 ms per instance; polling costs two indexed finds per CLUSTER_POLL_MS (an idle poll finds nothing in the index range). Both include the lease and sweep reads an instance makes anyway (SWEEP_MS 5 s).',
      'The claim figure is from stored times (ms); the instance that ended the first execution usually claims the next itself; the cross-instance wake-up (work handed back by a draining instance) is tested in test/mongo/cluster-events.engines.test.ts.',
    ];
    return { name: this.name, title: this.title, runs, metrics: recorder.metrics(), settings, notes };
  },
};

async function measureCluster(
  replicaSet: string | undefined,
  settings: { feedbackEvents: number; feedbackIntervalMs: number; stops: number; claims: number; idleWindowMs: number },
) {
  const wire = await startMongoWireServer(replicaSet ? { replicaSet } : {});
  const url = `${wire.url}/bench-cluster?directConnection=true`;
  const servers: ServerProcess[] = [];
  const db = new MongoClient(url);
  try {
    const env = { MONGODB_URL: url, WORKER_THREADS: '1', CLUSTER_POLL_MS: String(pollMs), LOG_LEVEL: 'info' };
    for (const name of ['A', 'B']) {
      servers.push(await startServerProcess({ ...env, INSTANCE_ID: name }, { args: ['src/cli.ts', '--tasks', 'test/bench/cluster-tasks.ts'], timeoutMs: 30_000 }));
    }
    const executions = db.db().collection<{ _id: string; owner: string | null; status: string; startedAt: Date | null; finishedAt: Date | null }>('executions');
    const start = async (server: ServerProcess, task: string, input: unknown) => {
      const id = await startTask(server.url, task, input);
      return id;
    };
    /** The instance running `id`, once it runs, and the other one. */
    const placesOf = async (id: string) => {
      const owner = await waitUntil(async () => (await executions.findOne({ _id: id }))?.owner ?? undefined, { timeoutMs: 10_000, what: 'the execution to run' });
      const runner = servers[owner === 'A' ? 0 : 1]!;
      return { runner, other: servers[owner === 'A' ? 1 : 0]! };
    };

    const idleCommandsPerSecond = await idleLoad(wire, settings.idleWindowMs);

    // Feedback across instances: the pacer waits before its first message, so the subscriber is live.
    const pacerId = await start(servers[0]!, 'BenchPacer', { count: settings.feedbackEvents, intervalMs: settings.feedbackIntervalMs, waitMs: 1_000 });
    const { other } = await placesOf(pacerId);
    const latencies = await followFeedback(other.url, pacerId);

    const stopLatencies: number[] = [];
    for (let i = 0; i < settings.stops; i++) {
      const id = await start(servers[i % 2]!, 'BenchSpinner', {});
      const places = await placesOf(id);
      await sleep(50); // the job is on its thread
      const sentAt = now();
      const answer = await graphql(places.other.url, 'mutation($id: ID!) { stopTask(executionId: $id) { __typename } }', { id });
      if ((answer as { stopTask: { __typename: string } }).stopTask.__typename !== 'TaskStopped') throw new Error(`stopTask answered ${JSON.stringify(answer)}`);
      const endedAt = await waitUntil(() => threadEndedAt(places.runner, id), { timeoutMs: 10_000, what: 'the runner to end the thread' });
      stopLatencies.push(endedAt - sentAt);
    }

    const claimLatencies: number[] = [];
    for (let i = 0; i < settings.claims; i++) {
      const first = await start(servers[i % 2]!, 'BenchHolder', { holdMs: 100 });
      const second = await start(servers[(i + 1) % 2]!, 'BenchHolder', { holdMs: 0 });
      const [a, b] = await waitUntil(
        async () => {
          const docs = await executions.find({ _id: { $in: [first, second] } }).toArray();
          const byId = new Map(docs.map((doc) => [doc._id, doc]));
          const done = byId.get(first)?.finishedAt && byId.get(second)?.startedAt;
          return done ? [byId.get(first)!, byId.get(second)!] : undefined;
        },
        { timeoutMs: 10_000, what: 'both holders to run' },
      );
      claimLatencies.push(b.startedAt!.getTime() - a.finishedAt!.getTime());
      await waitUntil(async () => (await executions.findOne({ _id: second }))?.finishedAt, { timeoutMs: 10_000, what: 'the second holder to end' });
    }
    return {
      feedback: percentiles(latencies, [50, 99]),
      stop: percentiles(stopLatencies, [50, 99]),
      claim: percentiles(claimLatencies, [50, 100]),
      idleCommandsPerSecond,
    };
  } finally {
    await db.close();
    for (const server of servers) await server.stop('SIGTERM');
    await wire.stop();
  }
}

/** Commands the database answers per second and instance while nothing happens (heartbeats excluded). */
async function idleLoad(wire: MongoWireServer, windowMs: number): Promise<number> {
  await sleep(1_000); // start-up work (indexes, the first sweep) is over
  const before = wire.commandLog.length;
  await sleep(windowMs);
  return (wire.commandLog.length - before) / (windowMs / 1_000) / 2;
}

/** Subscribes to taskFeedback on `baseUrl`; resolves with each feedback event's delivery latency, ms. */
async function followFeedback(baseUrl: string, executionId: string): Promise<number[]> {
  const client = createClient({ url: `${baseUrl.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
  const latencies: number[] = [];
  let last = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      client.subscribe<{ taskFeedback: { sequence: number; kind: string; message: string | null } }>(
        { query: 'subscription($id: ID!) { taskFeedback(executionId: $id, afterSequence: 0) { sequence kind message } }', variables: { id: executionId } },
        {
          next: ({ data, errors }) => {
            const arrivedAt = now();
            if (errors?.length || !data) return reject(new Error(JSON.stringify(errors)));
            const event = data.taskFeedback;
            if (event.sequence !== last + 1) return reject(new Error(`sequence ${event.sequence} after ${last}`));
            last = event.sequence;
            if (event.kind === 'FEEDBACK') latencies.push(arrivedAt - Number(event.message));
          },
          error: reject,
          complete: resolve,
        },
      );
    });
  } finally {
    await client.dispose();
  }
  return latencies;
}

function threadEndedAt(server: ServerProcess, executionId: string): number | undefined {
  for (const line of server.lines) {
    if (!line.includes('benchThreadEnded') || !line.includes(executionId)) continue;
    return (JSON.parse(line) as { at: number }).at;
  }
  return undefined;
}

async function startTask(baseUrl: string, task: string, input: unknown): Promise<string> {
  const data = (await graphql(baseUrl, 'mutation($task: String!, $input: JSON) { startTask(task: $task, input: $input) { __typename ... on TaskQueued { execution { id } } } }', {
    task,
    input,
  })) as { startTask: { __typename: string; execution?: { id: string } } };
  if (!data.startTask.execution) throw new Error(`startTask answered ${data.startTask.__typename}`);
  return data.startTask.execution.id;
}

async function graphql(baseUrl: string, query: string, variables: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body)}`);
  return body.data;
}
