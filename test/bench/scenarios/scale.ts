/**
 * Scenario 5, scale: what admission, a claim and a status read cost with 100,000 executions in
 * the store's history against 1,000. The history must not make them slower: every hot-path
 * operation has to be an index lookup, never a scan.
 *
 * Both histories live side by side in one process and are measured in alternating small batches,
 * so a burst of other work on the machine, or a GC, lands on both alike and the ratio within a
 * run stays meaningful. (What a bigger heap costs in GC is the memory scenario's subject.)
 *
 * Status is read two ways: for one of the 1,000 most recent executions (what clients do: they
 * follow what they just started) and for any execution at random. Only the random pattern walks
 * a working set a hundred times larger; see the note the scenario prints.
 */
import { randomUUID } from 'node:crypto';
import { createMemoryStore } from '../../../src/store/memory-store.js';
import type { Store } from '../../../src/store/store.js';
import { TaskStatusDocument } from '../../generated/graphql.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { benchConfig } from '../bench-config.js';
import { createDeadline } from '../deadline.js';
import { forceGc } from '../force-gc.js';
import { beginRun, otherLoadMetric } from '../machine.js';
import { noopTask, noopTaskName } from '../probe-tasks.js';
import { createRecorder, type Scenario } from '../report.js';
import { median } from '../stats.js';

const ownerId = 'bench-scale';
const roomy = { maxConcurrentExecutions: 1_000_000_000, maxQueueLength: 1_000_000_000 };
const recentWindow = 1_000;

const operations = [
  { name: 'admit', unit: 'µs', target: true },
  { name: 'claim', unit: 'µs', target: true },
  { name: 'status, recent execution', unit: 'µs', target: true },
  { name: 'status, random execution', unit: 'µs', target: false },
  { name: 'taskStatus over GraphQL, recent', unit: 'ms', target: true },
] as const;
type Operation = (typeof operations)[number]['name'];

interface History {
  size: number;
  store: Store;
  ids: string[];
  server: TestApp;
}

export const scaleScenario: Scenario = {
  name: 'scale',
  title: '5. Scale (cost per operation with 100,000 vs 1,000 stored executions)',
  async run({ quick, runs }) {
    const settings = {
      small: 1_000,
      large: 100_000,
      batches: quick ? 6 : 12,
      writesPerBatch: 100,
      readsPerBatch: 500,
      queriesPerBatch: quick ? 20 : 50,
      store: 'memory (embedded)',
    };
    const recorder = createRecorder();
    for (const operation of operations) {
      recorder.declare(`${operation.name}, 1k history`, operation.unit);
      recorder.declare(`${operation.name}, 100k history`, operation.unit);
      recorder.declare(`${operation.name}: 100k / 1k`, 'x', operation.target ? { op: '<=', value: 1.2 } : undefined);
    }
    recorder.declare(otherLoadMetric, 'cores');
    for (let run = 0; run < runs; run++) {
      // Fresh histories every run: each run's admissions add to them.
      const small = await openHistory(settings.small);
      const large = await openHistory(settings.large);
      try {
        forceGc();
        const meter = await beginRun(quick);
        const samples = new Map<number, Map<Operation, number[]>>([
          [small.size, new Map()],
          [large.size, new Map()],
        ]);
        const deadline = createDeadline(300_000, 'the scale measurements');
        for (let batch = 0; batch < settings.batches; batch++) {
          for (const history of batch % 2 === 0 ? [small, large] : [large, small]) {
            const costs = await batchCosts(history, settings, batch);
            for (const [operation, cost] of Object.entries(costs) as Array<[Operation, number]>) {
              const list = samples.get(history.size)!.get(operation) ?? [];
              list.push(cost);
              samples.get(history.size)!.set(operation, list);
            }
          }
          deadline.check();
        }
        for (const { name } of operations) {
          const smallCost = median(samples.get(small.size)!.get(name)!);
          const largeCost = median(samples.get(large.size)!.get(name)!);
          recorder.record(`${name}, 1k history`, smallCost);
          recorder.record(`${name}, 100k history`, largeCost);
          recorder.record(`${name}: 100k / 1k`, largeCost / smallCost);
        }
        recorder.record(otherLoadMetric, meter.stop());
      } finally {
        await small.server.close();
        await large.server.close();
      }
    }
    return {
      name: this.name,
      title: this.title,
      runs,
      metrics: recorder.metrics(),
      settings,
      notes: [
        `ExecutionStore calls timed in ${settings.batches} alternating batches per history (${settings.writesPerBatch} admissions and claims, ${settings.readsPerBatch} status reads per batch; median of the batch means); taskStatus is one HTTP query at a time. Each run's admissions stay in the histories (at most ${settings.batches * settings.writesPerBatch} more).`,
        `"recent" reads one of the ${recentWindow} newest executions, "random" any of them. Reading the same execution over and over costs the same at both sizes, so a random-read ratio above 1 is the CPU caches missing a 100x larger working set, not a scan.`,
      ],
    };
  },
};

async function batchCosts(
  history: History,
  settings: { writesPerBatch: number; readsPerBatch: number; queriesPerBatch: number },
  batch: number,
): Promise<Record<Operation, number>> {
  const executions = history.store.executions;
  const at = new Date();
  const perOpMicros = (started: number, count: number) => ((performance.now() - started) / count) * 1000;

  let started = performance.now();
  for (let i = 0; i < settings.writesPerBatch; i++) {
    await executions.admit({ id: randomUUID(), task: noopTaskName, input: {}, queuedAt: at }, roomy);
  }
  const admit = perOpMicros(started, settings.writesPerBatch);

  const claimed: Array<{ id: string; attempt: number }> = [];
  started = performance.now();
  for (let i = 0; i < settings.writesPerBatch; i++) {
    const change = await executions.claimNext(noopTaskName, {
      owner: ownerId,
      at,
      leaseExpiresAt: at,
      maxConcurrentExecutions: roomy.maxConcurrentExecutions,
    });
    claimed.push({ id: change!.execution.id, attempt: change!.execution.attempt });
  }
  const claim = perOpMicros(started, settings.writesPerBatch);
  // Finished untimed, so nothing stays running and the history only grows by what was measured.
  for (const { id, attempt } of claimed) await executions.transition(id, { from: 'RUNNING', to: 'COMPLETED', attempt, at });

  const { ids } = history;
  const recent = (i: number) => ids[ids.length - 1 - ((i * 7919 + batch) % Math.min(recentWindow, ids.length))]!;
  const random = (i: number) => ids[(i * 7919 + batch * 104_729) % ids.length]!;
  started = performance.now();
  for (let i = 0; i < settings.readsPerBatch; i++) await executions.get(recent(i));
  const statusRecent = perOpMicros(started, settings.readsPerBatch);
  started = performance.now();
  for (let i = 0; i < settings.readsPerBatch; i++) await executions.get(random(i));
  const statusRandom = perOpMicros(started, settings.readsPerBatch);

  const queries: number[] = [];
  for (let i = 0; i < settings.queriesPerBatch; i++) {
    const executionId = recent(i);
    const queryStarted = performance.now();
    const { taskStatus } = await history.server.request(TaskStatusDocument, { executionId });
    queries.push(performance.now() - queryStarted);
    if (taskStatus?.id !== executionId) throw new Error(`taskStatus(${executionId}) answered ${JSON.stringify(taskStatus)}`);
  }
  return {
    admit,
    claim,
    'status, recent execution': statusRecent,
    'status, random execution': statusRandom,
    'taskStatus over GraphQL, recent': median(queries),
  };
}

/** `size` finished executions (each with a feedback event) in a fresh store, and an app on it. */
async function openHistory(size: number): Promise<History> {
  const store = createMemoryStore();
  const executions = store.executions;
  const ids: string[] = [];
  const deadline = createDeadline(120_000, `filling a history of ${size}`);
  for (let i = 0; i < size; i++) {
    const at = new Date();
    const admitted = await executions.admit({ id: randomUUID(), task: noopTaskName, input: {}, queuedAt: at }, roomy);
    const claimed = await executions.claimNext(noopTaskName, { owner: ownerId, at, leaseExpiresAt: at, maxConcurrentExecutions: 1 });
    if (admitted.kind !== 'admitted' || claimed?.execution.id !== admitted.change.execution.id) {
      throw new Error('filling the history: admit or claim refused');
    }
    const { id, attempt } = claimed.execution;
    await executions.recordFeedback(id, attempt, { message: `Step 1 of 1 for ${i}`, mode: 'APPEND', progress: 1, at });
    await executions.transition(id, { from: 'RUNNING', to: 'COMPLETED', attempt, at, result: { ok: true } });
    ids.push(id);
    if (i % 10_000 === 0) deadline.check();
  }
  const server = await startTestApp(benchConfig(), { store, contracts: false, extraTasks: () => [noopTask()] });
  for (let i = 0; i < 100; i++) await server.request(TaskStatusDocument, { executionId: ids[ids.length - 1 - i]! }); // warm-up
  return { size, store, ids, server };
}
