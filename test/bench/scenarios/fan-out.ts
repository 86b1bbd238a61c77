/**
 * Scenario 14, fan-out (issue 14): many graphql-ws subscribers, one WebSocket each, on one
 * execution of one instance. Per event, the time from `ctx.feedback(...)` in the flow to the moment
 * the last subscriber has it; the server's resident memory per idle subscribed socket; how long the
 * sockets take to connect and subscribe. The server runs in its own process (bench-server.ts) and
 * the clients in several others (fan-out-clients.ts), all on loopback: the server's event loop
 * is not the clients', and no process holds more than a few thousand socket ends.
 *
 * Times cross processes as performance.timeOrigin + performance.now() (one system clock). The
 * clients share the machine's cores with the server, so their own work is inside the figures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StartTaskDocument } from '../../generated/graphql.js';
import { startBenchServer, type BenchServerProcess } from '../bench-server-process.js';
import { within } from '../deadline.js';
import type { ClientsCommand, ClientsMessage } from '../fan-out-clients.js';
import { createGraphQLClient } from '../graphql-client.js';
import { beginRun, otherLoadMetric } from '../machine.js';
import { remoteTaskName } from '../probe-tasks.js';
import { createRecorder, type Scenario } from '../report.js';
import { percentiles } from '../stats.js';
import { readUserSystemTimes } from '../thread-cpu.js';

const kib = 1024;
/** Client sockets per load process. */
const socketsPerProcess = 2_500;

export const fanOutScenario: Scenario = {
  name: 'fanout',
  title: '14. Fan-out (graphql-ws subscribers to one execution, clients in other processes)',
  async run({ quick, runs }) {
    const settings = {
      subscribers: quick ? [2_000] : [1_000, 10_000],
      events: quick ? 20 : 50,
      socketsPerProcess,
      /** Handshakes in flight per load process. */
      connectConcurrency: 32,
      warmUpSubscribers: 200,
      selection: 'TaskFeedback (test/operations/tasks.graphql): the event and its execution { id status progress }',
    };
    const largest = Math.max(...settings.subscribers);
    checkFileLimit(largest);
    const recorder = createRecorder();
    for (const count of settings.subscribers) {
      const targeted = count === largest;
      recorder.declare(`${count} subscribers: p50 until the last has it`, 'ms');
      recorder.declare(`${count} subscribers: p99 until the last has it`, 'ms', targeted ? { op: '<=', value: 250 } : undefined);
      recorder.declare(`${count} subscribers: resident memory per idle subscriber`, 'KiB', targeted ? { op: '<=', value: 20 } : undefined);
      recorder.declare(`${count} subscribers: JS heap per idle subscriber`, 'KiB');
      recorder.declare(`${count} subscribers: connect and subscribe, all`, 's');
      recorder.declare(`${count} subscribers: server main thread CPU per event, in the kernel`, 'ms');
      recorder.declare(`${count} subscribers: server main thread CPU per event, the rest`, 'ms');
    }
    recorder.declare(otherLoadMetric, 'cores');

    for (let run = 0; run < runs; run++) {
      for (const count of settings.subscribers) {
        // A fresh server per measurement: resident memory never shrinks back within a process.
        const server = await startBenchServer();
        let clientPids: number[] = [];
        try {
          const meter = await beginRun(quick, () => [server.pid, ...clientPids]);
          await fanOutRound(server, settings.warmUpSubscribers, 5, settings);
          const figures = await fanOutRound(server, count, settings.events, settings, (pids) => (clientPids = pids));
          recorder.record(`${count} subscribers: p50 until the last has it`, figures.last.p50);
          recorder.record(`${count} subscribers: p99 until the last has it`, figures.last.p99);
          recorder.record(`${count} subscribers: resident memory per idle subscriber`, figures.rssPerSubscriber / kib);
          recorder.record(`${count} subscribers: JS heap per idle subscriber`, figures.heapPerSubscriber / kib);
          recorder.record(`${count} subscribers: connect and subscribe, all`, figures.connectSeconds);
          if (figures.mainThreadPerEvent) {
            recorder.record(`${count} subscribers: server main thread CPU per event, in the kernel`, figures.mainThreadPerEvent.systemMs);
            recorder.record(`${count} subscribers: server main thread CPU per event, the rest`, figures.mainThreadPerEvent.userMs);
          }
          recorder.record(otherLoadMetric, meter.stop());
        } finally {
          await server.stop();
        }
      }
    }
    return {
      name: this.name,
      title: this.title,
      runs,
      metrics: recorder.metrics(),
      settings,
      notes: [
        'Every subscriber received every event, in sequence order without gaps or repeats, and then complete, in every run (checked).',
        `Memory per idle subscriber: (server RSS, or JS heap, with every socket open and subscribed − before they connected) / subscribers, each after a full GC in the server; clients in ${Math.ceil(largest / socketsPerProcess)} load processes at most (${socketsPerProcess} sockets each).`,
        'Events are sent one at a time, each once every subscriber has the previous one.',
        "Server main thread CPU per event: user and system time of the server's main thread (/proc) over the events, divided by their number; in the kernel is mostly one write system call per socket.",
      ],
    };
  },
};

/**
 * One execution, `count` subscribers over fresh load processes, `events` feedback events one at a
 * time; then the flow returns and every stream must complete with the full sequence.
 */
async function fanOutRound(
  server: BenchServerProcess,
  count: number,
  events: number,
  settings: { socketsPerProcess: number; connectConcurrency: number },
  onClients: (pids: number[]) => void = () => {},
) {
  const client = createGraphQLClient(`${server.url}/graphql`);
  const { startTask } = await client.request(StartTaskDocument, { task: remoteTaskName, input: {} });
  if (startTask.__typename !== 'TaskQueued') throw new Error(`startTask answered ${startTask.__typename}`);
  const executionId = startTask.execution.id;
  const before = await server.request({ type: 'memory' }, 'memory');

  const processes = Math.ceil(count / settings.socketsPerProcess);
  const loads = Array.from({ length: processes }, () => startLoadProcess());
  onClients(loads.map((load) => load.pid));
  try {
    const connected = await Promise.all(
      loads.map((load, i) => {
        const share = Math.floor(count / processes) + (i < count % processes ? 1 : 0);
        const answer = load.next('connected', 10 * 60_000);
        load.send({ type: 'connect', url: `${server.url.replace(/^http/, 'ws')}/graphql`, executionId, count: share, concurrency: settings.connectConcurrency });
        return answer;
      }),
    );
    const firstSequence = connected[0]!.firstSequence;
    if (connected.some((answer) => answer.firstSequence !== firstSequence)) throw new Error('the load processes saw different first events');
    const after = await server.request({ type: 'memory' }, 'memory');

    const last: number[] = [];
    const cpuBefore = readUserSystemTimes(server.pid, server.pid);
    for (let i = 1; i <= events; i++) {
      const sequence = firstSequence + i;
      const received = Promise.all(loads.map((load) => load.received(sequence)));
      const { emittedAt } = await server.request({ type: 'feedback', executionId, message: `Fan-out ${i} of ${events}`, progress: i / events }, 'fed');
      const lastAts = await within(received, 60_000, `event ${i} to reach all ${count} subscribers`);
      last.push(Math.max(...lastAts) - emittedAt);
    }
    const cpuAfter = readUserSystemTimes(server.pid, server.pid);
    const completed = Promise.all(loads.map((load) => load.next('completed', 60_000)));
    server.send({ type: 'finish', executionId });
    const incomplete = (await completed).reduce((sum, answer) => sum + answer.incomplete, 0);
    if (incomplete > 0) throw new Error(`${incomplete} of ${count} subscribers missed, repeated or failed an event`);
    return {
      last: percentiles(last, [50, 99]),
      rssPerSubscriber: (after.rss - before.rss) / count,
      heapPerSubscriber: (after.heapUsed - before.heapUsed) / count,
      connectSeconds: Math.max(...connected.map((answer) => answer.seconds)),
      // Mostly the sending: each socket's message is one write system call, a loopback one
      // delivering it to the client in the same call.
      mainThreadPerEvent:
        cpuBefore && cpuAfter
          ? { userMs: (cpuAfter.userMs - cpuBefore.userMs) / events, systemMs: (cpuAfter.systemMs - cpuBefore.systemMs) / events }
          : null,
    };
  } finally {
    server.send({ type: 'finish', executionId });
    await Promise.all(loads.map((load) => load.close()));
  }
}

interface LoadProcess {
  pid: number;
  send(command: ClientsCommand): void;
  next<T extends ClientsMessage['type']>(type: T, timeoutMs: number): Promise<Extract<ClientsMessage, { type: T }>>;
  /** The latest arrival of `sequence` at this process's clients, once all of them have it. */
  received(sequence: number): Promise<number>;
  close(): Promise<void>;
}

function startLoadProcess(): LoadProcess {
  const child: ChildProcess = fork(fileURLToPath(new URL('../fan-out-clients.ts', import.meta.url)), [], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<string, { resolve: (message: ClientsMessage) => void; reject: (error: Error) => void }>();
  /** 'received' reports that came before anyone waited for them. */
  const early = new Map<number, number>();
  const fail = (error: Error) => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  child.on('message', (message: ClientsMessage) => {
    if (message.type === 'error') return fail(new Error(`a load process: ${message.message}`));
    const key = message.type === 'received' ? `received:${message.sequence}` : message.type;
    const waiter = waiting.get(key);
    if (waiter) {
      waiting.delete(key);
      waiter.resolve(message);
    } else if (message.type === 'received') {
      early.set(message.sequence, message.lastAt);
    }
  });
  child.on('exit', (code) => fail(new Error(`a load process exited (code ${code})`)));
  const wait = (key: string, timeoutMs: number) =>
    within(new Promise<ClientsMessage>((resolve, reject) => waiting.set(key, { resolve, reject })), timeoutMs, `the load process's "${key}"`);
  return {
    pid: child.pid!,
    send: (command) => child.send(command),
    next: (type, timeoutMs) => wait(type, timeoutMs) as never,
    async received(sequence) {
      const at = early.get(sequence);
      if (at !== undefined) {
        early.delete(sequence);
        return at;
      }
      const message = (await wait(`received:${sequence}`, 120_000)) as Extract<ClientsMessage, { type: 'received' }>;
      return message.lastAt;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'close' } satisfies ClientsCommand);
      await within(exited, 30_000, 'a load process to exit').catch(() => child.kill('SIGKILL'));
    },
  };
}

/** The server holds one descriptor per socket: refuse to start a run the process limit would cut short. */
function checkFileLimit(sockets: number): void {
  let soft: number;
  try {
    const line = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    soft = !line || line[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(line[1]);
  } catch {
    return; // not Linux: the run itself will tell
  }
  const needed = sockets + 1_000;
  if (soft < needed) {
    throw new Error(`the open-file limit is ${soft}: ${sockets} subscribers need about ${needed} in the server process (raise it with ulimit -n ${needed})`);
  }
}
