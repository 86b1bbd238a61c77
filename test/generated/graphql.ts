/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSON: { input: unknown; output: unknown; }
};

/** This caller already has maxQueuedPerCaller executions of the task waiting; nothing was stored. Other callers are not affected: the limit keeps one caller from filling the queue for everyone. */
export type CallerQueueFull = Error & {
  __typename?: 'CallerQueueFull';
  /** The caller (token name); null when the server runs open. */
  caller?: Maybe<Scalars['String']['output']>;
  maxQueuedPerCaller: Scalars['Int']['output'];
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
  task: Scalars['String']['output'];
};

export type Client = {
  __typename?: 'Client';
  address: Scalars['String']['output'];
  email: Scalars['String']['output'];
  group: ContractGroup;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type ClientInput = {
  address: Scalars['String']['input'];
  email: Scalars['String']['input'];
  name: Scalars['String']['input'];
};

export type ConfigureTaskResult = Forbidden | InvalidTaskInput | StoreUnavailable | Task | TaskNotFound;

/** A generated contract PDF in the outbound-contracts list. */
export type Contract = {
  __typename?: 'Contract';
  client: Client;
  createdAt: Scalars['DateTime']['output'];
  /** Path of the PDF on this server: GET it to download. */
  downloadUrl: Scalars['String']['output'];
  execution?: Maybe<TaskExecution>;
  fileName: Scalars['String']['output'];
  group: ContractGroup;
  id: Scalars['ID']['output'];
  sizeBytes: Scalars['Int']['output'];
};

export type ContractConnection = {
  __typename?: 'ContractConnection';
  edges: Array<ContractEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ContractEdge = {
  __typename?: 'ContractEdge';
  cursor: Scalars['String']['output'];
  node: Contract;
};

export type ContractGroup = {
  __typename?: 'ContractGroup';
  clientCount: Scalars['Int']['output'];
  clients: Array<Client>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  template: ContractTemplate;
};

export type ContractGroupNotFound = Error & {
  __typename?: 'ContractGroupNotFound';
  groupId: Scalars['ID']['output'];
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
};

export type ContractGroupResult = ContractGroup | ContractGroupNotFound | Forbidden | InvalidContractInput;

/** A contract template. Body placeholders: {{name}}, {{email}}, {{address}}, {{date}}. */
export type ContractTemplate = {
  __typename?: 'ContractTemplate';
  body: Scalars['String']['output'];
  title: Scalars['String']['output'];
  /** Raised by every template update. */
  version: Scalars['Int']['output'];
};

export type CreateScheduleResult = InvalidSchedule | InvalidTaskInput | Schedule | StoreUnavailable | TaskNotFound | TooManySchedules;

export type DeleteExecutionResult = ExecutionDeleted | ExecutionNotFinished | ExecutionNotFound | StoreUnavailable;

export type DeleteScheduleResult = ScheduleDeleted | ScheduleInCode | ScheduleNotFound | StoreUnavailable;

/** An expected problem, returned as data in a result union. */
export type Error = {
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
};

export type ExecutionAlreadyFinished = Error & {
  __typename?: 'ExecutionAlreadyFinished';
  execution: TaskExecution;
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
};

/** The execution, its events and what its task kept for it (such as contracts) are deleted. */
export type ExecutionDeleted = {
  __typename?: 'ExecutionDeleted';
  executionId: Scalars['ID']['output'];
};

/** Only a finished execution can be deleted; this one still waits or runs (stop it first). */
export type ExecutionNotFinished = Error & {
  __typename?: 'ExecutionNotFinished';
  execution: TaskExecution;
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
};

export type ExecutionNotFound = Error & {
  __typename?: 'ExecutionNotFound';
  executionId: Scalars['ID']['output'];
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
};

/** Only a FAILED or TIMED_OUT execution can be retried; this one is not (see its status). */
export type ExecutionNotRetryable = Error & {
  __typename?: 'ExecutionNotRetryable';
  execution: TaskExecution;
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
};

/** REPLACE sets the feedback text; APPEND adds the message as a new line. */
export type FeedbackMode =
  | 'APPEND'
  | 'REPLACE';

/** The caller's token may not do this: only admin tokens configure tasks and edit contract data. */
export type Forbidden = Error & {
  __typename?: 'Forbidden';
  action: Scalars['String']['output'];
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
};

/** One problem with an input: where it is and what is wrong. */
export type InputProblem = {
  __typename?: 'InputProblem';
  message: Scalars['String']['output'];
  /** Dotted path of the offending field; empty for the whole input. */
  path: Scalars['String']['output'];
};

/** The input did not pass validation; nothing was changed. */
export type InvalidContractInput = Error & {
  __typename?: 'InvalidContractInput';
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
  problems: Array<InputProblem>;
};

/** The cron pattern or the time zone is not valid; nothing was stored. */
export type InvalidSchedule = Error & {
  __typename?: 'InvalidSchedule';
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
  problems: Array<InputProblem>;
};

/** The input (or the new limits) did not pass validation; nothing was changed. */
export type InvalidTaskInput = Error & {
  __typename?: 'InvalidTaskInput';
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
  problems: Array<InputProblem>;
  task: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  addClients: ContractGroupResult;
  /** Changes limits at run time; the change is stored and applies to new admissions and claims. */
  configureTask: ConfigureTaskResult;
  createContractGroup: ContractGroupResult;
  /** A recurring start of a task: its executions are started as the caller at every tick of the cron pattern, with this input. A tick missed while no server ran fires once when one does; the ticks in between are skipped. */
  createSchedule: CreateScheduleResult;
  /** Deletes a finished execution now, with its events and what its task keeps for it (the contract example: its contracts and PDFs), as its retention would later. Its owner or an admin; another caller's is answered as ExecutionNotFound. */
  deleteExecution: DeleteExecutionResult;
  /** Deletes a schedule: no tick due after this returns fires (a tick being fired at that very moment may still start its execution); executions it started go on. */
  deleteSchedule: DeleteScheduleResult;
  /** Starts a FAILED or TIMED_OUT execution again as a new execution (retryOf) with the same input snapshot, priority and owner. Once per execution: asking again returns that retry (deduplicated: true). */
  retryExecution: RetryExecutionResult;
  /** Start Task: validates the input, snapshots it and queues an execution (or answers QueueFull). */
  startTask: StartTaskResult;
  /** Stop Task: a queued execution stops at once; a running one is aborted and is STOPPED when this returns. */
  stopTask: StopTaskResult;
  /** A new template version. Executions already started keep the template they snapshotted. */
  updateContractTemplate: ContractGroupResult;
};


export type MutationAddClientsArgs = {
  clients: Array<ClientInput>;
  groupId: Scalars['ID']['input'];
};


export type MutationConfigureTaskArgs = {
  maxConcurrentExecutions?: InputMaybe<Scalars['Int']['input']>;
  maxQueueLength?: InputMaybe<Scalars['Int']['input']>;
  maxQueuedPerCaller?: InputMaybe<Scalars['Int']['input']>;
  task: Scalars['String']['input'];
  timeoutMinutes?: InputMaybe<Scalars['Float']['input']>;
};


export type MutationCreateContractGroupArgs = {
  body: Scalars['String']['input'];
  name: Scalars['String']['input'];
  title: Scalars['String']['input'];
};


export type MutationCreateScheduleArgs = {
  cron: Scalars['String']['input'];
  input?: InputMaybe<Scalars['JSON']['input']>;
  task: Scalars['String']['input'];
  timezone?: InputMaybe<Scalars['String']['input']>;
};


export type MutationDeleteExecutionArgs = {
  executionId: Scalars['ID']['input'];
};


export type MutationDeleteScheduleArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRetryExecutionArgs = {
  executionId: Scalars['ID']['input'];
};


export type MutationStartTaskArgs = {
  input?: InputMaybe<Scalars['JSON']['input']>;
  options?: InputMaybe<StartTaskOptions>;
  task: Scalars['String']['input'];
};


export type MutationStopTaskArgs = {
  executionId: Scalars['ID']['input'];
};


export type MutationUpdateContractTemplateArgs = {
  body: Scalars['String']['input'];
  groupId: Scalars['ID']['input'];
  title: Scalars['String']['input'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  contractGroup?: Maybe<ContractGroup>;
  contractGroups: Array<ContractGroup>;
  /** The outbound-contracts list, newest first, optionally of one execution and/or group. */
  contracts: ContractConnection;
  /** Names of the server extensions registered, such as "contracts" (the Contract Manager page shows its panels then). */
  extensions: Array<Scalars['String']['output']>;
  schedule?: Maybe<Schedule>;
  /** Schedules, newest first, optionally of one task: the caller's own (an admin's: all). */
  schedules: ScheduleConnection;
  task?: Maybe<Task>;
  /** Executions, newest first, optionally of one task and/or in one status. */
  taskExecutions: TaskExecutionConnection;
  /** Task Status: the execution, or null when no execution has this id. */
  taskStatus?: Maybe<TaskExecution>;
  tasks: Array<Task>;
};


export type QueryContractGroupArgs = {
  id: Scalars['ID']['input'];
};


export type QueryContractsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  executionId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  groupId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryScheduleArgs = {
  id: Scalars['ID']['input'];
};


export type QuerySchedulesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  task?: InputMaybe<Scalars['String']['input']>;
};


export type QueryTaskArgs = {
  name: Scalars['String']['input'];
};


export type QueryTaskExecutionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<TaskExecutionStatus>;
  task?: InputMaybe<Scalars['String']['input']>;
};


export type QueryTaskStatusArgs = {
  executionId: Scalars['ID']['input'];
};

/** The task already has maxQueueLength executions waiting; nothing was stored. */
export type QueueFull = Error & {
  __typename?: 'QueueFull';
  maxQueueLength: Scalars['Int']['output'];
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
  task: Scalars['String']['output'];
};

/** FIXED: every retry waits delayMs; EXPONENTIAL: delayMs, then twice as long each time, up to maxDelayMs. */
export type RetryBackoff =
  | 'EXPONENTIAL'
  | 'FIXED';

export type RetryExecutionResult = CallerQueueFull | ExecutionNotFound | ExecutionNotRetryable | QueueFull | ServerShuttingDown | StoreUnavailable | TaskNotFound | TaskQueued;

/** How a task's failed attempts are retried (defineTask's `retry`). attempts 1: no retry. */
export type RetryPolicy = {
  __typename?: 'RetryPolicy';
  /** Attempts in all, the first included. */
  attempts: Scalars['Int']['output'];
  backoff: RetryBackoff;
  delayMs: Scalars['Int']['output'];
  /** 0..1: each wait is shortened by a random part of up to this fraction. */
  jitter: Scalars['Float']['output'];
  maxDelayMs: Scalars['Int']['output'];
  /** Whether a TIMED_OUT attempt is retried too. A stop never is. */
  retryTimeouts: Scalars['Boolean']['output'];
};

/** A recurring start of a task on a cron pattern. On several instances each tick starts exactly one execution. */
export type Schedule = {
  __typename?: 'Schedule';
  createdAt: Scalars['DateTime']['output'];
  /** The token whose starts its executions are; null when open or in code. */
  createdBy?: Maybe<Scalars['String']['output']>;
  /** Five fields (minute hour day month weekday), or six with seconds first. */
  cron: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The input of every start, validated at each tick. */
  input?: Maybe<Scalars['JSON']['output']>;
  /** Why the last tick started nothing (QueueFull, invalid input), else null. */
  lastError?: Maybe<Scalars['String']['output']>;
  /** The execution its last tick started (null if that tick started none: see lastError). */
  lastExecution?: Maybe<TaskExecution>;
  /** When its last tick fired. */
  lastRunAt?: Maybe<Scalars['DateTime']['output']>;
  /** The next tick. */
  nextRunAt: Scalars['DateTime']['output'];
  source: ScheduleSource;
  task: Scalars['String']['output'];
  /** IANA time zone the pattern is read in; null: UTC. */
  timezone?: Maybe<Scalars['String']['output']>;
};

export type ScheduleConnection = {
  __typename?: 'ScheduleConnection';
  edges: Array<ScheduleEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ScheduleDeleted = {
  __typename?: 'ScheduleDeleted';
  id: Scalars['ID']['output'];
};

export type ScheduleEdge = {
  __typename?: 'ScheduleEdge';
  cursor: Scalars['String']['output'];
  node: Schedule;
};

/** The schedule is declared in its task's code (defineTask's schedules): it goes when the code drops it. */
export type ScheduleInCode = Error & {
  __typename?: 'ScheduleInCode';
  id: Scalars['ID']['output'];
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
  task: Scalars['String']['output'];
};

export type ScheduleNotFound = Error & {
  __typename?: 'ScheduleNotFound';
  id: Scalars['ID']['output'];
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
};

/** API: made with createSchedule. CODE: declared in the task's definition (defineTask's schedules); delete it there. */
export type ScheduleSource =
  | 'API'
  | 'CODE';

/** The server is shutting down (SIGTERM): nothing was stored; retry on another instance. */
export type ServerShuttingDown = Error & {
  __typename?: 'ServerShuttingDown';
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
};

/** When and how a start runs. Invalid options are answered as InvalidTaskInput (paths options.*). */
export type StartTaskOptions = {
  /** Start this many ms from now (up to 2147483647, about 24 days; use runAt for later); instead of runAt. */
  delayMs?: InputMaybe<Scalars['Int']['input']>;
  /** A second start with this key (same task and caller) within IDEMPOTENCY_WINDOW_MS (default a day) returns the first execution with deduplicated: true, whatever its status or the new input: retry a start after a network error with it. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Higher runs first among the waiting executions of the task (-1000 to 1000, default 0); FIFO within one priority. */
  priority?: InputMaybe<Scalars['Int']['input']>;
  /** Start at this moment (up to a year ahead): the execution is SCHEDULED until then (holding no queue place), then QUEUED. A past moment starts now. */
  runAt?: InputMaybe<Scalars['DateTime']['input']>;
};

export type StartTaskResult = CallerQueueFull | InvalidTaskInput | QueueFull | ServerShuttingDown | StoreUnavailable | TaskNotFound | TaskQueued | TooManyScheduled;

export type StopTaskResult = ExecutionAlreadyFinished | ExecutionNotFound | StoreUnavailable | TaskStopped;

/** The database could not be reached. Retry shortly (or on another instance); see maybeApplied. */
export type StoreUnavailable = Error & {
  __typename?: 'StoreUnavailable';
  /** False: the operation never reached the database, nothing was changed. True: the connection broke while it was under way, so it may have been applied: look (taskStatus, taskExecutions) before repeating it. */
  maybeApplied: Scalars['Boolean']['output'];
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /** The tracker feed: an execution whenever its status changes, and its progress, coalesced. */
  taskExecutionUpdates: TaskExecution;
  /** Events of one execution, in order, without gaps or repeats; completes after the terminal status. Without afterSequence it starts with the latest event; with it, stored events after that sequence are replayed first. */
  taskFeedback: TaskFeedbackEvent;
};


export type SubscriptionTaskExecutionUpdatesArgs = {
  task?: InputMaybe<Scalars['String']['input']>;
};


export type SubscriptionTaskFeedbackArgs = {
  afterSequence?: InputMaybe<Scalars['Int']['input']>;
  executionId: Scalars['ID']['input'];
};

/** A task definition: what can be started, and its limits. */
export type Task = {
  __typename?: 'Task';
  description: Scalars['String']['output'];
  /** The task's input as JSON Schema (draft 2020-12): what startTask's input may be. Every start is still validated. */
  inputSchema: Scalars['JSON']['output'];
  maxConcurrentExecutions: Scalars['Int']['output'];
  /** Executions allowed to wait for a run slot; a start beyond it is refused as QueueFull. */
  maxQueueLength: Scalars['Int']['output'];
  /** Executions one caller may have waiting; a start beyond it is refused as CallerQueueFull (others go on). The task's own limit, else the server's MAX_QUEUED_PER_CALLER; null when there is none. */
  maxQueuedPerCaller?: Maybe<Scalars['Int']['output']>;
  /** Unique technical name. */
  name: Scalars['String']['output'];
  queuedCount: Scalars['Int']['output'];
  /** Hours a finished execution is kept, with its events and its data (such as contracts); then it is deleted. */
  retentionHours: Scalars['Float']['output'];
  retry: RetryPolicy;
  runningCount: Scalars['Int']['output'];
  /** SCHEDULED executions: waiting for their start time or for their next attempt. They hold no queue place. */
  scheduledCount: Scalars['Int']['output'];
  /** Counted from the moment an execution starts running. */
  timeoutMinutes: Scalars['Float']['output'];
};

/** One ended attempt (run) of an execution. */
export type TaskAttempt = {
  __typename?: 'TaskAttempt';
  attempt: Scalars['Int']['output'];
  endedAt: Scalars['DateTime']['output'];
  error?: Maybe<Scalars['String']['output']>;
  outcome: TaskAttemptOutcome;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** How an attempt ended. LOST: its server died (lease expired); HANDED_BACK: its server shut down and queued it again. */
export type TaskAttemptOutcome =
  | 'COMPLETED'
  | 'FAILED'
  | 'HANDED_BACK'
  | 'LOST'
  | 'STOPPED'
  | 'TIMED_OUT';

/** One start of a task (an execution, or job). */
export type TaskExecution = {
  __typename?: 'TaskExecution';
  /** How many times the execution has started running, runs handed back at a clean server shutdown included. */
  attempt: Scalars['Int']['output'];
  /** Every ended attempt, oldest first, with how it ended and its error (the newest 100). */
  attempts: Array<TaskAttempt>;
  error?: Maybe<Scalars['String']['output']>;
  /** Once finished: when it is deleted (its task's retention), with its events and its data. Null until then. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** Attempts that failed (or timed out, when the task retries those): the task's retry.attempts bounds them. */
  failedAttempts: Scalars['Int']['output'];
  /** The feedback text: replaced or appended to by the task. */
  feedback: Scalars['String']['output'];
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** The input snapshot taken at start. */
  input: Scalars['JSON']['output'];
  /** Sequence number of the latest feedback event. */
  lastSequence: Scalars['Int']['output'];
  /** Runs lost because their server died (lease expired); at MAX_ATTEMPTS lost, the execution ends FAILED. */
  lostAttempts: Scalars['Int']['output'];
  /** While waiting to retry (SCHEDULED after a failed attempt): when the next attempt is queued. */
  nextAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  /** Higher runs first among the waiting executions of its task; default 0. */
  priority: Scalars['Int']['output'];
  /** 0..1, once the task reports it. */
  progress?: Maybe<Scalars['Float']['output']>;
  /** 1-based place in the queue while QUEUED: higher priority first, then in order of queuing. */
  queuePosition?: Maybe<Scalars['Int']['output']>;
  queuedAt: Scalars['DateTime']['output'];
  result?: Maybe<Scalars['JSON']['output']>;
  /** The execution this one retries (retryExecution). */
  retryOf?: Maybe<Scalars['ID']['output']>;
  /** While SCHEDULED: when it joins the queue. Afterwards: when it last became due. Null if it never was scheduled. */
  runAt?: Maybe<Scalars['DateTime']['output']>;
  /** The schedule that started it. */
  scheduleId?: Maybe<Scalars['ID']['output']>;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: TaskExecutionStatus;
  task: Task;
};

export type TaskExecutionConnection = {
  __typename?: 'TaskExecutionConnection';
  edges: Array<TaskExecutionEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type TaskExecutionEdge = {
  __typename?: 'TaskExecutionEdge';
  cursor: Scalars['String']['output'];
  node: TaskExecution;
};

/** SCHEDULED → QUEUED → RUNNING → COMPLETED | FAILED | STOPPED | TIMED_OUT. SCHEDULED: waiting for its runAt (a delayed start, or a retry after its backoff: RUNNING → SCHEDULED). A SCHEDULED or QUEUED execution can also be STOPPED, or FAILED when the embedded store shuts down before it ran. */
export type TaskExecutionStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SCHEDULED'
  | 'STOPPED'
  | 'TIMED_OUT';

/** One event of an execution: a status change or feedback sent by the task. */
export type TaskFeedbackEvent = {
  __typename?: 'TaskFeedbackEvent';
  at: Scalars['DateTime']['output'];
  /** The execution right after this event; for events replayed from the log (afterSequence), as it is now. */
  execution: TaskExecution;
  kind: TaskFeedbackEventKind;
  message?: Maybe<Scalars['String']['output']>;
  mode?: Maybe<FeedbackMode>;
  progress?: Maybe<Scalars['Float']['output']>;
  /** Per execution, from 1, without gaps. */
  sequence: Scalars['Int']['output'];
  /** The status right after this event. */
  status: TaskExecutionStatus;
};

/** STATUS: the execution changed status; FEEDBACK: the task sent feedback. */
export type TaskFeedbackEventKind =
  | 'FEEDBACK'
  | 'STATUS';

export type TaskNotFound = Error & {
  __typename?: 'TaskNotFound';
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
  task: Scalars['String']['output'];
};

/** The execution was accepted: it waits for its time (SCHEDULED) or a run slot, or already runs. */
export type TaskQueued = {
  __typename?: 'TaskQueued';
  /** True when an earlier start with the same idempotencyKey (same task and caller, within the idempotency window) made this execution: nothing new was started. */
  deduplicated: Scalars['Boolean']['output'];
  execution: TaskExecution;
};

export type TaskStopped = {
  __typename?: 'TaskStopped';
  execution: TaskExecution;
};

/** The task has MAX_SCHEDULED_EXECUTIONS executions waiting for their time already; nothing was stored. */
export type TooManyScheduled = Error & {
  __typename?: 'TooManyScheduled';
  maxScheduledExecutions: Scalars['Int']['output'];
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
  task: Scalars['String']['output'];
};

/** The server keeps MAX_SCHEDULES schedules already; delete one first. */
export type TooManySchedules = Error & {
  __typename?: 'TooManySchedules';
  maxSchedules: Scalars['Int']['output'];
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
};

export type GroupFieldsFragment = { __typename?: 'ContractGroup', id: string, name: string, clientCount: number, template: { __typename?: 'ContractTemplate', title: string, body: string, version: number } };

export type ContractGroupsQueryVariables = Exact<{ [key: string]: never; }>;


export type ContractGroupsQuery = { __typename?: 'Query', contractGroups: Array<{ __typename?: 'ContractGroup', id: string, name: string, clientCount: number, template: { __typename?: 'ContractTemplate', title: string, body: string, version: number } }> };

export type ContractGroupQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ContractGroupQuery = { __typename?: 'Query', contractGroup?: { __typename?: 'ContractGroup', id: string, name: string, clientCount: number, clients: Array<{ __typename?: 'Client', id: string, name: string, email: string, address: string }>, template: { __typename?: 'ContractTemplate', title: string, body: string, version: number } } | null };

export type ContractsQueryVariables = Exact<{
  executionId?: InputMaybe<Scalars['ID']['input']>;
  groupId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ContractsQuery = { __typename?: 'Query', contracts: { __typename?: 'ContractConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'ContractEdge', node: { __typename?: 'Contract', id: string, fileName: string, sizeBytes: number, createdAt: string, downloadUrl: string, client: { __typename?: 'Client', id: string, name: string }, group: { __typename?: 'ContractGroup', id: string }, execution?: { __typename?: 'TaskExecution', id: string } | null } }> } };

export type CreateContractGroupMutationVariables = Exact<{
  name: Scalars['String']['input'];
  title: Scalars['String']['input'];
  body: Scalars['String']['input'];
}>;


export type CreateContractGroupMutation = { __typename?: 'Mutation', createContractGroup:
    | { __typename: 'ContractGroup', id: string, name: string, clientCount: number, template: { __typename?: 'ContractTemplate', title: string, body: string, version: number } }
    | { __typename: 'ContractGroupNotFound', message: string }
    | { __typename: 'Forbidden', message: string }
    | { __typename: 'InvalidContractInput', message: string, problems: Array<{ __typename?: 'InputProblem', path: string, message: string }> }
   };

export type UpdateContractTemplateMutationVariables = Exact<{
  groupId: Scalars['ID']['input'];
  title: Scalars['String']['input'];
  body: Scalars['String']['input'];
}>;


export type UpdateContractTemplateMutation = { __typename?: 'Mutation', updateContractTemplate:
    | { __typename: 'ContractGroup', id: string, name: string, clientCount: number, template: { __typename?: 'ContractTemplate', title: string, body: string, version: number } }
    | { __typename: 'ContractGroupNotFound', message: string }
    | { __typename: 'Forbidden', message: string }
    | { __typename: 'InvalidContractInput', message: string }
   };

export type AddClientsMutationVariables = Exact<{
  groupId: Scalars['ID']['input'];
  clients: Array<ClientInput> | ClientInput;
}>;


export type AddClientsMutation = { __typename?: 'Mutation', addClients:
    | { __typename: 'ContractGroup', id: string, name: string, clientCount: number, template: { __typename?: 'ContractTemplate', title: string, body: string, version: number } }
    | { __typename: 'ContractGroupNotFound', message: string }
    | { __typename: 'Forbidden', message: string }
    | { __typename: 'InvalidContractInput', message: string, problems: Array<{ __typename?: 'InputProblem', path: string, message: string }> }
   };

export type ApiStartWithOptionsMutationVariables = Exact<{
  task: Scalars['String']['input'];
  input?: InputMaybe<Scalars['JSON']['input']>;
  options?: InputMaybe<StartTaskOptions>;
}>;


export type ApiStartWithOptionsMutation = { __typename?: 'Mutation', startTask:
    | { __typename: 'CallerQueueFull', message: string }
    | { __typename: 'InvalidTaskInput', message: string, problems: Array<{ __typename?: 'InputProblem', path: string, message: string }> }
    | { __typename: 'QueueFull', message: string }
    | { __typename: 'ServerShuttingDown', message: string }
    | { __typename: 'StoreUnavailable', message: string }
    | { __typename: 'TaskNotFound', message: string }
    | { __typename: 'TaskQueued', deduplicated: boolean, execution: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, priority: number, runAt?: string | null, queuePosition?: number | null, startedAt?: string | null } }
    | { __typename: 'TooManyScheduled', message: string, maxScheduledExecutions: number }
   };

export type ApiExecutionAttemptsQueryVariables = Exact<{
  executionId: Scalars['ID']['input'];
}>;


export type ApiExecutionAttemptsQuery = { __typename?: 'Query', taskStatus?: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, attempt: number, failedAttempts: number, nextAttemptAt?: string | null, runAt?: string | null, retryOf?: string | null, scheduleId?: string | null, error?: string | null, attempts: Array<{ __typename?: 'TaskAttempt', attempt: number, outcome: TaskAttemptOutcome, error?: string | null, startedAt?: string | null, endedAt: string }>, task: { __typename?: 'Task', scheduledCount: number, retry: { __typename?: 'RetryPolicy', attempts: number, backoff: RetryBackoff, delayMs: number } } } | null };

export type ApiRetryExecutionMutationVariables = Exact<{
  executionId: Scalars['ID']['input'];
}>;


export type ApiRetryExecutionMutation = { __typename?: 'Mutation', retryExecution:
    | { __typename: 'CallerQueueFull', message: string }
    | { __typename: 'ExecutionNotFound', message: string }
    | { __typename: 'ExecutionNotRetryable', message: string }
    | { __typename: 'QueueFull', message: string }
    | { __typename: 'ServerShuttingDown', message: string }
    | { __typename: 'StoreUnavailable', message: string }
    | { __typename: 'TaskNotFound', message: string }
    | { __typename: 'TaskQueued', deduplicated: boolean, execution: { __typename?: 'TaskExecution', id: string, retryOf?: string | null, input: unknown } }
   };

export type ApiCreateScheduleMutationVariables = Exact<{
  task: Scalars['String']['input'];
  cron: Scalars['String']['input'];
  input?: InputMaybe<Scalars['JSON']['input']>;
  timezone?: InputMaybe<Scalars['String']['input']>;
}>;


export type ApiCreateScheduleMutation = { __typename?: 'Mutation', createSchedule:
    | { __typename: 'InvalidSchedule', message: string, problems: Array<{ __typename?: 'InputProblem', path: string, message: string }> }
    | { __typename: 'InvalidTaskInput', message: string }
    | { __typename: 'Schedule', id: string, task: string, cron: string, timezone?: string | null, input?: unknown | null, nextRunAt: string, source: ScheduleSource, createdBy?: string | null }
    | { __typename: 'StoreUnavailable', message: string }
    | { __typename: 'TaskNotFound', message: string }
    | { __typename: 'TooManySchedules', message: string }
   };

export type ApiDeleteScheduleMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ApiDeleteScheduleMutation = { __typename?: 'Mutation', deleteSchedule:
    | { __typename: 'ScheduleDeleted' }
    | { __typename: 'ScheduleInCode', message: string }
    | { __typename: 'ScheduleNotFound', message: string }
    | { __typename: 'StoreUnavailable', message: string }
   };

export type ApiSchedulesQueryVariables = Exact<{
  task?: InputMaybe<Scalars['String']['input']>;
}>;


export type ApiSchedulesQuery = { __typename?: 'Query', schedules: { __typename?: 'ScheduleConnection', totalCount: number, edges: Array<{ __typename?: 'ScheduleEdge', node: { __typename?: 'Schedule', id: string, task: string, lastRunAt?: string | null, lastError?: string | null, lastExecution?: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus } | null } }> } };

export type ApiDeleteExecutionMutationVariables = Exact<{
  executionId: Scalars['ID']['input'];
}>;


export type ApiDeleteExecutionMutation = { __typename?: 'Mutation', deleteExecution:
    | { __typename: 'ExecutionDeleted', executionId: string }
    | { __typename: 'ExecutionNotFinished', message: string, execution: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus } }
    | { __typename: 'ExecutionNotFound', message: string }
    | { __typename: 'StoreUnavailable', message: string }
   };

export type ApiRetainedExecutionQueryVariables = Exact<{
  executionId: Scalars['ID']['input'];
}>;


export type ApiRetainedExecutionQuery = { __typename?: 'Query', taskStatus?: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, feedback: string, finishedAt?: string | null, expiresAt?: string | null, lastSequence: number, task: { __typename?: 'Task', retentionHours: number, maxQueuedPerCaller?: number | null } } | null };

export type ApiStartFairlyMutationVariables = Exact<{
  task: Scalars['String']['input'];
  input?: InputMaybe<Scalars['JSON']['input']>;
}>;


export type ApiStartFairlyMutation = { __typename?: 'Mutation', startTask:
    | { __typename: 'CallerQueueFull', message: string, task: string, maxQueuedPerCaller: number, caller?: string | null }
    | { __typename: 'InvalidTaskInput', message: string }
    | { __typename: 'QueueFull', message: string, maxQueueLength: number }
    | { __typename: 'ServerShuttingDown', message: string }
    | { __typename: 'StoreUnavailable', message: string }
    | { __typename: 'TaskNotFound', message: string }
    | { __typename: 'TaskQueued', execution: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus } }
    | { __typename: 'TooManyScheduled', message: string }
   };

export type ApiLimitPerCallerMutationVariables = Exact<{
  task: Scalars['String']['input'];
  maxQueuedPerCaller?: InputMaybe<Scalars['Int']['input']>;
}>;


export type ApiLimitPerCallerMutation = { __typename?: 'Mutation', configureTask:
    | { __typename: 'Forbidden', message: string }
    | { __typename: 'InvalidTaskInput', message: string }
    | { __typename: 'StoreUnavailable', message: string }
    | { __typename: 'Task', name: string, maxQueuedPerCaller?: number | null }
    | { __typename: 'TaskNotFound', message: string }
   };

export type ApiFeedbackReplaySubscriptionVariables = Exact<{
  executionId: Scalars['ID']['input'];
  afterSequence?: InputMaybe<Scalars['Int']['input']>;
}>;


export type ApiFeedbackReplaySubscription = { __typename?: 'Subscription', taskFeedback: { __typename?: 'TaskFeedbackEvent', sequence: number, kind: TaskFeedbackEventKind, message?: string | null, status: TaskExecutionStatus } };

export type ScheduledExecutionFieldsFragment = { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, queuedAt: string, runAt?: string | null, startedAt?: string | null, finishedAt?: string | null, scheduleId?: string | null };

export type StartTaskWithOptionsMutationVariables = Exact<{
  task: Scalars['String']['input'];
  input?: InputMaybe<Scalars['JSON']['input']>;
  options?: InputMaybe<StartTaskOptions>;
}>;


export type StartTaskWithOptionsMutation = { __typename?: 'Mutation', startTask:
    | { __typename: 'CallerQueueFull', message: string }
    | { __typename: 'InvalidTaskInput', message: string }
    | { __typename: 'QueueFull', message: string }
    | { __typename: 'ServerShuttingDown', message: string }
    | { __typename: 'StoreUnavailable', message: string }
    | { __typename: 'TaskNotFound', message: string }
    | { __typename: 'TaskQueued', deduplicated: boolean, execution: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, queuedAt: string, runAt?: string | null, startedAt?: string | null, finishedAt?: string | null, scheduleId?: string | null } }
    | { __typename: 'TooManyScheduled', message: string }
   };

export type ScheduledExecutionQueryVariables = Exact<{
  executionId: Scalars['ID']['input'];
}>;


export type ScheduledExecutionQuery = { __typename?: 'Query', taskStatus?: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, queuedAt: string, runAt?: string | null, startedAt?: string | null, finishedAt?: string | null, scheduleId?: string | null } | null };

export type ScheduledExecutionsQueryVariables = Exact<{
  task?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ScheduledExecutionsQuery = { __typename?: 'Query', taskExecutions: { __typename?: 'TaskExecutionConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'TaskExecutionEdge', node: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, queuedAt: string, runAt?: string | null, startedAt?: string | null, finishedAt?: string | null, scheduleId?: string | null } }> } };

export type CreateScheduleMutationVariables = Exact<{
  task: Scalars['String']['input'];
  cron: Scalars['String']['input'];
  input?: InputMaybe<Scalars['JSON']['input']>;
  timezone?: InputMaybe<Scalars['String']['input']>;
}>;


export type CreateScheduleMutation = { __typename?: 'Mutation', createSchedule:
    | { __typename: 'InvalidSchedule', message: string }
    | { __typename: 'InvalidTaskInput', message: string }
    | { __typename: 'Schedule', id: string, cron: string, nextRunAt: string }
    | { __typename: 'StoreUnavailable', message: string }
    | { __typename: 'TaskNotFound', message: string }
    | { __typename: 'TooManySchedules', message: string }
   };

export type DeleteScheduleMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteScheduleMutation = { __typename?: 'Mutation', deleteSchedule:
    | { __typename: 'ScheduleDeleted', id: string }
    | { __typename: 'ScheduleInCode', message: string }
    | { __typename: 'ScheduleNotFound', message: string }
    | { __typename: 'StoreUnavailable', message: string }
   };

export type SchedulesQueryVariables = Exact<{
  task?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type SchedulesQuery = { __typename?: 'Query', schedules: { __typename?: 'ScheduleConnection', totalCount: number, edges: Array<{ __typename?: 'ScheduleEdge', node: { __typename?: 'Schedule', id: string, task: string, cron: string, nextRunAt: string, lastRunAt?: string | null, lastError?: string | null, lastExecution?: { __typename?: 'TaskExecution', id: string } | null } }> } };

export type ExecutionFieldsFragment = { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, input: unknown, feedback: string, progress?: number | null, queuePosition?: number | null, result?: unknown | null, error?: string | null, attempt: number, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, task: { __typename?: 'Task', name: string } };

export type TasksQueryVariables = Exact<{ [key: string]: never; }>;


export type TasksQuery = { __typename?: 'Query', tasks: Array<{ __typename?: 'Task', name: string, description: string, maxConcurrentExecutions: number, maxQueueLength: number, timeoutMinutes: number, runningCount: number, queuedCount: number }> };

export type TaskStatusQueryVariables = Exact<{
  executionId: Scalars['ID']['input'];
}>;


export type TaskStatusQuery = { __typename?: 'Query', taskStatus?: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, input: unknown, feedback: string, progress?: number | null, queuePosition?: number | null, result?: unknown | null, error?: string | null, attempt: number, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, task: { __typename?: 'Task', name: string } } | null };

export type TaskExecutionsQueryVariables = Exact<{
  task?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<TaskExecutionStatus>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type TaskExecutionsQuery = { __typename?: 'Query', taskExecutions: { __typename?: 'TaskExecutionConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'TaskExecutionEdge', cursor: string, node: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, input: unknown, feedback: string, progress?: number | null, queuePosition?: number | null, result?: unknown | null, error?: string | null, attempt: number, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, task: { __typename?: 'Task', name: string } } }> } };

export type StartTaskOutcomeMutationVariables = Exact<{
  task: Scalars['String']['input'];
  input?: InputMaybe<Scalars['JSON']['input']>;
}>;


export type StartTaskOutcomeMutation = { __typename?: 'Mutation', startTask:
    | { __typename: 'CallerQueueFull', message: string }
    | { __typename: 'InvalidTaskInput', message: string }
    | { __typename: 'QueueFull', message: string }
    | { __typename: 'ServerShuttingDown', message: string }
    | { __typename: 'StoreUnavailable', message: string, maybeApplied: boolean }
    | { __typename: 'TaskNotFound', message: string }
    | { __typename: 'TaskQueued' }
    | { __typename: 'TooManyScheduled', message: string }
   };

export type StartTaskMutationVariables = Exact<{
  task: Scalars['String']['input'];
  input?: InputMaybe<Scalars['JSON']['input']>;
}>;


export type StartTaskMutation = { __typename?: 'Mutation', startTask:
    | { __typename: 'CallerQueueFull' }
    | { __typename: 'InvalidTaskInput', message: string, task: string, problems: Array<{ __typename?: 'InputProblem', path: string, message: string }> }
    | { __typename: 'QueueFull', message: string, task: string, maxQueueLength: number }
    | { __typename: 'ServerShuttingDown', message: string }
    | { __typename: 'StoreUnavailable' }
    | { __typename: 'TaskNotFound', message: string, task: string }
    | { __typename: 'TaskQueued', execution: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, input: unknown, feedback: string, progress?: number | null, queuePosition?: number | null, result?: unknown | null, error?: string | null, attempt: number, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, task: { __typename?: 'Task', name: string } } }
    | { __typename: 'TooManyScheduled' }
   };

export type StopTaskMutationVariables = Exact<{
  executionId: Scalars['ID']['input'];
}>;


export type StopTaskMutation = { __typename?: 'Mutation', stopTask:
    | { __typename: 'ExecutionAlreadyFinished', message: string, execution: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, input: unknown, feedback: string, progress?: number | null, queuePosition?: number | null, result?: unknown | null, error?: string | null, attempt: number, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, task: { __typename?: 'Task', name: string } } }
    | { __typename: 'ExecutionNotFound', message: string, executionId: string }
    | { __typename: 'StoreUnavailable' }
    | { __typename: 'TaskStopped', execution: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, input: unknown, feedback: string, progress?: number | null, queuePosition?: number | null, result?: unknown | null, error?: string | null, attempt: number, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, task: { __typename?: 'Task', name: string } } }
   };

export type ConfigureTaskMutationVariables = Exact<{
  task: Scalars['String']['input'];
  maxConcurrentExecutions?: InputMaybe<Scalars['Int']['input']>;
  maxQueueLength?: InputMaybe<Scalars['Int']['input']>;
  timeoutMinutes?: InputMaybe<Scalars['Float']['input']>;
}>;


export type ConfigureTaskMutation = { __typename?: 'Mutation', configureTask:
    | { __typename: 'Forbidden', message: string }
    | { __typename: 'InvalidTaskInput', message: string, problems: Array<{ __typename?: 'InputProblem', path: string, message: string }> }
    | { __typename: 'StoreUnavailable', message: string }
    | { __typename: 'Task', name: string, maxConcurrentExecutions: number, maxQueueLength: number, timeoutMinutes: number }
    | { __typename: 'TaskNotFound', message: string }
   };

export type TaskFeedbackSubscriptionVariables = Exact<{
  executionId: Scalars['ID']['input'];
  afterSequence?: InputMaybe<Scalars['Int']['input']>;
}>;


export type TaskFeedbackSubscription = { __typename?: 'Subscription', taskFeedback: { __typename?: 'TaskFeedbackEvent', sequence: number, at: string, kind: TaskFeedbackEventKind, status: TaskExecutionStatus, message?: string | null, mode?: FeedbackMode | null, progress?: number | null, execution: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, progress?: number | null } } };

export type TaskExecutionUpdatesSubscriptionVariables = Exact<{
  task?: InputMaybe<Scalars['String']['input']>;
}>;


export type TaskExecutionUpdatesSubscription = { __typename?: 'Subscription', taskExecutionUpdates: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, progress?: number | null, feedback: string } };

export type TaskQueryVariables = Exact<{
  name: Scalars['String']['input'];
}>;


export type TaskQuery = { __typename?: 'Query', task?: { __typename?: 'Task', name: string, maxConcurrentExecutions: number, maxQueueLength: number, timeoutMinutes: number, runningCount: number, queuedCount: number } | null };

export const GroupFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"GroupFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContractGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"clientCount"}},{"kind":"Field","name":{"kind":"Name","value":"template"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]} as unknown as DocumentNode<GroupFieldsFragment, unknown>;
export const ScheduledExecutionFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ScheduledExecutionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskExecution"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"queuedAt"}},{"kind":"Field","name":{"kind":"Name","value":"runAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"scheduleId"}}]}}]} as unknown as DocumentNode<ScheduledExecutionFieldsFragment, unknown>;
export const ExecutionFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExecutionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskExecution"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"feedback"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"queuePosition"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"attempt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSequence"}},{"kind":"Field","name":{"kind":"Name","value":"queuedAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"task"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<ExecutionFieldsFragment, unknown>;
export const ContractGroupsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ContractGroups"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"contractGroups"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"GroupFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"GroupFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContractGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"clientCount"}},{"kind":"Field","name":{"kind":"Name","value":"template"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]} as unknown as DocumentNode<ContractGroupsQuery, ContractGroupsQueryVariables>;
export const ContractGroupDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ContractGroup"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"contractGroup"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"GroupFields"}},{"kind":"Field","name":{"kind":"Name","value":"clients"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"address"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"GroupFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContractGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"clientCount"}},{"kind":"Field","name":{"kind":"Name","value":"template"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]} as unknown as DocumentNode<ContractGroupQuery, ContractGroupQueryVariables>;
export const ContractsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Contracts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"contracts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"executionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"downloadUrl"}},{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"execution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ContractsQuery, ContractsQueryVariables>;
export const CreateContractGroupDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateContractGroup"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"title"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"body"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createContractGroup"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"title"},"value":{"kind":"Variable","name":{"kind":"Name","value":"title"}}},{"kind":"Argument","name":{"kind":"Name","value":"body"},"value":{"kind":"Variable","name":{"kind":"Name","value":"body"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContractGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"GroupFields"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidContractInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"problems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"GroupFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContractGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"clientCount"}},{"kind":"Field","name":{"kind":"Name","value":"template"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]} as unknown as DocumentNode<CreateContractGroupMutation, CreateContractGroupMutationVariables>;
export const UpdateContractTemplateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateContractTemplate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"title"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"body"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateContractTemplate"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}},{"kind":"Argument","name":{"kind":"Name","value":"title"},"value":{"kind":"Variable","name":{"kind":"Name","value":"title"}}},{"kind":"Argument","name":{"kind":"Name","value":"body"},"value":{"kind":"Variable","name":{"kind":"Name","value":"body"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContractGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"GroupFields"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"GroupFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContractGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"clientCount"}},{"kind":"Field","name":{"kind":"Name","value":"template"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]} as unknown as DocumentNode<UpdateContractTemplateMutation, UpdateContractTemplateMutationVariables>;
export const AddClientsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddClients"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"clients"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ClientInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addClients"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}},{"kind":"Argument","name":{"kind":"Name","value":"clients"},"value":{"kind":"Variable","name":{"kind":"Name","value":"clients"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContractGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"GroupFields"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidContractInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"problems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"GroupFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContractGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"clientCount"}},{"kind":"Field","name":{"kind":"Name","value":"template"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]} as unknown as DocumentNode<AddClientsMutation, AddClientsMutationVariables>;
export const ApiStartWithOptionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ApiStartWithOptions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"task"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"options"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"StartTaskOptions"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startTask"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"task"},"value":{"kind":"Variable","name":{"kind":"Name","value":"task"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}},{"kind":"Argument","name":{"kind":"Name","value":"options"},"value":{"kind":"Variable","name":{"kind":"Name","value":"options"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskQueued"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deduplicated"}},{"kind":"Field","name":{"kind":"Name","value":"execution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"runAt"}},{"kind":"Field","name":{"kind":"Name","value":"queuePosition"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidTaskInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"problems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TooManyScheduled"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"maxScheduledExecutions"}}]}}]}}]}}]} as unknown as DocumentNode<ApiStartWithOptionsMutation, ApiStartWithOptionsMutationVariables>;
export const ApiExecutionAttemptsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ApiExecutionAttempts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"taskStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"executionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempt"}},{"kind":"Field","name":{"kind":"Name","value":"failedAttempts"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"runAt"}},{"kind":"Field","name":{"kind":"Name","value":"retryOf"}},{"kind":"Field","name":{"kind":"Name","value":"scheduleId"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attempt"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"task"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"backoff"}},{"kind":"Field","name":{"kind":"Name","value":"delayMs"}}]}},{"kind":"Field","name":{"kind":"Name","value":"scheduledCount"}}]}}]}}]}}]} as unknown as DocumentNode<ApiExecutionAttemptsQuery, ApiExecutionAttemptsQueryVariables>;
export const ApiRetryExecutionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ApiRetryExecution"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryExecution"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"executionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskQueued"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deduplicated"}},{"kind":"Field","name":{"kind":"Name","value":"execution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"retryOf"}},{"kind":"Field","name":{"kind":"Name","value":"input"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ApiRetryExecutionMutation, ApiRetryExecutionMutationVariables>;
export const ApiCreateScheduleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ApiCreateSchedule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"task"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cron"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"timezone"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createSchedule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"task"},"value":{"kind":"Variable","name":{"kind":"Name","value":"task"}}},{"kind":"Argument","name":{"kind":"Name","value":"cron"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cron"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}},{"kind":"Argument","name":{"kind":"Name","value":"timezone"},"value":{"kind":"Variable","name":{"kind":"Name","value":"timezone"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Schedule"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"task"}},{"kind":"Field","name":{"kind":"Name","value":"cron"}},{"kind":"Field","name":{"kind":"Name","value":"timezone"}},{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"nextRunAt"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidSchedule"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"problems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ApiCreateScheduleMutation, ApiCreateScheduleMutationVariables>;
export const ApiDeleteScheduleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ApiDeleteSchedule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteSchedule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ApiDeleteScheduleMutation, ApiDeleteScheduleMutationVariables>;
export const ApiSchedulesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ApiSchedules"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"task"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"schedules"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"task"},"value":{"kind":"Variable","name":{"kind":"Name","value":"task"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"task"}},{"kind":"Field","name":{"kind":"Name","value":"lastRunAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"lastExecution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ApiSchedulesQuery, ApiSchedulesQueryVariables>;
export const ApiDeleteExecutionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ApiDeleteExecution"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteExecution"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"executionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExecutionDeleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"executionId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExecutionNotFinished"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"execution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ApiDeleteExecutionMutation, ApiDeleteExecutionMutationVariables>;
export const ApiRetainedExecutionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ApiRetainedExecution"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"taskStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"executionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"feedback"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSequence"}},{"kind":"Field","name":{"kind":"Name","value":"task"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retentionHours"}},{"kind":"Field","name":{"kind":"Name","value":"maxQueuedPerCaller"}}]}}]}}]}}]} as unknown as DocumentNode<ApiRetainedExecutionQuery, ApiRetainedExecutionQueryVariables>;
export const ApiStartFairlyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ApiStartFairly"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"task"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startTask"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"task"},"value":{"kind":"Variable","name":{"kind":"Name","value":"task"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskQueued"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"execution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CallerQueueFull"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"task"}},{"kind":"Field","name":{"kind":"Name","value":"maxQueuedPerCaller"}},{"kind":"Field","name":{"kind":"Name","value":"caller"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"QueueFull"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"maxQueueLength"}}]}}]}}]}}]} as unknown as DocumentNode<ApiStartFairlyMutation, ApiStartFairlyMutationVariables>;
export const ApiLimitPerCallerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ApiLimitPerCaller"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"task"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"maxQueuedPerCaller"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"configureTask"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"task"},"value":{"kind":"Variable","name":{"kind":"Name","value":"task"}}},{"kind":"Argument","name":{"kind":"Name","value":"maxQueuedPerCaller"},"value":{"kind":"Variable","name":{"kind":"Name","value":"maxQueuedPerCaller"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Task"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"maxQueuedPerCaller"}}]}}]}}]}}]} as unknown as DocumentNode<ApiLimitPerCallerMutation, ApiLimitPerCallerMutationVariables>;
export const ApiFeedbackReplayDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ApiFeedbackReplay"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"afterSequence"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"taskFeedback"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"executionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"afterSequence"},"value":{"kind":"Variable","name":{"kind":"Name","value":"afterSequence"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<ApiFeedbackReplaySubscription, ApiFeedbackReplaySubscriptionVariables>;
export const StartTaskWithOptionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartTaskWithOptions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"task"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"options"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"StartTaskOptions"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startTask"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"task"},"value":{"kind":"Variable","name":{"kind":"Name","value":"task"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}},{"kind":"Argument","name":{"kind":"Name","value":"options"},"value":{"kind":"Variable","name":{"kind":"Name","value":"options"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskQueued"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deduplicated"}},{"kind":"Field","name":{"kind":"Name","value":"execution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ScheduledExecutionFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ScheduledExecutionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskExecution"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"queuedAt"}},{"kind":"Field","name":{"kind":"Name","value":"runAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"scheduleId"}}]}}]} as unknown as DocumentNode<StartTaskWithOptionsMutation, StartTaskWithOptionsMutationVariables>;
export const ScheduledExecutionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ScheduledExecution"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"taskStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"executionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ScheduledExecutionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ScheduledExecutionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskExecution"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"queuedAt"}},{"kind":"Field","name":{"kind":"Name","value":"runAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"scheduleId"}}]}}]} as unknown as DocumentNode<ScheduledExecutionQuery, ScheduledExecutionQueryVariables>;
export const ScheduledExecutionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ScheduledExecutions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"task"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"taskExecutions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"task"},"value":{"kind":"Variable","name":{"kind":"Name","value":"task"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ScheduledExecutionFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ScheduledExecutionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskExecution"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"queuedAt"}},{"kind":"Field","name":{"kind":"Name","value":"runAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"scheduleId"}}]}}]} as unknown as DocumentNode<ScheduledExecutionsQuery, ScheduledExecutionsQueryVariables>;
export const CreateScheduleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateSchedule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"task"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cron"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"timezone"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createSchedule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"task"},"value":{"kind":"Variable","name":{"kind":"Name","value":"task"}}},{"kind":"Argument","name":{"kind":"Name","value":"cron"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cron"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}},{"kind":"Argument","name":{"kind":"Name","value":"timezone"},"value":{"kind":"Variable","name":{"kind":"Name","value":"timezone"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Schedule"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cron"}},{"kind":"Field","name":{"kind":"Name","value":"nextRunAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CreateScheduleMutation, CreateScheduleMutationVariables>;
export const DeleteScheduleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteSchedule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteSchedule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ScheduleDeleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<DeleteScheduleMutation, DeleteScheduleMutationVariables>;
export const SchedulesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Schedules"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"task"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"schedules"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"task"},"value":{"kind":"Variable","name":{"kind":"Name","value":"task"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"task"}},{"kind":"Field","name":{"kind":"Name","value":"cron"}},{"kind":"Field","name":{"kind":"Name","value":"nextRunAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastRunAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"lastExecution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<SchedulesQuery, SchedulesQueryVariables>;
export const TasksDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Tasks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tasks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"maxConcurrentExecutions"}},{"kind":"Field","name":{"kind":"Name","value":"maxQueueLength"}},{"kind":"Field","name":{"kind":"Name","value":"timeoutMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"runningCount"}},{"kind":"Field","name":{"kind":"Name","value":"queuedCount"}}]}}]}}]} as unknown as DocumentNode<TasksQuery, TasksQueryVariables>;
export const TaskStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TaskStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"taskStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"executionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExecutionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExecutionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskExecution"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"feedback"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"queuePosition"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"attempt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSequence"}},{"kind":"Field","name":{"kind":"Name","value":"queuedAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"task"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<TaskStatusQuery, TaskStatusQueryVariables>;
export const TaskExecutionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TaskExecutions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"task"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TaskExecutionStatus"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"taskExecutions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"task"},"value":{"kind":"Variable","name":{"kind":"Name","value":"task"}}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExecutionFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExecutionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskExecution"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"feedback"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"queuePosition"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"attempt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSequence"}},{"kind":"Field","name":{"kind":"Name","value":"queuedAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"task"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<TaskExecutionsQuery, TaskExecutionsQueryVariables>;
export const StartTaskOutcomeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartTaskOutcome"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"task"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startTask"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"task"},"value":{"kind":"Variable","name":{"kind":"Name","value":"task"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailable"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"maybeApplied"}}]}}]}}]}}]} as unknown as DocumentNode<StartTaskOutcomeMutation, StartTaskOutcomeMutationVariables>;
export const StartTaskDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartTask"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"task"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startTask"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"task"},"value":{"kind":"Variable","name":{"kind":"Name","value":"task"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskQueued"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"execution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExecutionFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"QueueFull"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"task"}},{"kind":"Field","name":{"kind":"Name","value":"maxQueueLength"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskNotFound"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"task"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidTaskInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"task"}},{"kind":"Field","name":{"kind":"Name","value":"problems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ServerShuttingDown"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExecutionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskExecution"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"feedback"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"queuePosition"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"attempt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSequence"}},{"kind":"Field","name":{"kind":"Name","value":"queuedAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"task"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<StartTaskMutation, StartTaskMutationVariables>;
export const StopTaskDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StopTask"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stopTask"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"executionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskStopped"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"execution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExecutionFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExecutionNotFound"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"executionId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExecutionAlreadyFinished"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"execution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExecutionFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExecutionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskExecution"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"feedback"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"queuePosition"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"attempt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSequence"}},{"kind":"Field","name":{"kind":"Name","value":"queuedAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"task"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<StopTaskMutation, StopTaskMutationVariables>;
export const ConfigureTaskDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConfigureTask"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"task"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"maxConcurrentExecutions"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"maxQueueLength"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"timeoutMinutes"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Float"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"configureTask"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"task"},"value":{"kind":"Variable","name":{"kind":"Name","value":"task"}}},{"kind":"Argument","name":{"kind":"Name","value":"maxConcurrentExecutions"},"value":{"kind":"Variable","name":{"kind":"Name","value":"maxConcurrentExecutions"}}},{"kind":"Argument","name":{"kind":"Name","value":"maxQueueLength"},"value":{"kind":"Variable","name":{"kind":"Name","value":"maxQueueLength"}}},{"kind":"Argument","name":{"kind":"Name","value":"timeoutMinutes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"timeoutMinutes"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Task"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"maxConcurrentExecutions"}},{"kind":"Field","name":{"kind":"Name","value":"maxQueueLength"}},{"kind":"Field","name":{"kind":"Name","value":"timeoutMinutes"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TaskNotFound"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidTaskInput"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"problems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConfigureTaskMutation, ConfigureTaskMutationVariables>;
export const TaskFeedbackDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"TaskFeedback"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"afterSequence"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"taskFeedback"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"executionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"afterSequence"},"value":{"kind":"Variable","name":{"kind":"Name","value":"afterSequence"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"execution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}}]}}]}}]}}]} as unknown as DocumentNode<TaskFeedbackSubscription, TaskFeedbackSubscriptionVariables>;
export const TaskExecutionUpdatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"TaskExecutionUpdates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"task"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"taskExecutionUpdates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"task"},"value":{"kind":"Variable","name":{"kind":"Name","value":"task"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"feedback"}}]}}]}}]} as unknown as DocumentNode<TaskExecutionUpdatesSubscription, TaskExecutionUpdatesSubscriptionVariables>;
export const TaskDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Task"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"task"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"maxConcurrentExecutions"}},{"kind":"Field","name":{"kind":"Name","value":"maxQueueLength"}},{"kind":"Field","name":{"kind":"Name","value":"timeoutMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"runningCount"}},{"kind":"Field","name":{"kind":"Name","value":"queuedCount"}}]}}]}}]} as unknown as DocumentNode<TaskQuery, TaskQueryVariables>;