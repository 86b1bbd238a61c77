/**
 * Issue 14, round trips per contract on MongoDB: every command the server's MongoDB driver
 * sends, counted by the driver's own command monitoring (`commandStarted`), for a Premium
 * ContractCreator run, and per execution of a no-op and of a small feedback task. A count, not
 * a time: it does not depend on the machine. MongoDB is the project's wire-protocol test server
 * (test/support/mongo-wire-server.ts, strict: every query must be served by an index), or the
 * real server MONGODB_TEST_URL names.
 *
 * The app and the driver are the real ones, in this process: the store is opened here with
 * `monitorCommands=true` in its connection string and handed to the app, and the count listens
 * on that store's own MongoClient (`store.database.client`), so nothing in src/ is changed for it.
 */
import type { CommandStartedEvent } from 'mongodb';
import { demoContractGroups } from '../../../src/contracts/demo-data.js';
import { loadContractSettings } from '../../../src/contracts/contract-settings.js';
import type { Execution } from '../../../src/engine/execution.js';
import { connectMongoStore } from '../../../src/store/mongo-store.js';
import { StartTaskDocument } from '../../generated/graphql.js';
import { createGroup, madeUpClients } from '../../support/contract-fixtures.js';
import { startMongoForTests } from '../../support/mongo-test-db.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { benchConfig } from '../bench-config.js';
import { sleep, within } from '../deadline.js';
import { feedbackTask, feedbackTaskName, noopTask, noopTaskName } from '../probe-tasks.js';
import { createRecorder, type Scenario } from '../report.js';

const premium = demoContractGroups.find((group) => group.id === 'premium')!;
const terminal = new Set<string>(['COMPLETED', 'FAILED', 'STOPPED', 'TIMED_OUT']);

/** Commands by "commandName collection", e.g. "insert contracts", "getMore fs.chunks". */
type Counts = Map<string, number>;

export const roundTripsScenario: Scenario = {
  name: 'round-trips',
  title: '14. MongoDB round trips per contract and per execution (driver command monitoring)',
  async run({ quick, runs }) {
    const settings = {
      clients: quick ? 200 : 1_000,
      probeExecutions: quick ? 50 : 200,
      feedbackMessages: 5,
      settleMs: 300,
      batchSize: loadContractSettings(process.env).batchSize,
      workerThreads: benchConfig().workerThreads,
      template: 'Premium (demo data)',
    };
    const mongo = await startMongoForTests();
    const url = new URL(mongo.databaseUrl('bench-round-trips'));
    url.searchParams.set('monitorCommands', 'true');
    const store = await connectMongoStore({ url: url.toString() });
    const client = store.database?.client;
    if (!client) throw new Error('the MongoDB store has no database: cannot count its commands');
    const counter = createCommandCounter();
    client.on('commandStarted', counter.onCommand);

    let server: TestApp | undefined;
    const perRun: Array<{ contract: Counts; noop: Counts; feedback: Counts; idlePerMs: Counts; windows: Record<string, number> }> = [];
    const notes: string[] = [];
    try {
      server = await startTestApp(benchConfig(), {
        store,
        contracts: { demoData: false, batchSize: settings.batchSize },
        extraTasks: () => [noopTask(), feedbackTask()],
      });
      const app = server;
      // Whether the listener is on the client the app uses: a command it sends must be seen.
      counter.start();
      await store.ping();
      if (counter.stop().size === 0) throw new Error('no commandStarted event for a ping: monitorCommands did not take effect on the store\'s MongoClient');

      const finished = watchFinished(app);
      const groupId = await createGroup(app, {
        name: 'Bench round trips',
        title: premium.template.title,
        body: premium.template.body,
        clients: madeUpClients(settings.clients, 'Trip client'),
      });
      const warmUpGroup = await createGroup(app, { name: 'Warm-up', title: premium.template.title, body: premium.template.body, clients: madeUpClients(20, 'Warm client') });
      await finished.wait([await start(app, 'ContractCreator', { groupId: warmUpGroup })], 120_000);
      await finished.wait(await startMany(app, noopTaskName, {}, 5), 60_000);

      for (let run = 0; run < runs; run++) {
        const window = async (work: () => Promise<void>) => {
          counter.start();
          const began = performance.now();
          await work();
          // Writes that follow the terminal status (a last event, a lease released) belong to the run.
          await sleep(settings.settleMs);
          return { counts: counter.stop(), ms: performance.now() - began };
        };
        const contract = await window(async () => {
          const id = await start(app, 'ContractCreator', { groupId });
          const [execution] = await finished.wait([id], quick ? 180_000 : 600_000);
          if (execution!.status !== 'COMPLETED') throw new Error(`ContractCreator ended ${execution!.status}`);
        });
        const noop = await window(async () => {
          await finished.wait(await startMany(app, noopTaskName, {}, settings.probeExecutions), 120_000);
        });
        const feedback = await window(async () => {
          await finished.wait(await startMany(app, feedbackTaskName, { messages: settings.feedbackMessages }, settings.probeExecutions), 120_000);
        });
        // The background (cluster-feed polling, sweeps) over a quiet window as long as the contract run's.
        const idle = await window(() => sleep(Math.max(1_000, contract.ms - settings.settleMs)));
        perRun.push({
          contract: contract.counts,
          noop: noop.counts,
          feedback: feedback.counts,
          idlePerMs: scale(idle.counts, 1 / idle.ms),
          windows: { contractMs: contract.ms, noopMs: noop.ms, feedbackMs: feedback.ms, idleMs: idle.ms },
        });
      }
      finished.close();
    } finally {
      client.off('commandStarted', counter.onCommand);
      await server?.close();
      await store.close();
      await mongo.stop();
    }

    // Net of the background: the idle rate times the window's length, per command and collection.
    const net = (counts: Counts, idlePerMs: Counts, ms: number) => subtract(counts, scale(idlePerMs, ms));
    const nets = perRun.map((r) => ({
      contract: net(r.contract, r.idlePerMs, r.windows.contractMs!),
      noop: net(r.noop, r.idlePerMs, r.windows.noopMs!),
      feedback: net(r.feedback, r.idlePerMs, r.windows.feedbackMs!),
      raw: total(r.contract),
      idleInWindow: total(r.idlePerMs) * r.windows.contractMs!,
    }));
    const recorder = createRecorder();
    recorder.declare('Premium contract: commands per contract', 'cmd', { op: '<=', value: 1.5 });
    recorder.declare('… counted in the run window, background included', 'cmd');
    recorder.declare('… background over a window as long (subtracted)', 'cmd');
    const contractKeys = sortedKeys(nets.map((n) => n.contract));
    for (const key of contractKeys) recorder.declare(`… ${key}`, 'cmd');
    recorder.declare('no-op execution: commands per execution', 'cmd');
    const noopKeys = sortedKeys(nets.map((n) => n.noop));
    for (const key of noopKeys) recorder.declare(`  no-op … ${key}`, 'cmd');
    recorder.declare(`feedback execution (${settings.feedbackMessages} messages): commands per execution`, 'cmd');
    recorder.declare('background while idle', 'cmd/s');
    for (const [index, n] of nets.entries()) {
      recorder.record('Premium contract: commands per contract', total(n.contract) / settings.clients);
      recorder.record('… counted in the run window, background included', n.raw / settings.clients);
      recorder.record('… background over a window as long (subtracted)', n.idleInWindow / settings.clients);
      for (const key of contractKeys) recorder.record(`… ${key}`, (n.contract.get(key) ?? 0) / settings.clients);
      recorder.record('no-op execution: commands per execution', total(n.noop) / settings.probeExecutions);
      for (const key of noopKeys) recorder.record(`  no-op … ${key}`, (n.noop.get(key) ?? 0) / settings.probeExecutions);
      recorder.record(`feedback execution (${settings.feedbackMessages} messages): commands per execution`, total(n.feedback) / settings.probeExecutions);
      recorder.record('background while idle', total(perRun[index]!.idlePerMs) * 1000);
    }
    const idleKeys = sortedKeys(perRun.map((r) => r.idlePerMs));
    notes.push(
      `Counted: every commandStarted event of the app's MongoClient (monitorCommands=true in the store's connection string), by command name and collection; heartbeats are not commands. Each workload's window runs from just before its startTask to ${settings.settleMs} ms after its last execution's terminal status (learnt in-process from the engine's update listener, which reads nothing from MongoDB); the background (what the server sends while idle: ${idleKeys.join(', ') || 'nothing'}) is measured over a quiet window as long as the contract run's and subtracted per command and collection at its rate. Setup (creating the group, adding clients) is outside every window.`,
      `${settings.clients} Premium contracts per ContractCreator run; ${settings.probeExecutions} ${noopTaskName} and ${settings.probeExecutions} ${feedbackTaskName} executions started one after another over GraphQL, then awaited together; MongoDB: ${mongo.kind}.`,
    );
    return { name: this.name, title: this.title, runs, metrics: recorder.metrics(), settings, notes };
  },
};

function createCommandCounter() {
  let counts: Counts | null = null;
  return {
    onCommand(event: CommandStartedEvent): void {
      if (!counts) return;
      const key = `${event.commandName} ${collectionOf(event)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    start(): void {
      counts = new Map();
    },
    stop(): Counts {
      const counted = counts ?? new Map();
      counts = null;
      return counted;
    },
  };
}

/** The collection a command is about: its first field's value for CRUD commands, `collection` for getMore. */
function collectionOf(event: CommandStartedEvent): string {
  const command = event.command as Record<string, unknown>;
  const named = event.commandName === 'getMore' ? command.collection : command[event.commandName];
  return typeof named === 'string' ? named : event.commandName === 'aggregate' ? '(database)' : '-';
}

async function start(app: TestApp, task: string, input: unknown): Promise<string> {
  const { startTask } = await within(app.request(StartTaskDocument, { task, input }), 30_000, 'startTask');
  if (startTask.__typename !== 'TaskQueued') throw new Error(`startTask ${task} answered ${JSON.stringify(startTask)}`);
  return startTask.execution.id;
}

async function startMany(app: TestApp, task: string, input: unknown, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await start(app, task, input));
  return ids;
}

/**
 * Terminal statuses as the engine publishes them, in this process: waiting on them sends no
 * command to MongoDB (polling the status would, and would be counted).
 */
function watchFinished(app: TestApp) {
  const listener = app.app.engine.listenToUpdates();
  const done = new Map<string, Execution>();
  const waiters = new Set<() => void>();
  let closed = false;
  const following = (async () => {
    while (!closed) {
      const taken = await listener.take();
      if (taken.kind === 'closed' || taken.kind === 'failed') return;
      if (taken.kind === 'overflow') throw new Error('the engine\'s update listener overflowed: statuses were lost');
      if (taken.kind === 'value' && terminal.has(taken.value.status)) done.set(taken.value.id, taken.value);
      for (const wake of waiters) wake();
    }
  })();
  let failure: unknown;
  following.catch((error: unknown) => {
    failure = error;
    for (const wake of waiters) wake();
  });
  return {
    async wait(ids: string[], timeoutMs: number): Promise<Execution[]> {
      const all = () => ids.every((id) => done.has(id));
      if (!all()) {
        let wake = () => {};
        const arrived = new Promise<void>((resolve) => {
          wake = () => {
            if (all() || failure) resolve();
          };
          waiters.add(wake);
        });
        try {
          await within(arrived, timeoutMs, `${ids.length} execution(s) to finish`);
        } finally {
          waiters.delete(wake);
        }
      }
      if (failure) throw failure;
      return ids.map((id) => done.get(id)!);
    },
    close(): void {
      closed = true;
      listener.close();
    },
  };
}

function total(counts: Counts): number {
  let sum = 0;
  for (const value of counts.values()) sum += value;
  return sum;
}

function scale(counts: Counts, factor: number): Counts {
  return new Map([...counts].map(([key, value]) => [key, value * factor]));
}

/** counts - background per key, in whole commands (the background is an estimate), never below zero. */
function subtract(counts: Counts, background: Counts): Counts {
  const out: Counts = new Map();
  for (const key of new Set([...counts.keys(), ...background.keys()])) {
    const value = Math.max(0, Math.round((counts.get(key) ?? 0) - (background.get(key) ?? 0)));
    if (value > 0) out.set(key, value);
  }
  return out;
}

/** Every key of any run, the largest counts first. */
function sortedKeys(all: Counts[]): string[] {
  const sums = new Map<string, number>();
  for (const counts of all) for (const [key, value] of counts) sums.set(key, (sums.get(key) ?? 0) + value);
  return [...sums].sort((a, b) => b[1] - a[1]).map(([key]) => key);
}
