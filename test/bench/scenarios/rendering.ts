/**
 * Scenario 1, rendering efficiency: a ContractCreator batch started through GraphQL on the
 * embedded store, timed until its last contract is stored, against baselines measured in the
 * same run: the renderer called sequentially on the main thread, one worker thread rendering
 * alone (the single-thread rate the ideal is based on), and the worker pool alone fed the same
 * batches the task sends it.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { demoContractGroups } from '../../../src/contracts/demo-data.js';
import { renderContract } from '../../../src/contracts/render-contract.js';
import { unpackRenderedContracts, type ContractParty, type RenderContractsJob, type RenderContractsResult } from '../../../src/contracts/render-job.js';
import { loadContractSettings } from '../../../src/contracts/contract-settings.js';
import type { ContractStore } from '../../../src/contracts/contract-store.js';
import { createMemoryContractStore } from '../../../src/contracts/memory-contract-store.js';
import { createGroup, madeUpClients, startContractCreator } from '../../support/contract-fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { benchConfig } from '../bench-config.js';
import { createDeadline, waitUntil, within } from '../deadline.js';
import { forceGc } from '../force-gc.js';
import { beginRun, otherLoadMetric } from '../machine.js';
import { createRecorder, type Scenario } from '../report.js';

const premium = demoContractGroups.find((group) => group.id === 'premium')!;
const template = { title: premium.template.title, body: premium.template.body, version: 1 };

export const renderingScenario: Scenario = {
  name: 'rendering',
  title: '1. Rendering efficiency (ContractCreator, Premium 2-page contracts)',
  async run({ quick, runs }) {
    const config = benchConfig();
    const settings = {
      clients: quick ? 200 : 1_000,
      sequentialRenders: quick ? 40 : 150,
      batchSize: loadContractSettings(process.env).batchSize,
      workerThreads: config.workerThreads,
      template: 'Premium (demo data)',
    };
    const cores = availableParallelism();
    const saves = createSaveWatch();
    const server = await startTestApp(config, { contracts: { demoData: true, batchSize: loadContractSettings(process.env).batchSize, store: saves.store } });
    const recorder = createRecorder();
    recorder.declare('main thread, sequential', '/s');
    recorder.declare('one worker thread, sequential', '/s');
    recorder.declare('worker pool alone', '/s');
    recorder.declare('app: GraphQL → stored', '/s');
    recorder.declare('app / main thread sequential', 'x', { op: '>=', value: 1.5 });
    recorder.declare('app / worker pool', 'x', { op: '>=', value: 0.9 });
    recorder.declare(`app / ideal (${cores} × one worker thread)`, 'x');
    recorder.declare(`worker pool / ideal`, 'x');
    recorder.declare('main thread busy, pool alone', '%');
    recorder.declare('main thread busy, app', '%');
    recorder.declare(otherLoadMetric, 'cores');
    const notes: string[] = [];
    try {
      const date = new Date().toISOString().slice(0, 10);
      const clients = madeUpClients(settings.clients, 'Bench client');
      const groupId = await createGroup(server, { name: 'Bench rendering', title: template.title, body: template.body, clients });
      const parties: ContractParty[] = clients.map((client, i) => ({ clientId: `c${i}`, ...client }));

      // Warm-up: JIT on the main thread and in every worker, and one whole execution.
      await sequentialRate(parties.slice(0, 30), date);
      await poolRate(server, parties.slice(0, 16 * settings.workerThreads), date, settings.batchSize);
      await appRate(server, saves, 'premium', 40);

      for (let run = 0; run < runs; run++) {
        const meter = await beginRun(quick);
        forceGc();
        const sequential = await sequentialRate(parties.slice(0, settings.sequentialRenders), date);
        forceGc();
        // One batch in flight: one thread renders at a time, with the workers' heap settings.
        const oneThread = await poolRate(server, parties.slice(0, settings.sequentialRenders * 2), date, settings.batchSize, 1);
        // Alternating which of the two goes first: neither always inherits the other's heap.
        const measurePool = async () => {
          forceGc();
          return poolRate(server, parties, date, settings.batchSize);
        };
        const measureApp = async () => {
          forceGc();
          return appRate(server, saves, groupId, settings.clients);
        };
        let pool: Awaited<ReturnType<typeof measurePool>>;
        let app: Awaited<ReturnType<typeof measureApp>>;
        if (run % 2 === 0) {
          pool = await measurePool();
          app = await measureApp();
        } else {
          app = await measureApp();
          pool = await measurePool();
        }
        recorder.record('main thread, sequential', sequential);
        recorder.record('one worker thread, sequential', oneThread.rate);
        recorder.record('worker pool alone', pool.rate);
        recorder.record('app: GraphQL → stored', app.rate);
        recorder.record('app / main thread sequential', app.rate / sequential);
        recorder.record('app / worker pool', app.rate / pool.rate);
        recorder.record(`app / ideal (${cores} × one worker thread)`, app.rate / (cores * oneThread.rate));
        recorder.record(`worker pool / ideal`, pool.rate / (cores * oneThread.rate));
        recorder.record('main thread busy, pool alone', pool.mainThreadBusy * 100);
        recorder.record('main thread busy, app', app.mainThreadBusy * 100);
        recorder.record(otherLoadMetric, meter.stop());
      }
      notes.push(
        'Rates are contracts per second. The ideal is the core count times one worker thread rendering alone: a worker renders faster than the main thread (its larger young generation means fewer scavenges), so the main-thread rate would understate it. "main thread busy" is the event-loop utilisation of the main thread during the timed part: on 2 cores every busy main-thread millisecond is taken from a render thread.',
      );
    } finally {
      await server.close();
    }
    return { name: this.name, title: this.title, runs, metrics: recorder.metrics(), settings, notes };
  },
};

/** The renderer called one contract after another on the main thread: the single-thread rate. */
async function sequentialRate(parties: ContractParty[], date: string): Promise<number> {
  const deadline = createDeadline(120_000, 'sequential rendering');
  const started = performance.now();
  for (const party of parties) {
    await renderContract({ template, groupName: premium.name, date, party });
    deadline.check();
  }
  return (parties.length / (performance.now() - started)) * 1000;
}

/**
 * The pool fed exactly as ContractCreator feeds it (same batch size, two batches in flight per
 * thread), with nothing else around: no engine, no GraphQL, no storage, no feedback. With
 * `lanes` 1, one batch at a time: the rate of a single worker thread.
 */
async function poolRate(server: TestApp, parties: ContractParty[], date: string, maxBatchSize: number, lanes = server.app.pool.threads * 2) {
  const pool = server.app.pool;
  const batchSize = Math.max(1, Math.min(maxBatchSize, Math.ceil(parties.length / lanes)));
  const batches: ContractParty[][] = [];
  for (let i = 0; i < parties.length; i += batchSize) batches.push(parties.slice(i, i + batchSize));
  const signal = new AbortController().signal;
  const deadline = createDeadline(120_000, 'the worker-pool baseline');
  let rendered = 0;
  const utilisation = performance.eventLoopUtilization();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (batches.length > 0) {
        deadline.check();
        const job: RenderContractsJob = { template, groupName: premium.name, date, clients: batches.shift()! };
        const result = await pool.run<RenderContractsResult>('renderContracts', job, { signal });
        rendered += unpackRenderedContracts(result).length;
      }
    }),
  );
  const elapsed = performance.now() - started;
  if (rendered !== parties.length) throw new Error(`the pool rendered ${rendered} of ${parties.length} contracts`);
  return { rate: (rendered / elapsed) * 1000, mainThreadBusy: performance.eventLoopUtilization(utilisation).utilization };
}

/** Starts ContractCreator over GraphQL and times it until its last contract is stored. */
async function appRate(server: TestApp, saves: SaveWatch, groupId: string, clients: number) {
  const utilisation = performance.eventLoopUtilization();
  const started = performance.now();
  const execution = await startContractCreator(server, groupId);
  const lastSavedAt = await saves.whenSaved(execution.id, clients, 300_000);
  const mainThreadBusy = performance.eventLoopUtilization(utilisation).utilization;
  const finished = await waitUntil(
    async () => {
      const status = (await server.app.engine.status(execution.id))?.status;
      return status === 'RUNNING' ? undefined : status;
    },
    { timeoutMs: 30_000, what: 'the ContractCreator execution to finish' },
  );
  if (finished !== 'COMPLETED') throw new Error(`ContractCreator ended ${finished}`);
  return { rate: (clients / (lastSavedAt - started)) * 1000, mainThreadBusy };
}

type SaveWatch = ReturnType<typeof createSaveWatch>;

/**
 * The embedded store, with a note of when each execution's n-th contract was stored: "until the
 * last contract is stored" is measured at the store, not by a client polling for it.
 */
function createSaveWatch() {
  const base = createMemoryContractStore();
  const counts = new Map<string, { saved: number; lastAt: number }>();
  const waiting = new Map<string, { count: number; resolve: (at: number) => void }>();
  const store: ContractStore = {
    ...base,
    async saveContracts(items) {
      const saved = await base.saveContracts(items);
      for (const { executionId } of saved) {
        const entry = counts.get(executionId) ?? { saved: 0, lastAt: 0 };
        entry.saved += 1;
        entry.lastAt = performance.now();
        counts.set(executionId, entry);
        const waiter = waiting.get(executionId);
        if (waiter && entry.saved >= waiter.count) {
          waiting.delete(executionId);
          waiter.resolve(entry.lastAt);
        }
      }
      return saved;
    },
  };
  return {
    store,
    /** Resolves with the moment the `count`-th contract of the execution was stored. */
    whenSaved(executionId: string, count: number, timeoutMs: number): Promise<number> {
      const entry = counts.get(executionId);
      if (entry && entry.saved >= count) return Promise.resolve(entry.lastAt);
      // Woken by the save itself: polling would put timer work on the main thread being measured.
      const saved = new Promise<number>((resolve) => waiting.set(executionId, { count, resolve }));
      return within(saved, timeoutMs, `${count} contracts of execution ${executionId} to be stored`);
    },
  };
}
