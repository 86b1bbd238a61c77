/**
 * Issue 14, the cost of a contract: CPU per contract with every thread of the server process
 * counted (main, render workers, V8's platform threads that run GC and compilation, libuv), for
 * the one-page and the two-page (Premium) contract, and end-to-end throughput on 2 render
 * threads against 1. The server runs in a process of its own (bench-server.ts), started once
 * with WORKER_THREADS=1 and once with 2; its per-thread CPU comes from /proc over IPC. Beside
 * it, in this process, the reference: the Premium contract drawn by plain pdf-lib
 * (plain-pdf-lib-contract.ts), one after another.
 */
import { demoContractGroups } from '../../../src/contracts/demo-data.js';
import { AddClientsDocument, CreateContractGroupDocument, StartTaskDocument, TaskStatusDocument } from '../../generated/graphql.js';
import { madeUpClients } from '../../support/contract-fixtures.js';
import type { ThreadCpuFigures } from '../bench-server.js';
import { startBenchServer, type BenchServerProcess } from '../bench-server-process.js';
import { createDeadline, sleep, within } from '../deadline.js';
import { forceGc } from '../force-gc.js';
import { createGraphQLClient, type GraphQLClient } from '../graphql-client.js';
import { beginRun, otherLoadMetric } from '../machine.js';
import { renderPlainContract } from '../plain-pdf-lib-contract.js';
import { createRecorder, type Scenario } from '../report.js';
import { cpuByGroup, type ThreadGroup } from '../thread-cpu.js';

const premium = demoContractGroups.find((group) => group.id === 'premium')!;

const templates = [
  { key: 'one-page', title: 'One page', body: 'Dear {{name}} of {{address}}, {{email}}, {{date}}.' },
  { key: 'Premium', title: premium.template.title, body: premium.template.body },
] as const;
type TemplateKey = (typeof templates)[number]['key'];

const threadCounts = [1, 2] as const;
/** The groups the table shows; "other" takes libuv, late-started and exited threads. */
const shownGroups: Array<{ label: string; groups: ThreadGroup[] }> = [
  { label: 'main thread', groups: ['main'] },
  { label: 'render workers', groups: ['render workers'] },
  { label: 'V8 platform (GC, compiler)', groups: ['V8 platform'] },
  { label: 'other (libuv, other threads)', groups: ['libuv', 'other'] },
];

const threadLabel = (threads: number) => `${threads} thread${threads === 1 ? '' : 's'}`;

export const contractCostScenario: Scenario = {
  name: 'contract-cost',
  title: '14. CPU per contract, all threads (one-page and Premium), 2 threads vs 1',
  async run({ quick, runs }) {
    const settings = {
      clients: quick ? 300 : 1_200,
      warmUpClients: 40,
      statusPollMs: 100,
      plainContracts: quick ? 40 : 150,
      plainWarmUp: 15,
      threadCounts,
      templates: templates.map(({ key, title }) => ({ key, title })),
    };
    const recorder = createRecorder();
    for (const { key } of templates) {
      for (const threads of threadCounts) {
        const at = `${key}, ${threadLabel(threads)}`;
        recorder.declare(`${at}: CPU per contract, all threads`, 'ms');
        for (const { label } of shownGroups) recorder.declare(`${at}: … ${label}`, 'ms');
        recorder.declare(`${at}: throughput`, '/s');
      }
      recorder.declare(`${key}: throughput 2 threads / 1 thread`, 'x');
    }
    recorder.declare('plain pdf-lib Premium, sequential: CPU per contract', 'ms');
    for (const threads of threadCounts) recorder.declare(`server Premium CPU per contract (${threadLabel(threads)}) / plain pdf-lib`, 'x');
    recorder.declare(otherLoadMetric, 'cores');

    const notes: string[] = [];
    const serverPremiumCpu = new Map<number, number[]>();
    const rates = new Map<string, number[]>();
    let noProc = false;
    for (const threads of threadCounts) {
      const server = await startBenchServer({ env: { ...process.env, WORKER_THREADS: String(threads) } });
      try {
        const client = createGraphQLClient(`${server.url}/graphql`);
        const groups = new Map<TemplateKey, { full: string; warmUp: string }>();
        for (const template of templates) {
          groups.set(template.key, {
            full: await createGroup(client, `Cost ${template.key}`, template, settings.clients),
            warmUp: await createGroup(client, `Warm-up ${template.key}`, template, settings.warmUpClients),
          });
        }
        // Warm-up: JIT in the main thread and in every render thread, for both templates.
        for (const template of templates) await runContractCreator(client, groups.get(template.key)!.warmUp, 60_000);

        for (let run = 0; run < runs; run++) {
          const meter = await beginRun(quick, () => [server.pid]);
          // Alternating which template goes first: neither always inherits the other's heap.
          const order = run % 2 === 0 ? templates : [...templates].reverse();
          for (const template of order) {
            const at = `${template.key}, ${threadLabel(threads)}`;
            const before = await cpuThreads(server);
            const execution = await runContractCreator(client, groups.get(template.key)!.full, quick ? 120_000 : 300_000);
            const after = await cpuThreads(server);
            if (execution.contractsCreated !== settings.clients) {
              throw new Error(`ContractCreator created ${execution.contractsCreated} of ${settings.clients} ${template.key} contracts`);
            }
            const rate = (settings.clients / execution.runningMs) * 1000;
            recorder.record(`${at}: throughput`, rate);
            rates.set(`${template.key} ${threads} ${run}`, [rate]);
            if (!before.times || !after.times) {
              noProc = true;
              continue;
            }
            const roles = {
              mainTid: after.mainTid,
              renderTids: [...new Set([...before.renderTids, ...after.renderTids])],
              libuvTids: [...new Set([...before.libuvTids, ...after.libuvTids])],
              platformTids: after.platformTids,
            };
            const cpu = cpuByGroup(before.times, after.times, roles);
            const perContract = cpu.total / settings.clients;
            recorder.record(`${at}: CPU per contract, all threads`, perContract);
            for (const { label, groups: members } of shownGroups) {
              recorder.record(`${at}: … ${label}`, members.reduce((sum, group) => sum + cpu[group], 0) / settings.clients);
            }
            if (template.key === 'Premium') serverPremiumCpu.set(threads, [...(serverPremiumCpu.get(threads) ?? []), perContract]);
            if (process.env.BENCH_THREAD_LOG) logThreads(at, before, after);
          }
          recorder.record(otherLoadMetric, meter.stop());
        }
      } finally {
        await server.stop();
      }
    }
    for (const { key } of templates) {
      for (let run = 0; run < runs; run++) {
        const one = rates.get(`${key} 1 ${run}`)?.[0];
        const two = rates.get(`${key} 2 ${run}`)?.[0];
        if (one && two) recorder.record(`${key}: throughput 2 threads / 1 thread`, two / one);
      }
    }

    // The reference, with no server running: plain pdf-lib in this process, one contract after another.
    const date = new Date().toISOString().slice(0, 10);
    const parties = madeUpClients(settings.plainContracts, 'Plain client');
    for (const party of parties.slice(0, settings.plainWarmUp)) await renderPlainContract(premium.template, party, date);
    for (let run = 0; run < runs; run++) {
      forceGc();
      const deadline = createDeadline(300_000, 'the plain pdf-lib reference');
      const started = process.cpuUsage();
      for (const party of parties) {
        await renderPlainContract(premium.template, party, date);
        deadline.check();
      }
      const used = process.cpuUsage(started);
      const plain = (used.user + used.system) / 1000 / parties.length;
      recorder.record('plain pdf-lib Premium, sequential: CPU per contract', plain);
      for (const threads of threadCounts) {
        const server = serverPremiumCpu.get(threads)?.[run];
        if (server !== undefined) recorder.record(`server Premium CPU per contract (${threadLabel(threads)}) / plain pdf-lib`, server / plain);
      }
    }

    if (noProc) notes.push('/proc/<pid>/task is missing here: no per-thread CPU, only throughput and the plain reference.');
    notes.push(
      `CPU per contract: utime+stime of every thread of the server process (/proc/<pid>/task/*/stat, 10 ms ticks; threads that exited meanwhile through the process total), from just before startTask to the moment a TaskStatus poll (every ${settings.statusPollMs} ms) saw COMPLETED, divided by the ${settings.clients} contracts; the polls and the startTask request are included. Node 20 names every thread "node", so the groups come from behaviour: main = tid == pid; render workers = the pool threads, which report their tid (thread-probe-worker.ts); libuv = the threads that ran a pbkdf2 probe; V8 platform = the --v8-pool-size + 1 lowest tids after the main thread's (Node's delayed-task thread and V8's 4 worker threads, which run GC and compile tasks for every isolate, workers' included); other = libuv and the remaining threads (signal watcher, tsx loader thread). BENCH_THREAD_LOG=1 prints every thread's share to check the grouping.`,
      `Throughput: contracts / (finishedAt - startedAt) of the execution, by the server's clock. 2 threads / 1 thread pairs the n-th runs of the two servers. Each server process is started once (WORKER_THREADS=1, then 2), warmed up with a ${settings.warmUpClients}-client run per template, and keeps the embedded store (every run's PDFs stay in memory).`,
      `Plain pdf-lib: ${settings.plainContracts} Premium contracts per run rendered one after another in the bench process (PDFDocument.create, registerFontkit, embedFont DejaVu Sans and Sans Bold with { subset: true }, one drawText per line wrapped by widthOfTextAtSize per word, save() with defaults), CPU from process.cpuUsage() of the whole process.`,
    );
    return { name: this.name, title: this.title, runs, metrics: recorder.metrics(), settings, notes };
  },
};

/** A contract group of `clients` made-up clients, over GraphQL (at most 1000 clients per addClients). */
async function createGroup(client: GraphQLClient, name: string, template: { title: string; body: string }, clients: number): Promise<string> {
  const created = await client.request(CreateContractGroupDocument, { name, title: template.title, body: template.body });
  if (created.createContractGroup.__typename !== 'ContractGroup') throw new Error(JSON.stringify(created.createContractGroup));
  const groupId = created.createContractGroup.id;
  const all = madeUpClients(clients, `${name} client`);
  for (let i = 0; i < all.length; i += 1000) {
    const added = await client.request(AddClientsDocument, { groupId, clients: all.slice(i, i + 1000) });
    if (added.addClients.__typename !== 'ContractGroup') throw new Error(JSON.stringify(added.addClients));
  }
  return groupId;
}

function cpuThreads(server: BenchServerProcess): Promise<ThreadCpuFigures> {
  return server.request({ type: 'cpu-threads' }, 'cpu-threads', 30_000);
}

/** Starts ContractCreator on `groupId` and polls its status until it has finished; it must complete. */
async function runContractCreator(client: GraphQLClient, groupId: string, timeoutMs: number) {
  const { startTask } = await client.request(StartTaskDocument, { task: 'ContractCreator', input: { groupId } });
  if (startTask.__typename !== 'TaskQueued') throw new Error(`startTask answered ${JSON.stringify(startTask)}`);
  const executionId = startTask.execution.id;
  const deadline = createDeadline(timeoutMs, 'the ContractCreator execution');
  for (;;) {
    await sleep(100);
    const { taskStatus } = await within(client.request(TaskStatusDocument, { executionId }), 30_000, 'one TaskStatus query');
    if (!taskStatus) throw new Error(`execution ${executionId} is gone`);
    if (taskStatus.status !== 'QUEUED' && taskStatus.status !== 'RUNNING') {
      if (taskStatus.status !== 'COMPLETED') throw new Error(`ContractCreator ended ${taskStatus.status}: ${JSON.stringify(taskStatus.error)}`);
      const result = taskStatus.result as { contractsCreated?: number } | null;
      return {
        contractsCreated: result?.contractsCreated ?? Number.NaN,
        runningMs: Date.parse(taskStatus.finishedAt!) - Date.parse(taskStatus.startedAt!),
      };
    }
    deadline.check();
  }
}

/** BENCH_THREAD_LOG=1: every thread's CPU in the window, with its role, to check the grouping. */
function logThreads(at: string, before: ThreadCpuFigures, after: ThreadCpuFigures): void {
  const earlier = new Map(before.times!.threads.map((t) => [t.tid, t.cpuMs]));
  const role = (tid: number) =>
    tid === after.mainTid ? 'main' : after.renderTids.includes(tid) ? 'render' : after.libuvTids.includes(tid) ? 'libuv' : after.platformTids.includes(tid) ? 'V8' : '?';
  const mainStart = after.times!.threads.find((t) => t.tid === after.mainTid)?.startTicks ?? 0;
  const rows = after.times!.threads.map((t) => `${t.tid} ${role(t.tid)} start+${t.startTicks - mainStart} ${(t.cpuMs - (earlier.get(t.tid) ?? 0)).toFixed(0)}ms`);
  console.error(`${at}: process ${(after.times!.processCpuMs - before.times!.processCpuMs).toFixed(0)} ms; ${rows.join(', ')}`);
}
