/**
 * Scenario 2, responsiveness under full load: the server's event-loop delay and the latency of
 * a GraphQL query while two ContractCreator executions keep every core busy, against the same
 * figures at idle. The server runs in its own process (bench-server.ts), so the load generator
 * and the query client do not share the loop being measured.
 */
import { demoContractGroups } from '../../../src/contracts/demo-data.js';
import {
  AddClientsDocument,
  CreateContractGroupDocument,
  StartTaskDocument,
  StopTaskDocument,
  TaskDocument,
} from '../../generated/graphql.js';
import { madeUpClients } from '../../support/contract-fixtures.js';
import { startBenchServer, type BenchServerProcess as ServerProcess } from '../bench-server-process.js';
import { createDeadline, sleep, waitUntil, within } from '../deadline.js';
import { createGraphQLClient, type GraphQLClient } from '../graphql-client.js';
import { beginRun, otherLoadMetric } from '../machine.js';
import { createRecorder, type Scenario } from '../report.js';
import { percentiles } from '../stats.js';

const premium = demoContractGroups.find((group) => group.id === 'premium')!;

/** The query timed: a task's limits and live counts, what a task panel asks for all the time. */
const queryVariables = { name: 'ContractCreator' };

export const responsivenessScenario: Scenario = {
  name: 'responsiveness',
  title: '2. Responsiveness under full load (2 ContractCreator executions)',
  async run({ quick, runs }) {
    const settings = {
      windowMs: quick ? 1_000 : 4_000,
      queryIntervalMs: 10,
      loopResolutionMs: 1,
      clientsPerExecution: quick ? 600 : 2_500,
      query: 'Task(name) { name maxConcurrentExecutions maxQueueLength timeoutMinutes runningCount queuedCount }',
    };
    const recorder = createRecorder();
    for (const phase of ['idle', 'load'] as const) {
      recorder.declare(`${phase}: event-loop delay p50`, 'ms');
      recorder.declare(`${phase}: event-loop delay p99`, 'ms', phase === 'load' ? { op: '<=', value: 5 } : undefined);
      recorder.declare(`${phase}: event-loop delay max`, 'ms');
      recorder.declare(`${phase}: query p50`, 'ms');
      recorder.declare(`${phase}: query p95`, 'ms');
      recorder.declare(`${phase}: server CPU`, 'cores');
      recorder.declare(`${phase}: main thread busy`, '%');
      recorder.declare(`${phase}: main-thread GC pauses`, 'ms/s');
      recorder.declare(`${phase}: longest GC pause`, 'ms');
      recorder.declare(`${phase}: main thread waiting for a core`, 'ms/s');
      recorder.declare(`${phase}: wait for a core per wake-up`, 'ms');
    }
    recorder.declare('query p95 load / idle', 'x', { op: '<=', value: 3 });
    recorder.declare(otherLoadMetric, 'cores');

    const server = await startBenchServer();
    try {
      const client = createGraphQLClient(`${server.url}/graphql`);
      const groupId = await createLoadGroup(client, settings.clientsPerExecution);
      // Warm-up: JIT for the query path and a short burst of rendering in both threads.
      await queryLoop(client, 500, settings.queryIntervalMs);
      await stopAll(client, await startExecutions(client, groupId, 2));
      await waitForQuiet(server);

      for (let run = 0; run < runs; run++) {
        const meter = await beginRun(quick, () => [server.pid]);
        const idle = await measure(server, client, settings);
        const executions = await startExecutions(client, groupId, 2);
        // Let both flows fill their lanes so the window sees steady load, not the ramp-up.
        await sleep(500);
        await expectRunning(client, 2, 'before the load window');
        const load = await measure(server, client, settings);
        await expectRunning(client, 2, 'after the load window (the load must cover the whole window)');
        await stopAll(client, executions);
        // A stop terminates the render threads; their replacements boot (about half a second of
        // both cores here) before the next idle window may begin.
        await waitForQuiet(server);
        for (const [phase, figures] of [['idle', idle], ['load', load]] as const) {
          recorder.record(`${phase}: event-loop delay p50`, figures.loop.p50);
          recorder.record(`${phase}: event-loop delay p99`, figures.loop.p99);
          recorder.record(`${phase}: event-loop delay max`, figures.loop.max);
          recorder.record(`${phase}: query p50`, figures.query.p50);
          recorder.record(`${phase}: query p95`, figures.query.p95);
          recorder.record(`${phase}: server CPU`, figures.loop.cpuCores);
          recorder.record(`${phase}: main thread busy`, figures.loop.mainThreadBusy * 100);
          recorder.record(`${phase}: main-thread GC pauses`, (figures.loop.gcTotalMs / settings.windowMs) * 1000);
          recorder.record(`${phase}: longest GC pause`, figures.loop.gcMaxMs);
          recorder.record(`${phase}: main thread waiting for a core`, ((figures.loop.runQueueWaitMs ?? Number.NaN) / settings.windowMs) * 1000);
          recorder.record(`${phase}: wait for a core per wake-up`, figures.loop.runQueueWaitPerSliceMs ?? Number.NaN);
        }
        recorder.record('query p95 load / idle', load.query.p95 / idle.query.p95);
        recorder.record(otherLoadMetric, meter.stop());
      }
    } finally {
      await server.stop();
    }
    return {
      name: this.name,
      title: this.title,
      runs,
      metrics: recorder.metrics(),
      settings,
      notes: [
        `Event-loop delay from monitorEventLoopDelay (resolution ${settings.loopResolutionMs} ms, the resolution itself subtracted) inside the server process; one query every ${settings.queryIntervalMs} ms from another process over keep-alive HTTP. "server CPU" is CPU time of the server process (main thread and workers) per second: ~2 means both cores busy.`,
        'The evidence rows: "main-thread GC pauses" sums the GC pauses of the server\'s main thread per second of the window (PerformanceObserver); "waiting for a core" is how long the main thread was runnable but not running (Linux schedstat), per second and per time it got a core. BENCH_GC_LOG=1 logs every pause with its kind.',
      ],
    };
  },
};

async function measure(
  server: ServerProcess,
  client: GraphQLClient,
  settings: { windowMs: number; queryIntervalMs: number; loopResolutionMs: number },
) {
  server.send({ type: 'measure-start', resolutionMs: settings.loopResolutionMs });
  const latencies = await queryLoop(client, settings.windowMs, settings.queryIntervalMs);
  const loop = await server.figures(settings.loopResolutionMs);
  return { loop, query: percentiles(latencies, [50, 95]) };
}

/** One query every `intervalMs` (or right after the previous one, if that took longer), for `windowMs`. */
async function queryLoop(client: GraphQLClient, windowMs: number, intervalMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const window = createDeadline(windowMs, 'the query window');
  const maxQueries = Math.ceil(windowMs / intervalMs) + 1;
  while (!window.expired && latencies.length < maxQueries) {
    const started = performance.now();
    const data = await within(client.request(TaskDocument, queryVariables), 10_000, 'one Task query');
    latencies.push(performance.now() - started);
    if (!data.task) throw new Error('the Task query answered null');
    const wait = intervalMs - (performance.now() - started);
    if (wait > 0) await sleep(wait);
  }
  return latencies;
}

async function createLoadGroup(client: GraphQLClient, clients: number): Promise<string> {
  const created = await client.request(CreateContractGroupDocument, {
    name: 'Bench load',
    title: premium.template.title,
    body: premium.template.body,
  });
  if (created.createContractGroup.__typename !== 'ContractGroup') throw new Error(JSON.stringify(created.createContractGroup));
  const groupId = created.createContractGroup.id;
  const all = madeUpClients(clients, 'Load client');
  for (let i = 0; i < all.length; i += 1000) {
    const added = await client.request(AddClientsDocument, { groupId, clients: all.slice(i, i + 1000) });
    if (added.addClients.__typename !== 'ContractGroup') throw new Error(JSON.stringify(added.addClients));
  }
  return groupId;
}

async function startExecutions(client: GraphQLClient, groupId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { startTask } = await client.request(StartTaskDocument, { task: 'ContractCreator', input: { groupId } });
    if (startTask.__typename !== 'TaskQueued') throw new Error(`startTask answered ${JSON.stringify(startTask)}`);
    ids.push(startTask.execution.id);
  }
  return ids;
}

async function expectRunning(client: GraphQLClient, count: number, when: string): Promise<void> {
  const { task } = await client.request(TaskDocument, queryVariables);
  if (task?.runningCount !== count) throw new Error(`${task?.runningCount} ContractCreator executions running ${when}, expected ${count}`);
}

async function stopAll(client: GraphQLClient, ids: string[]): Promise<void> {
  for (const executionId of ids) await within(client.request(StopTaskDocument, { executionId }), 30_000, 'stopTask');
  await waitUntil(async () => (await client.request(TaskDocument, queryVariables)).task?.runningCount === 0, {
    timeoutMs: 30_000,
    intervalMs: 20,
    what: 'the load executions to stop',
  });
}

/** Waits until the server process uses almost no CPU: a window of 300 ms under 0.1 cores. */
async function waitForQuiet(server: ServerProcess): Promise<void> {
  const deadline = createDeadline(20_000, 'the server to become idle');
  for (;;) {
    server.send({ type: 'measure-start', resolutionMs: 10 });
    await sleep(300);
    if ((await server.figures(10)).cpuCores < 0.1) return;
    deadline.check();
  }
}
