import { describe, expect, it, onTestFinished } from 'vitest';
import { isContiguous, liveFollower } from '../support/live-follower.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { processBatchHarness, seedGroup, startContractsOver, waitUntilFinished } from '../support/process-batch.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Server processes on one MongoDB database, a browser's WebSocket on an instance that does not
 * run the execution: feedback and the tracker feed arrive live, in order, and end; a stop sent
 * there ends the run where it runs, with nothing written after the end; a failover keeps the
 * streams of the instances that do not take the execution over. Once per mechanism of the
 * cluster feed: change streams (a replica set) and polling (a standalone).
 */
const deployments = [
  { mechanism: 'change-stream', replicaSet: 'rs0' },
  { mechanism: 'polling', replicaSet: undefined },
];

/** Slow enough to watch: one render thread, two clients per batch. */
const slow = { WORKER_THREADS: '1', CONTRACT_BATCH_SIZE: '2', CLUSTER_POLL_MS: '100' };

async function graphql<T>(baseUrl: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body)}`);
  return body.data;
}

/** Lines of a process's JSON log at WARN (40) or above. */
const warnings = (lines: string[]) => lines.filter((line) => /"level":(4|5|6)\d/.test(line));

describe.each(deployments)('server processes on one database, cluster feed by $mechanism', ({ mechanism, replicaSet }) => {
  const harness = processBatchHarness({ replicaSet });

  async function cluster(prefix: string, names: string[], env: Record<string, string> = {}) {
    const { url, store, contracts } = await harness.database(prefix);
    const servers = await Promise.all(names.map((name) => harness.server({ ...slow, ...env, MONGODB_URL: url, INSTANCE_ID: name })));
    if (harness.wire) {
      for (const server of servers) {
        const ready = (await (await fetch(`${server.url}/ready`)).json()) as { events: { mechanism: string } };
        expect(ready.events.mechanism).toBe(mechanism);
      }
    }
    const byName = new Map(names.map((name, i) => [name, servers[i]!]));
    /** Waits until the execution runs; returns the instance running it and the others. */
    const placesOf = async (executionId: string) => {
      const owner = await waitFor(async () => (await store.executions.get(executionId))?.owner ?? undefined, {
        timeoutMs: 20_000,
        what: 'the execution to run somewhere',
      });
      return { runner: byName.get(owner)!, others: names.filter((name) => name !== owner).map((name) => byName.get(name)!) };
    };
    return { url, store, contracts, servers, placesOf };
  }

  it('streams feedback and tracker updates live on the instances that do not run it, in order, to completion', async () => {
    const { contracts, servers, placesOf } = await cluster('live', ['A', 'B', 'C']);
    const groupSize = 120;
    const groupId = await seedGroup(contracts, groupSize);
    const trackers = servers.map((server) => liveFollower(server.url));
    onTestFinished(() => trackers.forEach((follower) => void follower.close()));
    const feeds = trackers.map((follower) => follower.tracker('ContractCreator'));
    const executionId = await startContractsOver(servers[0]!.url, groupId);
    const { others } = await placesOf(executionId);

    const followers = others.map((other) => liveFollower(other.url));
    onTestFinished(() => followers.forEach((follower) => void follower.close()));
    const streams = followers.map((follower) => follower.feedback(executionId, 0));

    for (const stream of streams) {
      expect(await stream.ended).toBe('complete');
      expect(stream.errors).toEqual([]);
      expect(isContiguous(stream.values)).toBe(true);
      expect(stream.values.filter((event) => event.kind === 'FEEDBACK')).toHaveLength(groupSize);
      expect(stream.values.at(-1)!.status).toBe('COMPLETED');
    }
    // Every instance's tracker feed shows it running and then completed.
    for (const feed of feeds) {
      await waitFor(() => feed.values.some((update) => update.id === executionId && update.status === 'COMPLETED'), {
        what: 'a tracker feed to show the execution completed',
      });
      const statuses = feed.values.filter((update) => update.id === executionId).map((update) => update.status);
      expect(statuses).toContain('RUNNING');
      expect(statuses.indexOf('RUNNING')).toBeLessThan(statuses.indexOf('COMPLETED'));
    }
  });

  it('stops the run from another instance: its thread is ended, nothing is written after the end, no warning', async () => {
    const { store, contracts, servers, placesOf } = await cluster('stop', ['A', 'B']);
    const groupId = await seedGroup(contracts, 600);
    const executionId = await startContractsOver(servers[0]!.url, groupId);
    const { runner, others } = await placesOf(executionId);
    const runnerFollower = liveFollower(runner.url);
    onTestFinished(() => void runnerFollower.close());
    const runnerStream = runnerFollower.feedback(executionId, 0);
    await waitFor(async () => (await contracts.contractedClientIds(executionId)).size >= 10, { timeoutMs: 20_000, what: 'contracts to be written' });

    const { stopTask } = await graphql<{ stopTask: { __typename: string } }>(
      others[0]!.url,
      'mutation($id: ID!) { stopTask(executionId: $id) { __typename } }',
      { id: executionId },
    );
    expect(stopTask.__typename).toBe('TaskStopped');
    // The runner learns of it from the cluster feed and aborts the flow and its render thread.
    await waitFor(() => runner.lines.some((line) => line.includes('aborting its run here') && line.includes(executionId)), {
      timeoutMs: 5_000,
      what: 'the runner to abort its run',
    });
    expect(await runnerStream.ended).toBe('complete');
    expect(runnerStream.values.at(-1)!.status).toBe('STOPPED');
    expect(isContiguous(runnerStream.values)).toBe(true);

    // Whatever the runner still had under way is refused by the store or taken back: once its run
    // has unwound (its log says so), no contract is dated after the end, and the contracts are
    // exactly those its feedback announced.
    await waitFor(() => runner.lines.some((line) => line.includes('the aborted run has ended here') && line.includes(executionId)), {
      what: 'the run to unwind',
    });
    const finished = await waitUntilFinished(store, executionId);
    const settled = async () => {
      const page = await contracts.listContracts({ executionId }, { first: 1_000 });
      const announced = (await store.executions.eventsAfter(executionId, 0)).filter((event) => event.message?.startsWith('Created contract')).length;
      return page.totalCount === announced ? page : undefined;
    };
    const page = await waitFor(settled, { what: 'the contracts to match the feedback' });
    expect(page.totalCount).toBeGreaterThanOrEqual(10);
    expect(page.totalCount).toBeLessThan(600);
    for (const { node } of page.edges) expect(node.createdAt.getTime()).toBeLessThanOrEqual(finished.finishedAt!.getTime());
    // An expected stop is not a fault: no warning on either instance.
    for (const server of servers) expect(warnings(server.lines).filter((line) => line.includes(executionId))).toEqual([]);
  });

  it('keeps the streams of the instances that do not take over a failed-over execution, to completion', async () => {
    const { contracts, servers, placesOf } = await cluster('failover', ['A', 'B', 'C'], { LEASE_MS: '1500', SWEEP_MS: '200' });
    const groupSize = 300;
    const groupId = await seedGroup(contracts, groupSize);
    const executionId = await startContractsOver(servers[0]!.url, groupId);
    const { runner, others } = await placesOf(executionId);
    const followers = others.map((other) => liveFollower(other.url));
    onTestFinished(() => followers.forEach((follower) => void follower.close()));
    const streams = followers.map((follower) => follower.feedback(executionId, 0));
    await waitFor(async () => (await contracts.contractedClientIds(executionId)).size >= 10, { timeoutMs: 20_000, what: 'contracts to be written' });

    await runner.stop('SIGKILL');
    // One of the others recovers it (attempt 2); the streams of both, the one that does not run it
    // included, go on through the recovery and end with the completion.
    for (const stream of streams) {
      expect(await stream.ended).toBe('complete');
      expect(stream.errors).toEqual([]);
      expect(isContiguous(stream.values)).toBe(true);
      expect(stream.values.at(-1)!.status).toBe('COMPLETED');
      expect(stream.values.some((event) => event.status === 'QUEUED' && event.message?.startsWith('Recovered'))).toBe(true);
    }
    expect((await contracts.listContracts({ executionId }, { first: 1_000 })).totalCount).toBe(groupSize);
  });

  it('ends live streams with EVENTS_UNAVAILABLE when the database goes away, and resumes them without a gap once it is back', async () => {
    const { url, store, contracts } = await harness.database('away');
    const wire = harness.wire;
    if (!wire) return; // a real server cannot be cut from here
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: wire.port });
    onTestFinished(() => proxy.close());
    const viaProxy = url.replace(`:${wire.port}/`, `:${new URL(proxy.url).port}/`);
    // A short lease: the runner may lose its execution in the outage; then the other recovers it soon after.
    const env = { ...slow, MONGODB_URL: viaProxy, CLUSTER_EVENTS_LOST_MS: '1500', MONGODB_OPERATION_TIMEOUT_MS: '500', LEASE_MS: '3000', SWEEP_MS: '500' };
    const servers = await Promise.all(['A', 'B'].map((name) => harness.server({ ...env, INSTANCE_ID: name })));
    const groupId = await seedGroup(contracts, 600);
    const executionId = await startContractsOver(servers[0]!.url, groupId);
    const owner = await waitFor(async () => (await store.executions.get(executionId))?.owner ?? undefined, { what: 'the execution to run' });
    const other = servers[owner === 'A' ? 1 : 0]!;
    const follower = liveFollower(other.url);
    onTestFinished(() => void follower.close());
    const stream = follower.feedback(executionId, 0);
    const tracker = follower.tracker('ContractCreator');
    await waitFor(() => stream.values.length >= 5, { timeoutMs: 20_000, what: 'the stream to be live' });

    proxy.cut();
    // Not silence: both streams end with a typed error the client can act on.
    for (const ended of [stream, tracker]) {
      expect(await ended.ended).toBe('error');
      expect(ended.errors.map((error) => error.code)).toEqual(['EVENTS_UNAVAILABLE']);
    }
    expect(isContiguous(stream.values)).toBe(true);

    proxy.restore();
    // Back: a new stream from the last sequence seen goes on without a gap or a repeat, to the end.
    const last = stream.values.at(-1)!.sequence;
    const resumed = await waitFor(
      async () => {
        const attempt = follower.feedback(executionId, last);
        // Refused at once while the instance still reconnects; accepted, it stays open.
        const outcome = await Promise.race([attempt.ended, new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 1_000))]);
        return outcome === 'error' ? undefined : attempt;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'a stream to be served again' },
    );
    expect(await resumed.ended).toBe('complete');
    expect(isContiguous(resumed.values, last + 1)).toBe(true);
    expect(['COMPLETED', 'FAILED']).toContain(resumed.values.at(-1)!.status);
  }, 90_000);
});
