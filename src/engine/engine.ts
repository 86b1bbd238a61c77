import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { ExecutionChange, Store, TaskLimits } from '../store/store.js';
import { createClusterBridge } from './cluster-bridge.js';
import { createDispatcher } from './dispatcher.js';
import { TaskStoppedError } from './errors.js';
import type { ExecutionEvents } from './events.js';
import { isTerminal, type Execution } from './execution.js';
import { openFeedbackStream } from './feedback-stream.js';
import { recoverExpiredLeases } from './recovery.js';
import { validateInput } from './input-validation.js';
import { inputJsonSchema, type AnyTaskDefinition, type InputProblem } from './task-definition.js';
import { validateLimits } from './task-limits.js';
import type { WorkerPool } from './worker-pool.js';

export interface EngineDeps {
  store: Pick<Store, 'executions' | 'taskSettings' | 'cluster'>;
  pool: WorkerPool;
  events: ExecutionEvents;
  logger: Logger;
  clock?: () => Date;
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
}

export interface TaskInfo {
  name: string;
  description: string;
  limits: TaskLimits;
  /** The task's input as JSON Schema (draft 2020-12), from its zod schema: what a client may send. */
  inputSchema: Record<string, unknown>;
}

export type StartOutcome =
  | { kind: 'TaskQueued'; execution: Execution }
  | { kind: 'QueueFull'; task: string; maxQueueLength: number }
  | { kind: 'TaskNotFound'; task: string }
  | { kind: 'InvalidTaskInput'; task: string; problems: InputProblem[] }
  | { kind: 'ServerShuttingDown' };

export type StopOutcome =
  | { kind: 'TaskStopped'; execution: Execution }
  | { kind: 'ExecutionNotFound'; executionId: string }
  | { kind: 'ExecutionAlreadyFinished'; execution: Execution };

export type ConfigureOutcome =
  | { kind: 'Task'; task: TaskInfo }
  | { kind: 'TaskNotFound'; task: string }
  | { kind: 'InvalidTaskInput'; task: string; problems: InputProblem[] };

/**
 * The async-task engine: Start Task, Stop Task, Task Status and configuration over a registry
 * of task definitions. It knows nothing of GraphQL or of any particular task.
 */
export function createEngine(deps: EngineDeps, options: EngineOptions) {
  const { store, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const registry = new Map<string, AnyTaskDefinition>();
  /** Each task's input as JSON Schema, made once at registration. */
  const inputSchemas = new Map<string, Record<string, unknown>>();
  const ownerId = options.ownerId ?? randomUUID();
  let accepting = true;

  async function limitsOf(definition: AnyTaskDefinition): Promise<TaskLimits> {
    return (await store.taskSettings.get(definition.name)) ?? definition.limits;
  }

  /** Hooks still running, awaited at close so none runs against a closed store. */
  const finishing = new Set<Promise<void>>();

  /**
   * Publishes a change written here; once an execution has ended, its task's onFinished hook
   * runs (here, where the end was written: exactly once, even if the bus had the change already
   * from the cluster feed).
   */
  function publishChange(change: ExecutionChange): boolean {
    const published = deps.events.publish(change);
    if (change.event.kind !== 'STATUS' || !isTerminal(change.execution.status)) return published;
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
          noticeChange: (execution) => dispatcher.noticeChange(execution),
          runsTask: (task) => registry.has(task),
        },
        { lostAfterMs: options.clusterEventsLostMs ?? 10_000 },
      )
    : null;
  let clusterStarted: Promise<void> | null = null;

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
      for (;;) {
        const page = await store.executions.list({ task, status: 'QUEUED' }, { first: 100 });
        if (page.edges.length === 0) break;
        let failed = 0;
        for (const { node } of page.edges) {
          const change = await store.executions.transition(node.id, { from: 'QUEUED', to: 'FAILED', at: clock(), error: message, message });
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
    return {
      name: definition.name,
      description: definition.description,
      limits: await limitsOf(definition),
      inputSchema: inputSchemas.get(definition.name)!,
    };
  }

  return {
    register(definition: AnyTaskDefinition): void {
      if (registry.has(definition.name)) throw new Error(`Task ${definition.name} is already registered`);
      registry.set(definition.name, definition);
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

    /** Start Task: validate → snapshot → atomic admission → dispatch. */
    async start(task: string, input: unknown, by: { startedBy?: string | null } = {}): Promise<StartOutcome> {
      const definition = registry.get(task);
      if (!definition) return { kind: 'TaskNotFound', task };
      if (!accepting) return { kind: 'ServerShuttingDown' };
      const validated = await validateInput(definition, input, { maxBytes: options.maxInputBytes, maxDepth: options.maxInputDepth });
      if (!validated.ok) return { kind: 'InvalidTaskInput', task, problems: validated.problems };
      const limits = await limitsOf(definition);
      const change = await store.executions.admit(
        // UUIDv7: ids sort in creation order (monotonic within a millisecond), which is what
        // breaks ties in FIFO order between executions queued in the same millisecond.
        { id: uuidv7(), task, startedBy: by.startedBy ?? null, input: validated.snapshot, queuedAt: clock() },
        limits,
      );
      if (!change) {
        return { kind: 'QueueFull', task, maxQueueLength: limits.maxQueueLength };
      }
      publishChange(change);
      void dispatcher.pump(task);
      return { kind: 'TaskQueued', execution: change.execution };
    },

    /**
     * Stop Task. A queued execution is stopped at once; a running one is aborted (its worker
     * threads are terminated) and this resolves once it is STOPPED.
     */
    async stop(executionId: string): Promise<StopOutcome> {
      // An execution can move on between the read and the conditional write (it starts, or
      // finishes); each retry sees a later status, and there are only two non-terminal ones.
      let waitedForLaunch = false;
      for (let tries = 0; tries < 4; tries++) {
        const execution = await store.executions.get(executionId);
        if (!execution) return { kind: 'ExecutionNotFound', executionId };
        if (isTerminal(execution.status)) return { kind: 'ExecutionAlreadyFinished', execution };
        if (execution.status === 'RUNNING' && execution.owner === ownerId) {
          if (await dispatcher.abortLocal(executionId, new TaskStoppedError())) {
            const after = (await store.executions.get(executionId))!;
            return after.status === 'STOPPED'
              ? { kind: 'TaskStopped', execution: after }
              : { kind: 'ExecutionAlreadyFinished', execution: after };
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
      return { kind: 'Task', task: { name: definition.name, description: definition.description, limits, inputSchema: inputSchemas.get(task)! } };
    },

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
      await dispatcher.close(graceMs);
      // Kept open through the drain: a stop sent to another instance still reaches a run here.
      await cluster?.close();
      if (!(options.handBackOnShutdown ?? false)) await failQueued();
      await settle();
    },

    settle,
  };
}

export type Engine = ReturnType<typeof createEngine>;

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}
