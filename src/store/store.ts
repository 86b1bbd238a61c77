/**
 * The persistence port of the engine: executions, their event logs and task settings. Server
 * extensions (the contract example among them) keep their own data beside it: in memory, or in
 * collections of the same MongoDB database (`Store.database`).
 *
 * Every change of an execution is one conditional write: it applies only if the record is still
 * in the expected status (and held by the expected attempt) and says whether it applied. That is
 * what keeps stop, timeout, crash recovery and several server processes safe together.
 */
import type { Db } from 'mongodb';
import type { AttemptOutcome, Execution, ExecutionEvent, ExecutionStatus, FeedbackMode } from '../engine/execution.js';

export interface TaskLimits {
  maxConcurrentExecutions: number;
  maxQueueLength: number;
  /** Fractions allowed; counted from the moment an execution starts running. */
  timeoutMinutes: number;
  /**
   * Most executions of the task one caller may have waiting (QUEUED); beyond it their starts get
   * CallerQueueFull while other callers go on. Unset: the server's MAX_QUEUED_PER_CALLER, if any.
   */
  maxQueuedPerCaller?: number;
}

/** A page of a newest-first listing; cursors are opaque and adapter-specific. */
export interface Page<T> {
  edges: Array<{ node: T; cursor: string }>;
  totalCount: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export interface PageRequest {
  first: number;
  after?: string | null;
}

/** An execution change together with the event it appended to the execution's log. */
export interface ExecutionChange {
  execution: Execution;
  event: ExecutionEvent;
}

export interface NewExecution {
  id: string;
  task: string;
  /** Who started it; null (the default) when the server runs open. */
  startedBy?: string | null;
  input: unknown;
  queuedAt: Date;
  /** Higher runs first among the task's waiting executions; default 0. */
  priority?: number;
  /** Stored SCHEDULED until then (holding no queue place) instead of QUEUED; only a future time. */
  runAt?: Date | null;
  /**
   * De-duplication: while an execution with this key exists and its key has not expired, admit
   * stores nothing and answers `duplicate` with it, also when several instances admit at once.
   * `key` is already scoped by the engine (task, caller, origin); `expiresAt` ends its window.
   */
  idempotency?: { key: string; expiresAt: Date } | null;
  retryOf?: string | null;
  scheduleId?: string | null;
  /**
   * How long it is kept once finished, in ms, fixed when it is admitted (by an instance that runs
   * its task): it wins over a transition's `retainFor`, so an instance that does not know the task
   * (a rolling deploy) cannot shorten it.
   */
  retainForMs?: number;
}

export type Admission =
  | { kind: 'admitted'; change: ExecutionChange }
  /** An execution with the same idempotency key exists (in any status): nothing was stored. */
  | { kind: 'duplicate'; execution: Execution }
  /**
   * Nothing stored. `queue`: the task's queue is full. `caller`: this caller has maxQueuedPerCaller
   * executions of the task waiting already. `scheduled`: the task has maxScheduled scheduled already.
   */
  | { kind: 'full'; limit: 'queue' | 'caller' | 'scheduled' };

export interface AdmissionLimits extends Pick<TaskLimits, 'maxConcurrentExecutions' | 'maxQueueLength'> {
  /**
   * Most SCHEDULED executions of the task (checked for a start with runAt); unbounded when left
   * out. Across instances it may be exceeded by the starts admitted at the same moment.
   */
  maxScheduled?: number;
  /**
   * Most QUEUED executions of the task one caller (`startedBy`; null, the open caller, counts as
   * one) may have waiting, checked for a start without runAt; unbounded when left out. Exact across
   * instances. Executions that come back to the queue (a due SCHEDULED one, a recovered run) are
   * counted but never refused: they were accepted already.
   */
  maxQueuedPerCaller?: number;
}

export interface ExecutionStore {
  /**
   * Atomic admission. Without `runAt`: stores the execution as QUEUED (with its first event) only
   * if afterwards no more than `maxQueueLength` executions of the task would have to wait for a
   * run slot. With `runAt`: stores it SCHEDULED, which takes no queue place (see transition).
   * The idempotency check comes first: a duplicate is answered even when the queue is full.
   */
  admit(execution: NewExecution, limits: AdmissionLimits): Promise<Admission>;
  /**
   * Atomic claim: if fewer than `maxConcurrentExecutions` executions of the task are RUNNING,
   * moves the first QUEUED one (highest priority, then oldest queuedAt, then id) to RUNNING with a
   * new attempt, owner and lease.
   */
  claimNext(
    task: string,
    claim: { owner: string; at: Date; leaseExpiresAt: Date; maxConcurrentExecutions: number },
  ): Promise<ExecutionChange | null>;
  /**
   * Conditional status change. Applies only if the execution is still in `from` and, when
   * `attempt` is given, still held by that attempt; otherwise returns null and changes nothing.
   * SCHEDULED→QUEUED takes a queue place even when that puts the queue over maxQueueLength: the
   * start was accepted when it was made (the limit refuses new starts, never accepted ones).
   */
  transition(
    id: string,
    change: {
      from: ExecutionStatus;
      to: ExecutionStatus;
      at: Date;
      attempt?: number;
      /**
       * Recovery only: apply only if the lease ran out before this moment (a renewed one did not);
       * the change counts one more lost attempt.
       */
      leaseExpiredBefore?: Date;
      result?: unknown;
      error?: string | null;
      /** A note for the event log, such as why the status changed. */
      message?: string | null;
      /**
       * Date the end (finishedAt) by the store's own clock when the change applies (the database
       * server's on MongoDB) instead of `at`: a stop of a run that another instance holds races
       * that run's last writes, and what the run wrote before the stop took effect must be dated
       * before its end, not a few round trips after a finishedAt chosen in advance.
       */
      atCommit?: boolean;
      /** From RUNNING: how the attempt ended, added to the execution's attempt records. */
      endedAttempt?: { outcome: AttemptOutcome; error: string | null };
      /** To SCHEDULED: when it joins the queue again. */
      runAt?: Date;
      /** Sets the count of failed attempts (a retry counts the attempt that just failed). */
      failedAttempts?: number;
      /**
       * For a terminal status: how long a finished execution of a task is kept, in ms; its
       * `expiresAt` becomes its finishedAt plus this (see `expired`). Left out, it is kept until
       * deleted. A function of the task, so the engine sets it in one place for every change
       * (execution-policies.ts).
       */
      retainFor?: (task: string) => number;
    },
  ): Promise<ExecutionChange | null>;
  /** Records feedback of a RUNNING attempt; null (nothing stored) once that attempt has ended. */
  recordFeedback(
    id: string,
    attempt: number,
    feedback: {
      message: string;
      mode: FeedbackMode;
      progress: number | null;
      at: Date;
      /** The stored feedback text keeps its newest lines within this many UTF-8 bytes; default 64 KiB. */
      maxTextBytes?: number;
    },
  ): Promise<ExecutionChange | null>;
  /** Extends the lease of a running attempt; false once the attempt no longer holds it. */
  renewLease(id: string, attempt: number, leaseExpiresAt: Date): Promise<boolean>;
  /** SCHEDULED executions due at `now` (runAt ≤ now), earliest first, at most `limit`. */
  dueScheduled(now: Date, limit: number): Promise<Execution[]>;
  /** The earliest runAt of any SCHEDULED execution; null when none is scheduled. */
  nextRunAt(): Promise<Date | null>;
  /** RUNNING executions whose lease ran out before `now`: their process died or hangs. */
  expiredLeases(now: Date, limit: number): Promise<Execution[]>;
  /**
   * Finished executions of `tasks` to delete at `now`, earliest expiry first, at most `limit`:
   * those past their `expiresAt` and, on a store that caps how many finished ones it keeps (the
   * embedded one), the oldest beyond that cap. (An instance deletes only what its own tasks' hooks
   * can tidy up after.)
   */
  expired(now: Date, limit: number, tasks: ReadonlySet<string>): Promise<Execution[]>;
  /**
   * Deletes a finished execution with its event log (the log first: a crash half-way leaves the
   * execution, and deleting it again finishes the job). False, and nothing deleted, when there is
   * no such execution or it has not finished.
   */
  delete(id: string): Promise<boolean>;
  /**
   * Gives the finished executions of `task` that have no expiresAt (stored before retention
   * existed) this one; returns how many. Idempotent: the engine calls it at every start.
   */
  expireUnexpired(task: string, expiresAt: Date): Promise<number>;
  get(id: string): Promise<Execution | null>;
  /** Newest first; `startedBy` limits it to one caller's executions. */
  list(
    filter: { task?: string | null; status?: ExecutionStatus | null; startedBy?: string | null },
    page: PageRequest,
  ): Promise<Page<Execution>>;
  counts(task: string): Promise<{ scheduled: number; queued: number; running: number }>;
  /** 1-based place in its task's queue (the claim order) while QUEUED, otherwise null. */
  queuePosition(id: string): Promise<number | null>;
  /** Stored events with a sequence above `afterSequence`, in order, at most `limit`. */
  eventsAfter(id: string, afterSequence: number, limit?: number): Promise<ExecutionEvent[]>;
}

export interface TaskSettingsStore {
  /** Limits changed at run time by configureTask; null when the code defaults apply. */
  get(task: string): Promise<TaskLimits | null>;
  save(task: string, limits: TaskLimits): Promise<void>;
}

/**
 * What one instance learns of every instance's writes to a shared database: the engine's cluster
 * bridge puts it on the in-process bus, so feedback streams, the tracker feed, stop and dispatch
 * see work done anywhere. Only MongoDB has one; the embedded store lives in one process.
 */
export interface ClusterFeed {
  readonly mechanism: 'change-stream' | 'polling';
  /** Why this mechanism was chosen, for the start-up log. */
  readonly reason: string;
  /** Resolves once changes from now on will be delivered; `listener` gets them until close. */
  start(listener: ClusterFeedListener): Promise<void>;
  health(): ClusterFeedHealth;
  close(): Promise<void>;
}

export interface ClusterFeedListener {
  /**
   * Executions written by any instance (this one included), each with its newest event. Per
   * execution they come in write order, but events between two deliveries may be skipped
   * (coalesced): the listener reads them from the log when it needs every one.
   */
  executionsChanged(changes: ExecutionChange[]): void;
  /** A task's stored limits changed (configureTask on some instance). */
  taskSettingsChanged(task: string): void;
  /** A read of the source failed; it keeps trying. */
  failing(error: unknown): void;
  /** A read succeeded again after failures: nothing was missed meanwhile. */
  recovered(): void;
  /** Changes were missed for good (the database's change history moved past the feed's resume point). */
  lost(error: unknown): void;
}

export interface ClusterFeedHealth {
  mechanism: ClusterFeed['mechanism'];
  reason: string;
  /** False while reads of the source fail. */
  healthy: boolean;
  lastError: string | null;
  /** The polling interval, in ms, when the mechanism is polling. */
  pollMs?: number;
}

/** A recurring start of a task, on a cron pattern. */
export interface Schedule {
  id: string;
  task: string;
  /** Five fields, or six with seconds first (`*\/2 * * * * *`). */
  cron: string;
  /** IANA time zone the pattern is read in; null: UTC. */
  timezone: string | null;
  input: unknown;
  /** The next tick: what the schedule fires next. */
  nextRunAt: Date;
  /** Whose starts its executions are (the creator's token name); null when the server runs open. */
  createdBy: string | null;
  createdAt: Date;
  /** `code`: declared in a task's `schedules`, kept in step with the code at every start. */
  source: 'api' | 'code';
  lastRunAt: Date | null;
  lastExecutionId: string | null;
  /** Why the last tick started nothing (QueueFull, invalid input), or null. */
  lastError: string | null;
}

export interface ScheduleStore {
  /** Stores a new schedule, or (same id) replaces one: code schedules are put again at every start. */
  put(schedule: Schedule): Promise<void>;
  get(id: string): Promise<Schedule | null>;
  /** True when it existed. */
  delete(id: string): Promise<boolean>;
  /** Newest first; `task`, `source` and `createdBy` (one caller's) narrow it. */
  list(filter: { task?: string | null; source?: Schedule['source'] | null; createdBy?: string | null }, page: PageRequest): Promise<Page<Schedule>>;
  count(): Promise<number>;
  /** Schedules whose nextRunAt ≤ now, earliest first, at most `limit`. */
  due(now: Date, limit: number): Promise<Schedule[]>;
  /** The earliest nextRunAt of any schedule; null when there is none. */
  nextRunAt(): Promise<Date | null>;
  /**
   * Moves a schedule on from the tick `from` (its nextRunAt) to `to`, recording the tick's
   * outcome; false (nothing changed) when it is no longer at `from`: another instance moved it.
   */
  advance(
    id: string,
    from: Date,
    change: { to: Date; lastRunAt: Date; lastExecutionId: string | null; lastError: string | null },
  ): Promise<boolean>;
}

export interface Store {
  executions: ExecutionStore;
  taskSettings: TaskSettingsStore;
  schedules: ScheduleStore;
  /** How other instances' writes reach this one; null when the store lives in this process only. */
  readonly cluster: ClusterFeed | null;
  /** The MongoDB database, when the store is MongoDB: where extensions keep their collections. */
  readonly database: Db | null;
  /** Human-readable kind for /ready and logs, such as "memory" or "mongodb". */
  readonly kind: string;
  /** Whether data outlives the process (and so running work can be handed back at shutdown). */
  readonly durable: boolean;
  /** Resolves when the store is reachable; throws otherwise (used by /ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The store cannot be reached (the database is down or unreachable). Adapters throw it instead of
 * their drivers' errors. `maybeApplied` is false when the operation never reached the database
 * (nothing was changed: retry freely), true when the connection broke while it was under way
 * (a write may have been applied: look before repeating it).
 */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(
    readonly maybeApplied: boolean,
    cause: unknown,
  ) {
    super(
      maybeApplied
        ? 'The connection to the database broke during the operation: it may or may not have been applied. Check before repeating it.'
        : 'The database is unreachable at the moment; nothing was changed. Try again shortly.',
      { cause },
    );
    this.name = 'StoreUnavailableError';
  }
}

/** A cursor that no listing of this store produced. */
export class InvalidCursorError extends Error {
  readonly code = 'INVALID_CURSOR';
  constructor(cursor: string) {
    super(`Invalid cursor "${cursor}": pass a cursor from a previous page.`);
    this.name = 'InvalidCursorError';
  }
}
