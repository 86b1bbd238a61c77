/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
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

export type GroupCardFragment = { __typename?: 'ContractGroup', id: string, name: string, clientCount: number, template: { __typename?: 'ContractTemplate', title: string, body: string, version: number } };

export type ContractGroupsQueryVariables = Exact<{ [key: string]: never; }>;


export type ContractGroupsQuery = { __typename?: 'Query', contractGroups: Array<{ __typename?: 'ContractGroup', id: string, name: string, clientCount: number, template: { __typename?: 'ContractTemplate', title: string, body: string, version: number } }> };

export type UpdateContractTemplateMutationVariables = Exact<{
  groupId: Scalars['ID']['input'];
  title: Scalars['String']['input'];
  body: Scalars['String']['input'];
}>;


export type UpdateContractTemplateMutation = { __typename?: 'Mutation', updateContractTemplate:
    | { __typename: 'ContractGroup', id: string, name: string, clientCount: number, template: { __typename?: 'ContractTemplate', title: string, body: string, version: number } }
    | { __typename: 'ContractGroupNotFound', message: string }
    | { __typename: 'Forbidden', message: string }
    | { __typename: 'InvalidContractInput', message: string, problems: Array<{ __typename?: 'InputProblem', path: string, message: string }> }
   };

export type OutboundContractsQueryVariables = Exact<{
  executionId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type OutboundContractsQuery = { __typename?: 'Query', contracts: { __typename?: 'ContractConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'ContractEdge', node: { __typename?: 'Contract', id: string, fileName: string, sizeBytes: number, createdAt: string, downloadUrl: string, client: { __typename?: 'Client', name: string }, group: { __typename?: 'ContractGroup', id: string, name: string }, execution?: { __typename?: 'TaskExecution', id: string } | null } }> } };

export type TaskSettingsFragment = { __typename?: 'Task', name: string, description: string, maxConcurrentExecutions: number, maxQueueLength: number, timeoutMinutes: number, runningCount: number, queuedCount: number, scheduledCount: number };

export type TaskListQueryVariables = Exact<{ [key: string]: never; }>;


export type TaskListQuery = { __typename?: 'Query', tasks: Array<{ __typename?: 'Task', name: string, description: string, maxConcurrentExecutions: number, maxQueueLength: number, timeoutMinutes: number, runningCount: number, queuedCount: number, scheduledCount: number }> };

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
    | { __typename: 'Task', name: string, description: string, maxConcurrentExecutions: number, maxQueueLength: number, timeoutMinutes: number, runningCount: number, queuedCount: number, scheduledCount: number }
    | { __typename: 'TaskNotFound', message: string }
   };

export type PageSetupQueryVariables = Exact<{ [key: string]: never; }>;


export type PageSetupQuery = { __typename?: 'Query', extensions: Array<string>, tasks: Array<{ __typename?: 'Task', name: string, description: string, inputSchema: unknown }> };

export type TrackedExecutionFragment = { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, progress?: number | null, queuePosition?: number | null, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, input: unknown, runAt?: string | null, nextAttemptAt?: string | null, priority: number, failedAttempts: number, retryOf?: string | null, task: { __typename?: 'Task', name: string, retry: { __typename?: 'RetryPolicy', attempts: number } } };

export type TrackerExecutionsQueryVariables = Exact<{ [key: string]: never; }>;


export type TrackerExecutionsQuery = { __typename?: 'Query', running: { __typename?: 'TaskExecutionConnection', edges: Array<{ __typename?: 'TaskExecutionEdge', node: { __typename?: 'TaskExecution', feedback: string, id: string, status: TaskExecutionStatus, progress?: number | null, queuePosition?: number | null, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, input: unknown, runAt?: string | null, nextAttemptAt?: string | null, priority: number, failedAttempts: number, retryOf?: string | null, task: { __typename?: 'Task', name: string, retry: { __typename?: 'RetryPolicy', attempts: number } } } }> }, queued: { __typename?: 'TaskExecutionConnection', edges: Array<{ __typename?: 'TaskExecutionEdge', node: { __typename?: 'TaskExecution', feedback: string, id: string, status: TaskExecutionStatus, progress?: number | null, queuePosition?: number | null, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, input: unknown, runAt?: string | null, nextAttemptAt?: string | null, priority: number, failedAttempts: number, retryOf?: string | null, task: { __typename?: 'Task', name: string, retry: { __typename?: 'RetryPolicy', attempts: number } } } }> }, scheduled: { __typename?: 'TaskExecutionConnection', edges: Array<{ __typename?: 'TaskExecutionEdge', node: { __typename?: 'TaskExecution', feedback: string, id: string, status: TaskExecutionStatus, progress?: number | null, queuePosition?: number | null, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, input: unknown, runAt?: string | null, nextAttemptAt?: string | null, priority: number, failedAttempts: number, retryOf?: string | null, task: { __typename?: 'Task', name: string, retry: { __typename?: 'RetryPolicy', attempts: number } } } }> }, recent: { __typename?: 'TaskExecutionConnection', edges: Array<{ __typename?: 'TaskExecutionEdge', node: { __typename?: 'TaskExecution', feedback: string, id: string, status: TaskExecutionStatus, progress?: number | null, queuePosition?: number | null, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, input: unknown, runAt?: string | null, nextAttemptAt?: string | null, priority: number, failedAttempts: number, retryOf?: string | null, task: { __typename?: 'Task', name: string, retry: { __typename?: 'RetryPolicy', attempts: number } } } }> } };

export type QueuePositionsQueryVariables = Exact<{ [key: string]: never; }>;


export type QueuePositionsQuery = { __typename?: 'Query', taskExecutions: { __typename?: 'TaskExecutionConnection', edges: Array<{ __typename?: 'TaskExecutionEdge', node: { __typename?: 'TaskExecution', id: string, queuePosition?: number | null, lastSequence: number } }> } };

export type TrackerUpdatesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type TrackerUpdatesSubscription = { __typename?: 'Subscription', taskExecutionUpdates: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, progress?: number | null, queuePosition?: number | null, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, input: unknown, runAt?: string | null, nextAttemptAt?: string | null, priority: number, failedAttempts: number, retryOf?: string | null, task: { __typename?: 'Task', name: string, retry: { __typename?: 'RetryPolicy', attempts: number } } } };

export type ExecutionFeedbackSubscriptionVariables = Exact<{
  executionId: Scalars['ID']['input'];
  afterSequence?: InputMaybe<Scalars['Int']['input']>;
}>;


export type ExecutionFeedbackSubscription = { __typename?: 'Subscription', taskFeedback: { __typename?: 'TaskFeedbackEvent', sequence: number, kind: TaskFeedbackEventKind, status: TaskExecutionStatus, message?: string | null, mode?: FeedbackMode | null, progress?: number | null, execution: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, progress?: number | null, startedAt?: string | null, finishedAt?: string | null, error?: string | null, runAt?: string | null, nextAttemptAt?: string | null, failedAttempts: number } } };

export type StartTaskMutationVariables = Exact<{
  task: Scalars['String']['input'];
  input?: InputMaybe<Scalars['JSON']['input']>;
  options?: InputMaybe<StartTaskOptions>;
}>;


export type StartTaskMutation = { __typename?: 'Mutation', startTask:
    | { __typename: 'CallerQueueFull', message: string }
    | { __typename: 'InvalidTaskInput', message: string, problems: Array<{ __typename?: 'InputProblem', path: string, message: string }> }
    | { __typename: 'QueueFull', message: string }
    | { __typename: 'ServerShuttingDown', message: string }
    | { __typename: 'StoreUnavailable', message: string }
    | { __typename: 'TaskNotFound', message: string }
    | { __typename: 'TaskQueued', execution: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, progress?: number | null, queuePosition?: number | null, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, input: unknown, runAt?: string | null, nextAttemptAt?: string | null, priority: number, failedAttempts: number, retryOf?: string | null, task: { __typename?: 'Task', name: string, retry: { __typename?: 'RetryPolicy', attempts: number } } } }
    | { __typename: 'TooManyScheduled', message: string }
   };

export type StopTaskMutationVariables = Exact<{
  executionId: Scalars['ID']['input'];
}>;


export type StopTaskMutation = { __typename?: 'Mutation', stopTask:
    | { __typename: 'ExecutionAlreadyFinished', message: string, execution: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, progress?: number | null, queuePosition?: number | null, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, input: unknown, runAt?: string | null, nextAttemptAt?: string | null, priority: number, failedAttempts: number, retryOf?: string | null, task: { __typename?: 'Task', name: string, retry: { __typename?: 'RetryPolicy', attempts: number } } } }
    | { __typename: 'ExecutionNotFound', message: string }
    | { __typename: 'StoreUnavailable', message: string }
    | { __typename: 'TaskStopped', execution: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, progress?: number | null, queuePosition?: number | null, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, input: unknown, runAt?: string | null, nextAttemptAt?: string | null, priority: number, failedAttempts: number, retryOf?: string | null, task: { __typename?: 'Task', name: string, retry: { __typename?: 'RetryPolicy', attempts: number } } } }
   };

export type RetryExecutionMutationVariables = Exact<{
  executionId: Scalars['ID']['input'];
}>;


export type RetryExecutionMutation = { __typename?: 'Mutation', retryExecution:
    | { __typename: 'CallerQueueFull', message: string }
    | { __typename: 'ExecutionNotFound', message: string }
    | { __typename: 'ExecutionNotRetryable', message: string, execution: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, progress?: number | null, queuePosition?: number | null, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, input: unknown, runAt?: string | null, nextAttemptAt?: string | null, priority: number, failedAttempts: number, retryOf?: string | null, task: { __typename?: 'Task', name: string, retry: { __typename?: 'RetryPolicy', attempts: number } } } }
    | { __typename: 'QueueFull', message: string }
    | { __typename: 'ServerShuttingDown', message: string }
    | { __typename: 'StoreUnavailable', message: string }
    | { __typename: 'TaskNotFound', message: string }
    | { __typename: 'TaskQueued', deduplicated: boolean, execution: { __typename?: 'TaskExecution', id: string, status: TaskExecutionStatus, progress?: number | null, queuePosition?: number | null, lastSequence: number, queuedAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, input: unknown, runAt?: string | null, nextAttemptAt?: string | null, priority: number, failedAttempts: number, retryOf?: string | null, task: { __typename?: 'Task', name: string, retry: { __typename?: 'RetryPolicy', attempts: number } } } }
   };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const GroupCardFragmentDoc = new TypedDocumentString(`
    fragment GroupCard on ContractGroup {
  id
  name
  clientCount
  template {
    title
    body
    version
  }
}
    `, {"fragmentName":"GroupCard"}) as unknown as TypedDocumentString<GroupCardFragment, unknown>;
export const TaskSettingsFragmentDoc = new TypedDocumentString(`
    fragment TaskSettings on Task {
  name
  description
  maxConcurrentExecutions
  maxQueueLength
  timeoutMinutes
  runningCount
  queuedCount
  scheduledCount
}
    `, {"fragmentName":"TaskSettings"}) as unknown as TypedDocumentString<TaskSettingsFragment, unknown>;
export const TrackedExecutionFragmentDoc = new TypedDocumentString(`
    fragment TrackedExecution on TaskExecution {
  id
  status
  progress
  queuePosition
  lastSequence
  queuedAt
  startedAt
  finishedAt
  error
  input
  runAt
  nextAttemptAt
  priority
  failedAttempts
  retryOf
  task {
    name
    retry {
      attempts
    }
  }
}
    `, {"fragmentName":"TrackedExecution"}) as unknown as TypedDocumentString<TrackedExecutionFragment, unknown>;
export const ContractGroupsDocument = new TypedDocumentString(`
    query ContractGroups {
  contractGroups {
    ...GroupCard
  }
}
    fragment GroupCard on ContractGroup {
  id
  name
  clientCount
  template {
    title
    body
    version
  }
}`) as unknown as TypedDocumentString<ContractGroupsQuery, ContractGroupsQueryVariables>;
export const UpdateContractTemplateDocument = new TypedDocumentString(`
    mutation UpdateContractTemplate($groupId: ID!, $title: String!, $body: String!) {
  updateContractTemplate(groupId: $groupId, title: $title, body: $body) {
    __typename
    ... on ContractGroup {
      ...GroupCard
    }
    ... on Error {
      message
    }
    ... on InvalidContractInput {
      problems {
        path
        message
      }
    }
  }
}
    fragment GroupCard on ContractGroup {
  id
  name
  clientCount
  template {
    title
    body
    version
  }
}`) as unknown as TypedDocumentString<UpdateContractTemplateMutation, UpdateContractTemplateMutationVariables>;
export const OutboundContractsDocument = new TypedDocumentString(`
    query OutboundContracts($executionId: ID, $first: Int, $after: String) {
  contracts(executionId: $executionId, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        fileName
        sizeBytes
        createdAt
        downloadUrl
        client {
          name
        }
        group {
          id
          name
        }
        execution {
          id
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<OutboundContractsQuery, OutboundContractsQueryVariables>;
export const TaskListDocument = new TypedDocumentString(`
    query TaskList {
  tasks {
    ...TaskSettings
  }
}
    fragment TaskSettings on Task {
  name
  description
  maxConcurrentExecutions
  maxQueueLength
  timeoutMinutes
  runningCount
  queuedCount
  scheduledCount
}`) as unknown as TypedDocumentString<TaskListQuery, TaskListQueryVariables>;
export const ConfigureTaskDocument = new TypedDocumentString(`
    mutation ConfigureTask($task: String!, $maxConcurrentExecutions: Int, $maxQueueLength: Int, $timeoutMinutes: Float) {
  configureTask(
    task: $task
    maxConcurrentExecutions: $maxConcurrentExecutions
    maxQueueLength: $maxQueueLength
    timeoutMinutes: $timeoutMinutes
  ) {
    __typename
    ... on Task {
      ...TaskSettings
    }
    ... on Error {
      message
    }
    ... on InvalidTaskInput {
      problems {
        path
        message
      }
    }
  }
}
    fragment TaskSettings on Task {
  name
  description
  maxConcurrentExecutions
  maxQueueLength
  timeoutMinutes
  runningCount
  queuedCount
  scheduledCount
}`) as unknown as TypedDocumentString<ConfigureTaskMutation, ConfigureTaskMutationVariables>;
export const PageSetupDocument = new TypedDocumentString(`
    query PageSetup {
  extensions
  tasks {
    name
    description
    inputSchema
  }
}
    `) as unknown as TypedDocumentString<PageSetupQuery, PageSetupQueryVariables>;
export const TrackerExecutionsDocument = new TypedDocumentString(`
    query TrackerExecutions {
  running: taskExecutions(status: RUNNING, first: 100) {
    edges {
      node {
        ...TrackedExecution
        feedback
      }
    }
  }
  queued: taskExecutions(status: QUEUED, first: 100) {
    edges {
      node {
        ...TrackedExecution
        feedback
      }
    }
  }
  scheduled: taskExecutions(status: SCHEDULED, first: 100) {
    edges {
      node {
        ...TrackedExecution
        feedback
      }
    }
  }
  recent: taskExecutions(first: 25) {
    edges {
      node {
        ...TrackedExecution
        feedback
      }
    }
  }
}
    fragment TrackedExecution on TaskExecution {
  id
  status
  progress
  queuePosition
  lastSequence
  queuedAt
  startedAt
  finishedAt
  error
  input
  runAt
  nextAttemptAt
  priority
  failedAttempts
  retryOf
  task {
    name
    retry {
      attempts
    }
  }
}`) as unknown as TypedDocumentString<TrackerExecutionsQuery, TrackerExecutionsQueryVariables>;
export const QueuePositionsDocument = new TypedDocumentString(`
    query QueuePositions {
  taskExecutions(status: QUEUED, first: 100) {
    edges {
      node {
        id
        queuePosition
        lastSequence
      }
    }
  }
}
    `) as unknown as TypedDocumentString<QueuePositionsQuery, QueuePositionsQueryVariables>;
export const TrackerUpdatesDocument = new TypedDocumentString(`
    subscription TrackerUpdates {
  taskExecutionUpdates {
    ...TrackedExecution
  }
}
    fragment TrackedExecution on TaskExecution {
  id
  status
  progress
  queuePosition
  lastSequence
  queuedAt
  startedAt
  finishedAt
  error
  input
  runAt
  nextAttemptAt
  priority
  failedAttempts
  retryOf
  task {
    name
    retry {
      attempts
    }
  }
}`) as unknown as TypedDocumentString<TrackerUpdatesSubscription, TrackerUpdatesSubscriptionVariables>;
export const ExecutionFeedbackDocument = new TypedDocumentString(`
    subscription ExecutionFeedback($executionId: ID!, $afterSequence: Int) {
  taskFeedback(executionId: $executionId, afterSequence: $afterSequence) {
    sequence
    kind
    status
    message
    mode
    progress
    execution {
      id
      status
      progress
      startedAt
      finishedAt
      error
      runAt
      nextAttemptAt
      failedAttempts
    }
  }
}
    `) as unknown as TypedDocumentString<ExecutionFeedbackSubscription, ExecutionFeedbackSubscriptionVariables>;
export const StartTaskDocument = new TypedDocumentString(`
    mutation StartTask($task: String!, $input: JSON, $options: StartTaskOptions) {
  startTask(task: $task, input: $input, options: $options) {
    __typename
    ... on TaskQueued {
      execution {
        ...TrackedExecution
      }
    }
    ... on Error {
      message
    }
    ... on InvalidTaskInput {
      problems {
        path
        message
      }
    }
  }
}
    fragment TrackedExecution on TaskExecution {
  id
  status
  progress
  queuePosition
  lastSequence
  queuedAt
  startedAt
  finishedAt
  error
  input
  runAt
  nextAttemptAt
  priority
  failedAttempts
  retryOf
  task {
    name
    retry {
      attempts
    }
  }
}`) as unknown as TypedDocumentString<StartTaskMutation, StartTaskMutationVariables>;
export const StopTaskDocument = new TypedDocumentString(`
    mutation StopTask($executionId: ID!) {
  stopTask(executionId: $executionId) {
    __typename
    ... on TaskStopped {
      execution {
        ...TrackedExecution
      }
    }
    ... on ExecutionAlreadyFinished {
      execution {
        ...TrackedExecution
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment TrackedExecution on TaskExecution {
  id
  status
  progress
  queuePosition
  lastSequence
  queuedAt
  startedAt
  finishedAt
  error
  input
  runAt
  nextAttemptAt
  priority
  failedAttempts
  retryOf
  task {
    name
    retry {
      attempts
    }
  }
}`) as unknown as TypedDocumentString<StopTaskMutation, StopTaskMutationVariables>;
export const RetryExecutionDocument = new TypedDocumentString(`
    mutation RetryExecution($executionId: ID!) {
  retryExecution(executionId: $executionId) {
    __typename
    ... on TaskQueued {
      deduplicated
      execution {
        ...TrackedExecution
      }
    }
    ... on ExecutionNotRetryable {
      execution {
        ...TrackedExecution
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment TrackedExecution on TaskExecution {
  id
  status
  progress
  queuePosition
  lastSequence
  queuedAt
  startedAt
  finishedAt
  error
  input
  runAt
  nextAttemptAt
  priority
  failedAttempts
  retryOf
  task {
    name
    retry {
      attempts
    }
  }
}`) as unknown as TypedDocumentString<RetryExecutionMutation, RetryExecutionMutationVariables>;