/**
 * Scenario 4, feedback delivery: the time from `ctx.feedback(...)` inside a flow to the event's
 * arrival at graphql-ws clients subscribed to taskFeedback, with one subscriber and with 1,000
 * subscribers (one WebSocket each) on one execution. Every subscriber must receive every event.
 *
 * Client and server share this process, so one clock times both ends exactly; the clients' own
 * work (parsing frames) is therefore inside the figures, which makes them an upper bound.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import type { TaskContext } from '../../../src/engine/task-context.js';
import { StartTaskDocument, TaskFeedbackDocument } from '../../generated/graphql.js';
import { createRemote } from '../../support/remote-task.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { benchConfig } from '../bench-config.js';
import { createDeadline, within } from '../deadline.js';
import { beginRun, otherLoadMetric, runQueueWaitNs } from '../machine.js';
import { forceGc } from '../force-gc.js';
import { createRecorder, type Scenario } from '../report.js';
import { percentiles } from '../stats.js';

const feedbackQuery = print(TaskFeedbackDocument);

export const feedbackDeliveryScenario: Scenario = {
  name: 'feedback',
  title: '4. Feedback delivery (ctx.feedback → graphql-ws client)',
  async run({ quick, runs }) {
    const settings = {
      eventsOneSubscriber: quick ? 200 : 1_000,
      manySubscribers: quick ? 200 : 1_000,
      eventsManySubscribers: quick ? 20 : 100,
      mode: 'append, with progress (as ContractCreator sends it)',
    };
    const remote = createRemote();
    const server = await startTestApp(benchConfig(), { extraTasks: () => [remote.task({ limits: { maxConcurrentExecutions: 10 } })] });
    const recorder = createRecorder();
    recorder.declare('1 subscriber: p50', 'ms', { op: '<=', value: 0.5 });
    recorder.declare('1 subscriber: p99', 'ms', { op: '<=', value: 2 });
    recorder.declare('1 subscriber: events a GC pause delayed', '%');
    recorder.declare('1 subscriber: events that waited ≥0.2 ms for a core', '%');
    recorder.declare('1 subscriber: p99 of events neither delayed', 'ms');
    recorder.declare(`${settings.manySubscribers} subscribers: p50 of each delivery`, 'ms');
    recorder.declare(`${settings.manySubscribers} subscribers: p99 of each delivery`, 'ms');
    recorder.declare(`${settings.manySubscribers} subscribers: p50 until the last has it`, 'ms');
    recorder.declare(`${settings.manySubscribers} subscribers: p99 until the last has it`, 'ms');
    recorder.declare(otherLoadMetric, 'cores');
    const notes: string[] = [];
    try {
      await deliveryRun(server, remote, 1, 200); // warm-up
      for (let run = 0; run < runs; run++) {
        const meter = await beginRun(quick);
        forceGc();
        const one = await deliveryRun(server, remote, 1, settings.eventsOneSubscriber);
        recorder.record('1 subscriber: p50', one.each.p50);
        recorder.record('1 subscriber: p99', one.each.p99);
        recorder.record('1 subscriber: events a GC pause delayed', one.gcShare * 100);
        recorder.record('1 subscriber: events that waited ≥0.2 ms for a core', one.waitedShare * 100);
        recorder.record('1 subscriber: p99 of events neither delayed', one.undisturbed.p99);
        forceGc();
        const many = await deliveryRun(server, remote, settings.manySubscribers, settings.eventsManySubscribers);
        recorder.record(`${settings.manySubscribers} subscribers: p50 of each delivery`, many.each.p50);
        recorder.record(`${settings.manySubscribers} subscribers: p99 of each delivery`, many.each.p99);
        recorder.record(`${settings.manySubscribers} subscribers: p50 until the last has it`, many.last.p50);
        recorder.record(`${settings.manySubscribers} subscribers: p99 until the last has it`, many.last.p99);
        recorder.record(otherLoadMetric, meter.stop());
      }
      notes.push(
        `Every subscriber received every event, in sequence order, in every run (checked). Client and server share one process: the clients' parsing is inside the figures.`,
        'The GC and core-wait rows split the one-subscriber tail: an event counts as delayed by GC when a pause of this process overlapped it, and as waiting for a core when this thread was runnable but not running for 0.2 ms or more of it (Linux schedstat: other threads or processes had the cores).',
      );
    } finally {
      await server.close();
    }
    return { name: this.name, title: this.title, runs, metrics: recorder.metrics(), settings, notes };
  },
};

interface Subscriber {
  client: Client;
  /** Arrival time by feedback message. */
  arrivals: Map<string, number>;
  sequences: number[];
  completed: Promise<void>;
}

/**
 * Starts an execution of the remote task, subscribes `subscriberCount` clients, then sends
 * `events` feedback messages one at a time, each once every subscriber has the previous one.
 */
async function deliveryRun(server: TestApp, remote: ReturnType<typeof createRemote>, subscriberCount: number, events: number) {
  const { startTask } = await server.request(StartTaskDocument, { task: 'Remote', input: {} });
  if (startTask.__typename !== 'TaskQueued') throw new Error(`startTask answered ${startTask.__typename}`);
  const executionId = startTask.execution.id;
  const ctx = await within(remote.context(executionId), 10_000, 'the remote flow to start');

  const subscribers: Subscriber[] = [];
  let waitingFor: { message: string; remaining: number; resolve: () => void } | null = null;
  try {
    // Connect in small groups: a thousand simultaneous handshakes only measure the accept queue.
    for (let i = 0; i < subscriberCount; i += 50) {
      const group = Array.from({ length: Math.min(50, subscriberCount - i) }, () => subscribe(server, executionId, (message) => {
        if (waitingFor && message === waitingFor.message && --waitingFor.remaining === 0) waitingFor.resolve();
      }));
      subscribers.push(...group);
      // Without afterSequence the first event is the current state: its arrival proves the subscription listens.
      await within(
        Promise.all(group.map((subscriber) => waitForFirst(subscriber))),
        30_000,
        'the subscriptions to deliver their first event',
      );
    }

    const each: number[] = [];
    const last: number[] = [];
    /** Per event: when it was sent and when the last subscriber had it, to match against GC pauses. */
    const spans: Array<{ from: number; to: number; latency: number; waitedMs: number }> = [];
    const gcPauses: Array<{ from: number; to: number }> = [];
    const gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcPauses.push({ from: entry.startTime, to: entry.startTime + entry.duration });
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const deadline = createDeadline(120_000, `${events} feedback events to ${subscriberCount} subscribers`);
    for (let i = 1; i <= events; i++) {
      const message = `Bench feedback ${i} of ${events}`;
      const delivered = new Promise<void>((resolve) => (waitingFor = { message, remaining: subscriberCount, resolve }));
      const waitBefore = runQueueWaitNs();
      const sentAt = performance.now();
      await sendFeedback(ctx, message, i / events);
      await within(delivered, deadline.remainingMs(), `feedback ${i} to reach every subscriber`);
      const waitAfter = runQueueWaitNs();
      let latest = 0;
      for (const subscriber of subscribers) {
        const at = subscriber.arrivals.get(message)! - sentAt;
        each.push(at);
        latest = Math.max(latest, at);
      }
      last.push(latest);
      const waitedMs = waitBefore !== null && waitAfter !== null ? (waitAfter - waitBefore) / 1e6 : 0;
      spans.push({ from: sentAt, to: sentAt + latest, latency: latest, waitedMs });
    }
    // Delivered asynchronously: let the observer receive the last entries before reading them.
    await new Promise((resolve) => setTimeout(resolve, 50));
    gcObserver.disconnect();
    const delayedByGc = spans.filter((span) => gcPauses.some((gc) => gc.from < span.to && gc.to > span.from));
    const waited = spans.filter((span) => span.waitedMs >= 0.2);
    const undisturbed = spans.filter((span) => !delayedByGc.includes(span) && !waited.includes(span)).map((span) => span.latency);

    remote.finish(executionId, { ok: true });
    await within(Promise.all(subscribers.map((subscriber) => subscriber.completed)), 60_000, 'every stream to complete');
    for (const subscriber of subscribers) checkSequence(subscriber.sequences);
    return {
      each: percentiles(each, [50, 99]),
      last: percentiles(last, [50, 99]),
      gcShare: delayedByGc.length / spans.length,
      waitedShare: waited.length / spans.length,
      undisturbed: percentiles(undisturbed, [50, 99]),
    };
  } finally {
    remote.finish(executionId, { ok: true });
    await Promise.all(subscribers.map((subscriber) => subscriber.client.dispose()));
  }
}

function sendFeedback(ctx: TaskContext, message: string, progress: number): Promise<void> {
  return ctx.feedback(message, { mode: 'append', progress });
}

function subscribe(server: TestApp, executionId: string, onMessage: (message: string) => void): Subscriber {
  const client = server.wsClient();
  const arrivals = new Map<string, number>();
  const sequences: number[] = [];
  const completed = new Promise<void>((resolve, reject) => {
    client.subscribe(
      { query: feedbackQuery, variables: { executionId } },
      {
        next: (result) => {
          const at = performance.now();
          const event = (result.data as { taskFeedback?: { sequence: number; message: string | null } } | undefined)?.taskFeedback;
          if (!event) return reject(new Error(`taskFeedback sent ${JSON.stringify(result.errors ?? result)}`));
          sequences.push(event.sequence);
          if (event.message !== null) {
            arrivals.set(event.message, at);
            onMessage(event.message);
          }
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(),
      },
    );
  });
  completed.catch(() => {});
  return { client, arrivals, sequences, completed };
}

async function waitForFirst(subscriber: Subscriber): Promise<void> {
  const deadline = createDeadline(30_000, 'a first event');
  while (subscriber.sequences.length === 0) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    deadline.check();
  }
}

/** In order, without gaps or repeats (the first event may be any: it is the latest so far). */
function checkSequence(sequences: number[]): void {
  for (let i = 1; i < sequences.length; i++) {
    if (sequences[i] !== sequences[i - 1]! + 1) throw new Error(`a subscriber saw sequence ${sequences[i - 1]} then ${sequences[i]}`);
  }
}
