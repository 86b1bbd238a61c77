import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { defaultFeedbackTextMaxBytes } from '../store/feedback-text.js';
import type { Admission, ExecutionChange, Store, TaskLimits } from '../store/store.js';
import { createClusterBridge } from './cluster-bridge.js';
import { definedOnly } from './defined-only.js';
import { createDispatcher } from './dispatcher.js';
import { createDueWork } from './due-work.js';
import { observeStarts, type EngineObserver } from './engine-observer.js';
import { TaskStoppedError } from './errors.js';
import type { ExecutionEvents } from './events.js';
import { isTerminal, type Execution } from './execution.js';
import { withExecutionPolicies } from './execution-policies.js';
import { openFeedbackStream } from './feedback-stream.js';
import { logStatusChange, statusChangeFacts } from './lifecycle-log.js';
import { recoverExpiredLeases } from './recovery.js';
import { createRetention } from './retention.js';
import { validateInput } from './input-validation.js';
import { retryPolicyOf, type RetryPolicy } from './retry-policy.js';
import { createSchedules, type TickOutcome } from './schedules.js';
import { checkStartOptions, type CheckedStartOptions, type StartOptions } from './start-options.js';
import { inputJsonSchema, type AnyTaskDefinition, type InputProblem } from './task-definition.js';
import { validateLimits } from './task-limits.js';
import type { WorkerPool } from './worker-pool.js';

export interface EngineDeps {
  store: Pick<Store, 'executions' | 'taskSettings' | 'schedules' | 'cluster'>;
  pool: WorkerPool;
  events: ExecutionEvents;
  logger: Logger;
  clock?: () => Date;
  /** Told of every start answered and every change written here (the server's metrics). */
  metrics?: EngineObserver;
}

export interface EngineOptions {
  /** Identifies this instance as the owner of what it runs; random by default. */
  ownerId?: string;
  /** How long a claim holds a running execution before another instance may recover it, in ms. */
  leaseMs: number;
  /** See DispatcherOptions.abortGraceMs; in ms. */
  abortGraceMs: number;
  /** Largest accepted task input, as JSON, in bytes. */
  maxInputBytes: number;
  /** Deepest accepted nesting of objects and arrays in a task input. */
  maxInputDepth: number;
  /** How often the background sweep recovers expired leases and dispatches waiting work, in ms. */
  sweepMs?: number;
  /** Runs an execution may get in all when its server dies (see recovery.ts). */
  maxAttempts?: number;
  /** See DispatcherOptions.handBackOnShutdown; defaults to false (fail them). */
  handBackOnShutdown?: boolean;
  /** See createClusterBridge: how long the cluster feed may fail before streams end, in ms. */
  clusterEventsLostMs?: number;
  /** How long an idempotency key names its first execution, in ms (IDEMPOTENCY_WINDOW_MS); default a day. */
  idempotencyWindowMs?: number;
  /** Most SCHEDULED executions per task (MAX_SCHEDULED_EXECUTIONS); default 10,000. */
  maxScheduledExecutions?: number;
  /** Most schedules in all (MAX_SCHEDULES); default 1,000. */
  maxSchedules?: number;
  /** How long finished executions are kept unless their task says otherwise (RETENTION_HOURS); default 168. */
  retentionHours?: number;
  /** How much feedback text an execution keeps (FEEDBACK_TEXT_MAX_BYTES); default 64 KiB. */
  feedbackTextMaxBytes?: number;
  /** Most waiting executions per caller of tasks that set no maxQueuedPerCaller (MAX_QUEUED_PER_CALLER); default none. */
  maxQueuedPerCaller?: number | null;
}

export interface TaskInfo {
  name: string;
  description: string;
  limits: TaskLimits;
  /** The task's input as JSON Schema (draft 2020-12), from its zod schema: what a client may send. */
  inputSchema: Record<string, unknown>;
  retry: Required<RetryPolicy>;
  /** The per-caller limit in force: the task's, else the server's; null when there is none. */
  maxQueuedPerCaller: number | null;
  /** Hours a finished execution is kept: the task's retention, else the server's. */
  retentionHours: number;
}

export type StartOutcome =
  /** `deduplicated`: an earlier start with the same idempotency key made it; nothing new was stored. */
  | { kind: 'TaskQueued'; execution: Execution; deduplicated: boolean }
  | { kind: 'QueueFull'; task: string; maxQueueLength: number }
  | { kind: 'CallerQueueFull'; task: string; maxQueuedPerCaller: number; caller: string | null }
  | { kind: 'TooManyScheduled'; task: string; maxScheduledExecutions: number }
  | { kind: 'TaskNotFound'; task: string }
  | { kind: 'InvalidTaskInput'; task: string; problems: InputProblem[] }
  | { kind: 'ServerShuttingDown' };

export type RetryOutcome =
  | Exclude<StartOutcome, { kind: 'InvalidTaskInput' | 'TooManyScheduled' }>
  | { kind: 'ExecutionNotFound'; executionId: string }
  | { kind: 'ExecutionNotRetryable'; execution: Execution };

export type StopOutcome =
  | { kind: 'TaskStopped'; execution: Execution }
  | { kind: 'ExecutionNotFound'; executionId: string }
  | { kind: 'ExecutionAlreadyFinished'; execution: Execution };

export type DeleteOutcome =
  | { kind: 'ExecutionDeleted'; executionId: string }
  | { kind: 'ExecutionNotFound'; executionId: string }
  | { kind: 'ExecutionNotFinished'; execution: Execution };

export type ConfigureOutcome =
  | { kind: 'Task'; task: TaskInfo }
  | { kind: 'TaskNotFound'; task: string }
  | { kind: 'InvalidTaskInput'; task: string; problems: InputProblem[] };

/**
 * The async-task engine: Start Task, Stop Task, Task Status and configuration over a registry
 * of task definitions. It knows nothing of GraphQL or of any particular task.
 */
export function createEngine(deps: EngineDeps, options: EngineOptions) {
  const { logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const registry = new Map<string, AnyTaskDefinition>();
  /** The names in the registry, as retention passes ask for them. */
  const registeredTasks = new Set<string>();
  /** Each task's input as JSON Schema, made once at registration. */
  const inputSchemas = new Map<string, Record<string, unknown>>();
  const ownerId = options.ownerId ?? randomUUID();
  let accepting = true;
  const retentionHoursOf = (task: string) => registry.get(task)?.retention?.finishedHours ?? options.retentionHours ?? 168;
  // Everything below writes through this: every end carries its task's retention (execution-policies.ts).
  const store = {
    ...deps.store,
    executions: withExecutionPolicies(deps.store.executions, {
      retainFor: (task) => retentionHoursOf(task) * 3_600_000,
      feedbackTextMaxBytes: options.feedbackTextMaxBytes ?? defaultFeedbackTextMaxBytes,
    }),
  };

  async function limitsOf(definition: AnyTaskDefinition): Promise<TaskLimits> {
    // Over the code's: settings stored before a limit existed (maxQueuedPerCaller) keep the code's value of it.
    return { ...definition.limits, ...(await store.taskSettings.get(definition.name)) };
  }

  /** Hooks still running, awaited at close so none runs against a closed store. */
  const finishing = new Set<Promise<void>>();

  /**
   * Publishes a change written here; once an execution has ended, its task's onFinished hook
   * runs (here, where the end was written: exactly once, even if the bus had the change already
   * from the cluster feed).
   */
  function publishChange(change: ExecutionChange): boolean {
    // Logged and counted here, by the instance that wrote it, whether or not the bus had it already.
    const facts = change.event.kind === 'STATUS' ? statusChangeFacts(change) : null;
    if (facts) logStatusChange(logger, change, facts);
    deps.metrics?.changeWritten(change, facts);
    const published = deps.events.publish(change);
    if (change.event.kind !== 'STATUS' || !isTerminal(change.execution.status)) return published;
    retention.noteFinished();
    const hook = registry.get(change.execution.task)?.onFinished;
    if (!hook) return published;
    const running: Promise<void> = Promise.resolve()
      .then(() => hook(change.execution))
      .catch((error: unknown) => logger.warn({ err: error, executionId: change.execution.id }, 'the task\'s onFinished hook failed'))
      .finally(() => finishing.delete(running));
    finishing.add(running);
    return published;
  }
  /**
   * Resolves once no onFinished hook is running. The app calls it again after it stopped taking
   * requests and before it closes the store: a stop that came in during the drain starts one.
   */
  async function settle(): Promise<void> {
    while (finishing.size > 0) await Promise.all([...finishing]);
  }

  const retention = createRetention({
    executions: store.executions,
    logger,
    clock,
    tasks: () => registeredTasks,
    onDelete: async (execution) => {
      // A task not registered here has no hook here: deleteExecution of one goes without it.
      await registry.get(execution.task)?.onDelete?.(execution);
    },
  });

  /** What the dispatcher and recovery publish through: the bus, with the hook above. */
  const events: ExecutionEvents = { ...deps.events, publish: publishChange };

  const dispatcher = createDispatcher(
    {
      executions: store.executions,
      pool: deps.pool,
      events,
      logger,
      clock,
      definition: (task) => registry.get(task),
      limits: async (task) => limitsOf(registry.get(task)!),
      scheduled: (at) => dueWork.wakeAt(at),
    },
    { ownerId, leaseMs: options.leaseMs, abortGraceMs: options.abortGraceMs, handBackOnShutdown: options.handBackOnShutdown ?? false },
  );

  const cluster = store.cluster
    ? createClusterBridge(
        {
          feed: store.cluster,
          events: deps.events,
          executions: store.executions,
          logger,
          pump: (task) => void dispatcher.pump(task),
          noticeChange: (execution) => {
            dispatcher.noticeChange(execution);
            // Scheduled (or set to retry) on another instance: this one may promote it too.
            if (execution.status === 'SCHEDULED' && execution.runAt) dueWork.wakeAt(execution.runAt);
          },
          runsTask: (task) => registry.has(task),
        },
        { lostAfterMs: options.clusterEventsLostMs ?? 10_000 },
      )
    : null;
  let clusterStarted: Promise<void> | null = null;

  const inputLimits = { maxBytes: options.maxInputBytes, maxDepth: options.maxInputDepth };
  const idempotencyWindowMs = options.idempotencyWindowMs ?? 24 * 3_600_000;
  const schedules = createSchedules(
    { store: store.schedules, logger, clock, definition: (task) => registry.get(task), startTick },
    { maxSchedules: options.maxSchedules ?? 1_000, inputLimits },
  );
  const dueWork = createDueWork(
    {
      executions: store.executions,
      schedules,
      events,
      logger,
      clock,
      pump: (task) => {
        if (registry.has(task)) void dispatcher.pump(task);
      },
    },
    { maxWaitMs: options.sweepMs ?? 5_000 },
  );

  /**
   * Admission of a checked start: the store's atomic admit, then publish and dispatch (or arm the
   * timer for a scheduled one). Start Task, retryExecution and schedule ticks all come here.
   */
  async function admitStart(
    definition: AnyTaskDefinition,
    snapshot: unknown,
    request: {
      startedBy: string | null;
      options: CheckedStartOptions;
      /** The scoped idempotency key, if any: see idempotencyKeyOf. */
      idempotencyKey: string | null;
      /** Keys of ticks and retries never expire: each must start one execution, ever. */
      keyForever?: boolean;
      retryOf?: string | null;
      scheduleId?: string | null;
      /** The moment of the start (what runAt was reckoned from); default now. */
      at?: Date;
    },
  ): Promise<Exclude<StartOutcome, { kind: 'InvalidTaskInput' | 'TaskNotFound' | 'ServerShuttingDown' }>> {
    const limits = await limitsOf(definition);
    const maxQueuedPerCaller = limits.maxQueuedPerCaller ?? options.maxQueuedPerCaller ?? undefined;
    const now = request.at ?? clock();
    const admission: Admission = await store.executions.admit(
      {
        // UUIDv7: ids sort in creation order (monotonic within a millisecond), which is what
        // breaks ties in FIFO order between executions queued in the same millisecond.
        id: uuidv7(),
        task: definition.name,
        startedBy: request.startedBy,
        input: snapshot,
        queuedAt: now,
        priority: request.options.priority,
        runAt: request.options.runAt,
        idempotency: request.idempotencyKey
          ? { key: request.idempotencyKey, expiresAt: request.keyForever ? forever : new Date(now.getTime() + idempotencyWindowMs) }
          : null,
        retryOf: request.retryOf ?? null,
        scheduleId: request.scheduleId ?? null,
        retainForMs: retentionHoursOf(definition.name) * 3_600_000,
      },
      { ...limits, maxScheduled: options.maxScheduledExecutions ?? 10_000, maxQueuedPerCaller },
    );
    if (admission.kind === 'duplicate') return { kind: 'TaskQueued', execution: admission.execution, deduplicated: true };
    if (admission.kind === 'full') {
      if (admission.limit === 'scheduled') {
        return { kind: 'TooManyScheduled', task: definition.name, maxScheduledExecutions: options.maxScheduledExecutions ?? 10_000 };
      }
      if (admission.limit === 'caller') {
        return { kind: 'CallerQueueFull', task: definition.name, maxQueuedPerCaller: maxQueuedPerCaller!, caller: request.startedBy };
      }
      return { kind: 'QueueFull', task: definition.name, maxQueueLength: limits.maxQueueLength };
    }
    const { change } = admission;
    publishChange(change);
    if (change.execution.status === 'SCHEDULED') dueWork.wakeAt(change.execution.runAt!);
    else void dispatcher.pump(definition.name);
    return { kind: 'TaskQueued', execution: change.execution, deduplicated: false };
  }

  /** One schedule tick's start, de-duplicated per (schedule, tick) with an idempotency key of its own. */
  async function startTick(schedule: { id: string; task: string; input: unknown; createdBy: string | null }, tick: Date): Promise<TickOutcome | null> {
    const definition = registry.get(schedule.task);
    // Left for another instance (or this one after its restart) rather than skipped.
    if (!definition || !accepting) return null;
    const validated = await validateInput(definition, schedule.input, inputLimits);
    if (!validated.ok) {
      return { executionId: null, error: `Invalid input: ${validated.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}` };
    }
    const outcome = await admitStart(definition, validated.snapshot, {
      startedBy: schedule.createdBy,
      options: { runAt: null, priority: 0, idempotencyKey: null },
      idempotencyKey: idempotencyKeyOf('schedule', schedule.id, tick.toISOString()),
      keyForever: true,
      scheduleId: schedule.id,
    });
    deps.metrics?.startAnswered(schedule.task, outcome);
    if (outcome.kind === 'TaskQueued') return { executionId: outcome.execution.id, error: null };
    if (outcome.kind === 'QueueFull') return { executionId: null, error: `QueueFull: ${outcome.maxQueueLength} executions were waiting already` };
    if (outcome.kind === 'CallerQueueFull') {
      return { executionId: null, error: `CallerQueueFull: its owner had ${outcome.maxQueuedPerCaller} executions waiting already` };
    }
    return { executionId: null, error: outcome.kind };
  }

  let sweepTimer: NodeJS.Timeout | undefined;
  /** The sweep in progress, if any: close waits for it (it may still end executions). */
  let sweeping: Promise<void> | null = null;

  /** Recovers executions of dead processes and claims work queued anywhere (other instances, before a restart). */
  function sweep(): Promise<void> {
    if (sweeping || !accepting) return sweeping ?? Promise.resolve();
    sweeping = (async () => {
      try {
        await recoverExpiredLeases(
          { executions: store.executions, events, logger, clock },
          { maxAttempts: options.maxAttempts ?? 2 },
        );
        await Promise.all([...registry.keys()].map((task) => dispatcher.pump(task)));
        // Not awaited: a task's snapshot that hangs at a tick must not hold up lease recovery.
        void dueWork.runNow();
        // Not awaited either: an onDelete hook that hangs must not hold up the sweep.
        retention.purge().catch((error: unknown) => logger.error({ err: error }, 'retention pass failed; trying again at the next sweep'));
      } catch (error) {
        logger.error({ err: error }, 'sweep failed; retrying at the next one');
      }
    })().finally(() => (sweeping = null));
    return sweeping;
  }

  /**
   * On a store whose data goes with the process, executions still waiting at shutdown will never
   * run: they end FAILED with the reason, so their subscribers get a terminal event, not silence.
   */
  async function failQueued(): Promise<void> {
    const message = 'The server shut down before the execution ran (the embedded store keeps nothing across restarts)';
    for (const task of registry.keys()) {
      for (const status of ['QUEUED', 'SCHEDULED'] as const) for (;;) {
        const page = await store.executions.list({ task, status }, { first: 100 });
        if (page.edges.length === 0) break;
        let failed = 0;
        for (const { node } of page.edges) {
          const change = await store.executions.transition(node.id, { from: status, to: 'FAILED', at: clock(), error: message, message });
          if (change) {
            publishChange(change);
            failed++;
          }
        }
        if (failed === 0) break;
      }
    }
  }

  async function infoOf(definition: AnyTaskDefinition): Promise<TaskInfo> {
    const limits = await limitsOf(definition);
    return {
      name: definition.name,
      description: definition.description,
      limits,
      inputSchema: inputSchemas.get(definition.name)!,
      retry: retryPolicyOf(definition.retry),
      maxQueuedPerCaller: limits.maxQueuedPerCaller ?? options.maxQueuedPerCaller ?? null,
      retentionHours: retentionHoursOf(definition.name),
    };
  }

  const api = {
    register(definition: AnyTaskDefinition): void {
      if (registry.has(definition.name)) throw new Error(`Task ${definition.name} is already registered`);
      registry.set(definition.name, definition);
      registeredTasks.add(definition.name);
      inputSchemas.set(definition.name, inputJsonSchema(definition));
    },

    /**
     * Starts following the other instances (the cluster feed) and the background sweep (and runs
     * one now): without them an engine only dispatches what it admits itself and sees only its own
     * events. The app calls this once its tasks are registered.
     */
    async startSweeping(): Promise<void> {
      // First the cluster feed: from here on, what other instances write is seen here too.
      if (cluster) await (clusterStarted ??= cluster.start());
      // Code schedules are stored before the first sweep fires what is due.
      await schedules.syncCodeSchedules(registry.values());
      // Executions that finished before retention existed: kept for their task's retention from now.
      for (const task of registry.keys()) {
        const given = await store.executions.expireUnexpired(task, new Date(clock().getTime() + retentionHoursOf(task) * 3_600_000));
        if (given > 0) logger.info({ task, executions: given, retentionHours: retentionHoursOf(task) }, 'finished executions from before retention: kept for the retention from now');
      }
      if (!sweepTimer) {
        sweepTimer = setInterval(() => void sweep(), options.sweepMs ?? 5_000);
        sweepTimer.unref();
      }
      return sweep();
    },

    async tasks(): Promise<TaskInfo[]> {
      return Promise.all([...registry.values()].map(infoOf));
    },

    async task(name: string): Promise<TaskInfo | null> {
      const definition = registry.get(name);
      return definition ? infoOf(definition) : null;
    },

    /**
     * Start Task: validate → snapshot → atomic admission → dispatch. With options: later (runAt,
     * delayMs: SCHEDULED until then), ahead of others (priority), once (idempotencyKey).
     */
    async start(task: string, input: unknown, by: { startedBy?: string | null } = {}, startOptions: StartOptions = {}): Promise<StartOutcome> {
      const definition = registry.get(task);
      if (!definition) return { kind: 'TaskNotFound', task };
      if (!accepting) return { kind: 'ServerShuttingDown' };
      const at = clock();
      const checked = checkStartOptions(startOptions, at);
      if (!checked.ok) return { kind: 'InvalidTaskInput', task, problems: checked.problems };
      const validated = await validateInput(definition, input, inputLimits);
      if (!validated.ok) return { kind: 'InvalidTaskInput', task, problems: validated.problems };
      const startedBy = by.startedBy ?? null;
      const key = checked.options.idempotencyKey;
      return admitStart(definition, validated.snapshot, {
        startedBy,
        options: checked.options,
        idempotencyKey: key === null ? null : idempotencyKeyOf('start', task, startedBy, key),
        at,
      });
    },

    /**
     * retryExecution: a new execution of a FAILED or TIMED_OUT one, with the same input snapshot,
     * priority and owner (terminal executions never change). Once per execution: retrying it
     * again returns that first retry (deduplicated); retry the retry to go on.
     */
    async retry(executionId: string): Promise<RetryOutcome> {
      const original = await store.executions.get(executionId);
      if (!original) return { kind: 'ExecutionNotFound', executionId };
      if (original.status !== 'FAILED' && original.status !== 'TIMED_OUT') return { kind: 'ExecutionNotRetryable', execution: original };
      const definition = registry.get(original.task);
      if (!definition) return { kind: 'TaskNotFound', task: original.task };
      if (!accepting) return { kind: 'ServerShuttingDown' };
      const outcome = await admitStart(definition, original.input, {
        startedBy: original.startedBy,
        options: { runAt: null, priority: original.priority, idempotencyKey: null },
        idempotencyKey: idempotencyKeyOf('retry', original.id),
        keyForever: true,
        retryOf: original.id,
      });
      // A retry queues now: it is never refused for the scheduled limit.
      if (outcome.kind === 'TooManyScheduled') throw new Error('A retry was refused as scheduled');
      return outcome;
    },

    /**
     * Stop Task. A queued execution is stopped at once; a running one is aborted (its worker
     * threads are terminated) and this resolves once it is STOPPED.
     */
    async stop(executionId: string): Promise<StopOutcome> {
      // An execution can move on between the read and the conditional write (it is queued, starts,
      // or finishes); each retry sees a later status, and there are three non-terminal ones (a
      // retried run goes back to SCHEDULED once per failed attempt: a few more tries cover that).
      let waitedForLaunch = false;
      for (let tries = 0; tries < 8; tries++) {
        const execution = await store.executions.get(executionId);
        if (!execution) return { kind: 'ExecutionNotFound', executionId };
        if (isTerminal(execution.status)) return { kind: 'ExecutionAlreadyFinished', execution };
        if (execution.status === 'RUNNING' && execution.owner === ownerId) {
          if (await dispatcher.abortLocal(executionId, new TaskStoppedError())) {
            const after = (await store.executions.get(executionId))!;
            if (after.status === 'STOPPED') return { kind: 'TaskStopped', execution: after };
            // It ended its attempt on its own meanwhile: finished, or set to retry (SCHEDULED),
            // and a retry still has to be stopped.
            if (isTerminal(after.status)) return { kind: 'ExecutionAlreadyFinished', execution: after };
            continue;
          }
          if (!waitedForLaunch) {
            // Claimed here a moment ago but not launched yet: the launch follows the claim at once.
            waitedForLaunch = true;
            await new Promise(setImmediate);
            continue;
          }
          // Held under our id but not running here (an earlier process with the same owner id
          // died): the conditional write below stops it.
        }
        // Queued, or running on another instance: the conditional write wins or tells us it lost.
        const change = await store.executions.transition(executionId, {
          from: execution.status,
          to: 'STOPPED',
          attempt: execution.attempt,
          at: clock(),
          // The run elsewhere may still write until this applies: it ends when it applies.
          atCommit: execution.status === 'RUNNING',
          error: new TaskStoppedError().message,
          message: new TaskStoppedError().message,
        });
        if (change) {
          publishChange(change);
          void dispatcher.pump(execution.task);
          return { kind: 'TaskStopped', execution: change.execution };
        }
      }
      const latest = (await store.executions.get(executionId))!;
      if (!isTerminal(latest.status)) throw new Error(`Execution ${executionId} kept changing while being stopped`);
      return { kind: 'ExecutionAlreadyFinished', execution: latest };
    },

    /**
     * Deletes a finished execution now, with its events and what its task keeps for it (onDelete),
     * as its retention would. A waiting or running one is refused: stop it first.
     */
    async deleteExecution(executionId: string): Promise<DeleteOutcome> {
      const execution = await store.executions.get(executionId);
      if (!execution) return { kind: 'ExecutionNotFound', executionId };
      if (!isTerminal(execution.status)) return { kind: 'ExecutionNotFinished', execution };
      // Deleted meanwhile by another caller or a retention pass: gone either way.
      if (!(await retention.deleteOne(execution))) return { kind: 'ExecutionNotFound', executionId };
      logger.info({ executionId, task: execution.task, status: execution.status }, 'execution deleted');
      return { kind: 'ExecutionDeleted', executionId };
    },

    /** Deletes what is past its retention now (the sweep does it too); resolves with how many. */
    purgeExpired: () => retention.purge(),

    /** Task Status. */
    async status(executionId: string): Promise<Execution | null> {
      return store.executions.get(executionId);
    },

    /** Changes a task's limits at run time; the change is stored so every instance uses it. */
    async configure(task: string, changes: Partial<TaskLimits>): Promise<ConfigureOutcome> {
      const definition = registry.get(task);
      if (!definition) return { kind: 'TaskNotFound', task };
      const problems = validateLimits(changes);
      if (problems.length > 0) return { kind: 'InvalidTaskInput', task, problems };
      const limits = { ...(await limitsOf(definition)), ...definedOnly(changes) };
      await store.taskSettings.save(task, limits);
      logger.info({ task, limits }, 'task limits changed');
      // A raised concurrency limit frees slots right away.
      void dispatcher.pump(task);
      return { kind: 'Task', task: { ...(await infoOf(definition)), limits } };
    },

    /** Cron schedules: create, delete, list (see schedules.ts); `create` also wakes the timer for its first tick. */
    async createSchedule(request: Parameters<typeof schedules.create>[0]) {
      const outcome = await schedules.create(request);
      if (outcome.kind === 'Schedule') dueWork.wakeAt(outcome.schedule.nextRunAt);
      return outcome;
    },
    deleteSchedule: (id: string) => schedules.delete(id),
    schedule: (id: string) => schedules.get(id),
    listSchedules: schedules.list,

    counts: (task: string) => store.executions.counts(task),
    queuePosition: (executionId: string) => store.executions.queuePosition(executionId),
    list: store.executions.list.bind(store.executions),
    eventsAfter: store.executions.eventsAfter.bind(store.executions),
    /**
     * The taskFeedback stream of one execution; null when it does not exist. Throws
     * EventsUnavailableError while other instances' events cannot be followed.
     */
    openFeedbackStream: (executionId: string, afterSequence: number | null) => {
      cluster?.assertAvailable();
      return openFeedbackStream({ executions: store.executions, events: deps.events }, executionId, afterSequence);
    },
    /** The tracker feed: executions as their status or (coalesced) progress changes. Throws like openFeedbackStream. */
    listenToUpdates: () => {
      cluster?.assertAvailable();
      return deps.events.listenToUpdates();
    },
    /** How this instance follows the others: the cluster feed's state, or in-process (embedded store). */
    liveEvents: () => store.cluster?.health() ?? { mechanism: 'in-process' as const, healthy: true as const },

    /**
     * Refuses new starts (ServerShuttingDown), gives running executions up to `graceMs` to
     * finish, then aborts the rest (handed back to the queue on a durable store, FAILED on the
     * embedded one) and waits until none is left running here.
     */
    async close(graceMs = 0): Promise<void> {
      accepting = false;
      clearInterval(sweepTimer);
      await sweeping;
      await dueWork.close();
      await dispatcher.close(graceMs);
      // Kept open through the drain: a stop sent to another instance still reaches a run here.
      await cluster?.close();
      if (!(options.handBackOnShutdown ?? false)) await failQueued();
      await retention.close();
      await settle();
    },

    settle,
  };
  return observeStarts(api, deps.metrics);
}

export type Engine = ReturnType<typeof createEngine>;

/** The latest moment a Date can hold: the expiry of a key that must never expire. */
const forever = new Date(8_640_000_000_000_000);

/**
 * An idempotency key scoped by where it comes from, so a client's key never meets a schedule's
 * or another caller's: `start` (task, caller, the client's key), `schedule` (schedule, tick),
 * `retry` (the retried execution).
 */
function idempotencyKeyOf(origin: 'start' | 'schedule' | 'retry', ...parts: Array<string | null>): string {
  return JSON.stringify([origin, ...parts]);
}
