import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineObserver } from '../engine/engine-observer.js';
import type { ExecutionEvents } from '../engine/events.js';
import { isTerminal } from '../engine/execution.js';
import type { WorkerPool } from '../engine/worker-pool.js';
import type { Store } from '../store/store.js';

/** Seconds; executions take from milliseconds to hours. */
const durationBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200];

/**
 * The label of a task name a caller sent: a task registered here, or `(unknown)`. A TaskNotFound
 * carries whatever name the caller made up, and each label value is a series kept forever.
 */
const unknownTask = '(unknown)';

/**
 * The server's Prometheus metrics, in a registry of this app's own (several apps may share a
 * process, as tests do). Counters and histograms count what this instance did (Prometheus sums a
 * cluster); the execution gauges are the store's counts, the same on every instance.
 */
export function createMetrics(deps: {
  /** The tasks registered on this server; read at each scrape. */
  taskNames: () => ReadonlyArray<string>;
  executions: Pick<Store['executions'], 'counts'>;
  pool: Pick<WorkerPool, 'stats'>;
  events: Pick<ExecutionEvents, 'listenerCounts'>;
  /** WebSocket taskFeedback subscribers that share one listener per group (graphql/feedback-fan-out.ts). */
  sharedFeedback: () => { groups: number; members: number };
  logger: Logger;
}) {
  const registry = new Registry();
  // process_*, nodejs_*: CPU, memory, heap spaces, GC, handles, and event-loop delay
  // (nodejs_eventloop_lag_seconds, and the p50/p90/p99 of a monitorEventLoopDelay histogram).
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const taskLabel = (task: string) => (deps.taskNames().includes(task) ? task : unknownTask);

  const started = new Counter({
    name: 'async_task_executions_started_total',
    help: 'Starts accepted here (startTask, retryExecution, schedule ticks) that stored a new execution.',
    labelNames: ['task'],
    registers,
  });
  const refused = new Counter({
    name: 'async_task_starts_refused_total',
    // The reason is the answer's kind, whatever kinds the engine has: QueueFull, CallerQueueFull, TooManyScheduled, …
    help: 'Starts refused here, by the kind of the answer (QueueFull, TaskNotFound, ...).',
    labelNames: ['task', 'reason'],
    registers,
  });
  const finished = new Counter({
    name: 'async_task_executions_finished_total',
    help: 'Executions whose terminal status was written here.',
    labelNames: ['task', 'status'],
    registers,
  });
  const runSeconds = new Histogram({
    name: 'async_task_execution_run_duration_seconds',
    help: 'How long the last attempt ran (startedAt to finishedAt) of executions finished here from RUNNING.',
    labelNames: ['task', 'status'],
    buckets: durationBuckets,
    registers,
  });
  const waitSeconds = new Histogram({
    name: 'async_task_execution_wait_duration_seconds',
    help: 'How long an execution claimed here waited since it last joined the queue (queuedAt, or its due runAt, to startedAt).',
    labelNames: ['task'],
    buckets: durationBuckets,
    registers,
  });
  const feedback = new Counter({
    name: 'async_task_feedback_events_total',
    help: 'Feedback events (ctx.feedback) written here.',
    labelNames: ['task'],
    registers,
  });

  new Gauge({
    name: 'async_task_executions',
    help: 'Executions now SCHEDULED, QUEUED or RUNNING, from the store: every instance counts the same ones (aggregate with max, not sum).',
    labelNames: ['task', 'status'],
    registers,
    async collect() {
      // One counts call per registered task, all at once: a scrape takes one store round trip.
      const tasks = deps.taskNames();
      const counts = await Promise.all(tasks.map((task) => deps.executions.counts(task))).catch((error: unknown) => {
        // The rest of the scrape is still worth having while the store is unreachable.
        deps.logger.warn({ err: error }, 'metrics: the store did not answer counts; async_task_executions left out of this scrape');
        return null;
      });
      // Cleared after the wait, not before it: a scrape running alongside must not see it half set.
      this.reset();
      counts?.forEach((count, index) => {
        const task = tasks[index]!;
        this.set({ task, status: 'SCHEDULED' }, count.scheduled);
        this.set({ task, status: 'QUEUED' }, count.queued);
        this.set({ task, status: 'RUNNING' }, count.running);
      });
    },
  });
  new Gauge({
    name: 'async_task_live_subscribers',
    help: 'Live streams open on this instance: taskFeedback streams (kind="feedback") and tracker feeds (kind="tracker").',
    labelNames: ['kind'],
    registers,
    collect() {
      const { executions, updates } = deps.events.listenerCounts();
      // A group's one listener stands for all its subscribers: count them instead.
      const shared = deps.sharedFeedback();
      this.set({ kind: 'feedback' }, executions - shared.groups + shared.members);
      this.set({ kind: 'tracker' }, updates);
    },
  });
  for (const [name, help, read] of [
    ['async_task_worker_pool_utilization', "Share of the worker threads' capacity spent running jobs since the pool started (Piscina), 0..1.", 'utilization'],
    ['async_task_worker_pool_threads', 'Live worker threads.', 'threads'],
    ['async_task_worker_pool_queue_size', 'Worker jobs waiting for a free thread.', 'queueSize'],
  ] as const) {
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(deps.pool.stats()[read]);
      },
    });
  }

  // Every execution goes through these several times: their children are made once per label values.
  const startedOf = childrenOf((task: string) => started.labels(task));
  const feedbackOf = childrenOf((task: string) => feedback.labels(task));
  const waitOf = childrenOf((task: string) => waitSeconds.labels(task));
  const finishedOf = childrenOf((task: string, status: string) => finished.labels(task, status));
  const runOf = childrenOf((task: string, status: string) => runSeconds.labels(task, status));

  const observer: EngineObserver = {
    startAnswered(task, outcome) {
      if (outcome.kind !== 'TaskQueued') refused.inc({ task: taskLabel(task), reason: outcome.kind });
      else if (!outcome.deduplicated) startedOf(task).inc();
    },
    changeWritten({ execution }, facts) {
      if (facts === null) return void feedbackOf(execution.task).inc();
      if (facts.waitMs !== undefined) waitOf(execution.task).observe(facts.waitMs / 1_000);
      if (!isTerminal(execution.status)) return;
      finishedOf(execution.task, execution.status).inc();
      if (facts.runMs !== undefined) runOf(execution.task, execution.status).observe(facts.runMs / 1_000);
    },
  };

  return {
    observer,
    contentType: registry.contentType,
    /** The text exposition of every metric, collected now. */
    render: () => registry.metrics(),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * A metric's children by label values, each made once: `inc({ task })` turns its labels into a
 * hash key on every call, which is a measurable share of a no-op execution's cost.
 */
function childrenOf<Values extends string[], Child>(make: (...values: Values) => Child): (...values: Values) => Child {
  const made = new Map<string, Child>();
  return (...values) => {
    const key = values.join('\u0000');
    let child = made.get(key);
    if (child === undefined) made.set(key, (child = make(...values)));
    return child;
  };
}
