/**
 * Scenario 3, engine overhead: a task that does nothing, so all that is measured is what the
 * engine (and, the second time, GraphQL) costs per execution: executions per second from start
 * to completion, and start-to-running latency, through the engine API and through GraphQL.
 */
import { print } from 'graphql';
import { StartTaskDocument, TaskExecutionUpdatesDocument } from '../../generated/graphql.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { benchConfig } from '../bench-config.js';
import { createDeadline, within } from '../deadline.js';
import { forceGc } from '../force-gc.js';
import { beginRun, otherLoadMetric } from '../machine.js';
import { createRunProbe, noopTask, noopTaskName, type RunProbe } from '../probe-tasks.js';
import { createRecorder, type Scenario } from '../report.js';
import { percentiles } from '../stats.js';

export const engineOverheadScenario: Scenario = {
  name: 'engine',
  title: '3. Engine overhead (no-op task, embedded store)',
  async run({ quick, runs }) {
    const settings = {
      engineExecutions: quick ? 2_000 : 20_000,
      graphqlExecutions: quick ? 300 : 2_000,
      graphqlConcurrency: 8,
      latencySamples: quick ? 200 : 1_000,
      graphqlLatencySamples: quick ? 100 : 500,
      task: `${noopTaskName}: maxConcurrentExecutions 100, run() returns at once`,
    };
    const probe = createRunProbe();
    const server = await startTestApp(benchConfig(), { extraTasks: () => [noopTask(probe)] });
    const recorder = createRecorder();
    recorder.declare('engine API: executions/s', '/s', { op: '>=', value: 10_000 });
    recorder.declare('engine API: start→running p50', 'ms');
    recorder.declare('engine API: start→running p99', 'ms', { op: '<=', value: 2 });
    recorder.declare('GraphQL: executions/s', '/s');
    recorder.declare('GraphQL: start→running p50', 'ms');
    recorder.declare('GraphQL: start→running p99', 'ms');
    recorder.declare(otherLoadMetric, 'cores');
    try {
      // Warm-up of every path measured below.
      await engineThroughput(server, 1_000);
      await graphqlThroughput(server, 200, settings.graphqlConcurrency);
      await engineLatency(server, probe, 200);
      await graphqlLatency(server, probe, 50);
      for (let run = 0; run < runs; run++) {
        const meter = await beginRun(quick);
        forceGc();
        recorder.record('engine API: executions/s', await engineThroughput(server, settings.engineExecutions));
        forceGc();
        const engine = await engineLatency(server, probe, settings.latencySamples);
        recorder.record('engine API: start→running p50', engine.p50);
        recorder.record('engine API: start→running p99', engine.p99);
        forceGc();
        recorder.record('GraphQL: executions/s', await graphqlThroughput(server, settings.graphqlExecutions, settings.graphqlConcurrency));
        forceGc();
        const graphql = await graphqlLatency(server, probe, settings.graphqlLatencySamples);
        recorder.record('GraphQL: start→running p50', graphql.p50);
        recorder.record('GraphQL: start→running p99', graphql.p99);
        recorder.record(otherLoadMetric, meter.stop());
      }
    } finally {
      await server.close();
    }
    return {
      name: this.name,
      title: this.title,
      runs,
      metrics: recorder.metrics(),
      settings,
      notes: [
        'Throughput: every execution started back to back (engine.start awaited one after another; over GraphQL, ' +
          `${settings.graphqlConcurrency} HTTP clients in parallel), timed until the last one is COMPLETED as seen on the tracker feed ` +
          '(engine.listenToUpdates, or the taskExecutionUpdates subscription). Latency: one start at a time on an idle engine, from the ' +
          'call (or the HTTP request) to the moment the flow runs.',
      ],
    };
  },
};

/** Starts `count` executions back to back; rate from the first start to the last completion. */
async function engineThroughput(server: TestApp, count: number): Promise<number> {
  const engine = server.app.engine;
  const updates = engine.listenToUpdates();
  try {
    const deadline = createDeadline(120_000, `${count} no-op executions through the engine`);
    let completed = 0;
    const allCompleted = (async () => {
      while (completed < count) {
        const taken = await updates.take();
        if (taken.kind === 'closed') throw new Error('the tracker feed closed');
        if (taken.kind === 'value' && taken.value.status === 'COMPLETED') completed++;
        else if (taken.kind === 'value' && taken.value.finishedAt) throw new Error(`a no-op execution ended ${taken.value.status}`);
      }
    })();
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const outcome = await engine.start(noopTaskName, {});
      if (outcome.kind !== 'TaskQueued') throw new Error(`engine.start answered ${outcome.kind}`);
      if (i % 1000 === 0) deadline.check();
    }
    await within(allCompleted, deadline.remainingMs(), 'the no-op executions to complete');
    return (count / (performance.now() - started)) * 1000;
  } finally {
    updates.close();
  }
}

/** One start at a time: from calling engine.start to the flow running. */
async function engineLatency(server: TestApp, probe: RunProbe, samples: number) {
  const engine = server.app.engine;
  const latencies: number[] = [];
  const deadline = createDeadline(60_000, 'the engine latency samples');
  for (let i = 0; i < samples; i++) {
    const asked = performance.now();
    const outcome = await engine.start(noopTaskName, {});
    if (outcome.kind !== 'TaskQueued') throw new Error(`engine.start answered ${outcome.kind}`);
    latencies.push((await within(probe.whenEntered(outcome.execution.id), 5_000, 'a no-op flow to run')) - asked);
    await settle();
    deadline.check();
  }
  return percentiles(latencies, [50, 99]);
}

/** One startTask mutation at a time: from sending the request to the flow running. */
async function graphqlLatency(server: TestApp, probe: RunProbe, samples: number) {
  const latencies: number[] = [];
  const deadline = createDeadline(60_000, 'the GraphQL latency samples');
  probe.recording = true;
  try {
    for (let i = 0; i < samples; i++) {
      const asked = performance.now();
      const { startTask } = await server.request(StartTaskDocument, { task: noopTaskName, input: {} });
      if (startTask.__typename !== 'TaskQueued') throw new Error(`startTask answered ${startTask.__typename}`);
      latencies.push((await within(probe.whenEntered(startTask.execution.id), 5_000, 'a no-op flow to run')) - asked);
      await settle();
      deadline.check();
    }
  } finally {
    probe.recording = false;
  }
  return percentiles(latencies, [50, 99]);
}

/**
 * startTask mutations from `concurrency` HTTP clients at once; rate from the first request to the
 * last COMPLETED update on a taskExecutionUpdates subscription.
 */
async function graphqlThroughput(server: TestApp, count: number, concurrency: number): Promise<number> {
  const client = server.wsClient();
  try {
    const completedIds = new Set<string>();
    const failures: string[] = [];
    let listening = false;
    /** Set once every start has been answered: the ids still waiting for their COMPLETED update. */
    let pending: Set<string> | null = null;
    let allCompleted!: () => void;
    const completed = new Promise<void>((resolve) => (allCompleted = resolve));
    const unsubscribe = client.subscribe(
      { query: print(TaskExecutionUpdatesDocument), variables: { task: noopTaskName } },
      {
        next: (result) => {
          const update = (result.data as { taskExecutionUpdates?: { id: string; status: string } } | undefined)?.taskExecutionUpdates;
          if (!update) return;
          listening = true;
          // An update can overtake the HTTP answer that names its execution: remember them all.
          if (update.status === 'COMPLETED') completedIds.add(update.id);
          else if (update.status !== 'QUEUED' && update.status !== 'RUNNING') failures.push(`${update.id} ended ${update.status}`);
          if (pending?.delete(update.id) && pending.size === 0) allCompleted();
        },
        error: (error) => failures.push(String(error)),
        complete: () => {},
      },
    );
    // graphql-ws does not acknowledge a subscription: start probe executions until the feed shows one.
    const probeDeadline = createDeadline(10_000, 'the tracker subscription to listen');
    while (!listening) {
      await server.request(StartTaskDocument, { task: noopTaskName, input: {} });
      await new Promise((resolve) => setTimeout(resolve, 20));
      probeDeadline.check();
    }

    const deadline = createDeadline(120_000, `${count} no-op executions through GraphQL`);
    const ids: string[] = [];
    let sent = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < count) {
          sent++;
          const { startTask } = await server.request(StartTaskDocument, { task: noopTaskName, input: {} });
          if (startTask.__typename !== 'TaskQueued') throw new Error(`startTask answered ${startTask.__typename}`);
          ids.push(startTask.execution.id);
          deadline.check();
        }
      }),
    );
    pending = new Set(ids.filter((id) => !completedIds.has(id)));
    if (pending.size === 0) allCompleted();
    await within(completed, deadline.remainingMs(), 'the no-op executions to complete');
    const rate = (count / (performance.now() - started)) * 1000;
    unsubscribe();
    if (failures.length > 0) throw new Error(`tracker feed: ${failures.slice(0, 3).join('; ')}`);
    return rate;
  } finally {
    await client.dispose();
  }
}

/** Lets the previous execution's completion bookkeeping finish before the next sample. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
