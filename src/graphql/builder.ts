// The builder's types live in @pothos/core's global PothosSchemaTypes namespace: this keeps the
// reference in the emitted .d.ts, so a project compiling against the package finds them.
/// <reference types="@pothos/core" preserve="true" />
import SchemaBuilder from '@pothos/core';
import type { Principal } from '../auth/principal.js';
import type { DeleteOutcome, Engine, RetryOutcome, StartOutcome, StopOutcome, TaskInfo } from '../engine/engine.js';
import type { ExecutionChangeEvent } from '../engine/events.js';
import type { AttemptRecord, Execution } from '../engine/execution.js';
import type { RetryPolicy } from '../engine/retry-policy.js';
import type { CreateScheduleOutcome, DeleteScheduleOutcome } from '../engine/schedules.js';
import type { InputProblem } from '../engine/task-definition.js';
import type { CallerCounter } from '../server/caller-limits.js';
import type { FeedbackFanOut, LiveDelivery } from './feedback-fan-out.js';
import { StoreUnavailableError, type Page, type Schedule } from '../store/store.js';

/**
 * What every resolver gets; one context serves HTTP and WebSocket alike. Extensions' resolvers
 * get it too, and reach their own services through their closures.
 */
export interface GraphQLContext {
  /** The authenticated caller: what they may see and do. */
  principal: Principal;
  /** Who per-caller limits count against (see caller-limits.ts). */
  caller: string;
  /** Open subscriptions per caller, over WebSocket and server-sent events together. */
  subscriptionPlaces: CallerCounter;
  /** The engine's operations (start, stop, status, listings, streams); not its lifecycle. */
  engine: ResolverEngine;
  /** Shares the live events of taskFeedback among WebSocket subscribers (feedback-fan-out.ts). */
  feedbackFanOut: FeedbackFanOut;
  /** On a graphql-ws operation: how shared live events reach its socket. Absent over HTTP. */
  liveDelivery?: LiveDelivery;
}

/** What resolvers may call: the server alone registers tasks, starts sweeping and closes the engine. */
export type ResolverEngine = Omit<Engine, 'register' | 'startSweeping' | 'close' | 'settle'>;

type Outcome<U, K> = Extract<U, { kind: K }>;

/**
 * The Pothos builder. The core's object types are declared by name here and defined in one file
 * per area, each exporting an `add…` function, so building the schema has no import-time side
 * effects. Extensions declare theirs with `builder.objectRef<T>('Name')`: they need no entry here.
 */
export function createBuilder() {
  return new SchemaBuilder<{
    Context: GraphQLContext;
    DefaultFieldNullability: false;
    Scalars: {
      JSON: { Input: unknown; Output: unknown };
      DateTime: { Input: Date; Output: Date };
    };
    Interfaces: { Error: ErrorOutcome };
    Objects: {
      Task: TaskInfo;
      TaskExecution: Execution;
      TaskFeedbackEvent: Partial<ExecutionChangeEvent> & Pick<ExecutionChangeEvent, 'event'>;
      TaskQueued: Outcome<StartOutcome, 'TaskQueued'>;
      QueueFull: Outcome<StartOutcome, 'QueueFull'>;
      CallerQueueFull: Outcome<StartOutcome, 'CallerQueueFull'>;
      ExecutionDeleted: Outcome<DeleteOutcome, 'ExecutionDeleted'>;
      ExecutionNotFinished: Outcome<DeleteOutcome, 'ExecutionNotFinished'>;
      TooManyScheduled: Outcome<StartOutcome, 'TooManyScheduled'>;
      ExecutionNotRetryable: Outcome<RetryOutcome, 'ExecutionNotRetryable'>;
      TaskAttempt: AttemptRecord;
      RetryPolicy: Required<RetryPolicy>;
      Schedule: Schedule;
      ScheduleConnection: Page<Schedule>;
      ScheduleEdge: Page<Schedule>['edges'][number];
      InvalidSchedule: Outcome<CreateScheduleOutcome, 'InvalidSchedule'>;
      TooManySchedules: Outcome<CreateScheduleOutcome, 'TooManySchedules'>;
      ScheduleDeleted: Outcome<DeleteScheduleOutcome, 'ScheduleDeleted'>;
      ScheduleNotFound: Outcome<DeleteScheduleOutcome, 'ScheduleNotFound'>;
      ScheduleInCode: Outcome<DeleteScheduleOutcome, 'ScheduleInCode'>;
      TaskNotFound: Outcome<StartOutcome, 'TaskNotFound'>;
      InvalidTaskInput: Outcome<StartOutcome, 'InvalidTaskInput'>;
      InputProblem: InputProblem;
      TaskStopped: Outcome<StopOutcome, 'TaskStopped'>;
      ExecutionNotFound: Outcome<StopOutcome, 'ExecutionNotFound'>;
      ExecutionAlreadyFinished: Outcome<StopOutcome, 'ExecutionAlreadyFinished'>;
      Forbidden: Forbidden;
      ServerShuttingDown: Outcome<StartOutcome, 'ServerShuttingDown'>;
      StoreUnavailable: StoreUnavailable;
      PageInfo: PageInfo;
      TaskExecutionConnection: Page<Execution>;
      TaskExecutionEdge: Page<Execution>['edges'][number];
    };
  }>({ defaultFieldNullability: false });
}

export type Builder = ReturnType<typeof createBuilder>;

/** Every core error type is backed by an outcome whose `kind` is its GraphQL type name. */
export type CoreErrorOutcome =
  | Outcome<StartOutcome, 'QueueFull' | 'CallerQueueFull' | 'TooManyScheduled' | 'TaskNotFound' | 'InvalidTaskInput'>
  | Outcome<DeleteOutcome, 'ExecutionNotFinished'>
  | Outcome<RetryOutcome, 'ExecutionNotRetryable'>
  | Outcome<CreateScheduleOutcome, 'InvalidSchedule' | 'TooManySchedules'>
  | Outcome<DeleteScheduleOutcome, 'ScheduleNotFound' | 'ScheduleInCode'>
  | Outcome<StopOutcome, 'ExecutionNotFound' | 'ExecutionAlreadyFinished'>
  | Outcome<StartOutcome, 'ServerShuttingDown'>
  | Forbidden
  | StoreUnavailable;

/**
 * What backs an error type an extension adds (implementing `Error`): its GraphQL type name as
 * `kind`, and the `message` for people.
 */
export interface ExtensionErrorOutcome {
  kind: string;
  message: string;
}

export type ErrorOutcome = CoreErrorOutcome | ExtensionErrorOutcome;

/** The database could not be reached (see StoreUnavailableError for `maybeApplied`). */
export interface StoreUnavailable {
  kind: 'StoreUnavailable';
  maybeApplied: boolean;
  message: string;
}

/**
 * Runs a mutation's service call, answering an unreachable database as the StoreUnavailable
 * member of its result union: errors as data, which a client can retry on.
 */
export async function orStoreUnavailable<T>(work: () => Promise<T>): Promise<T | StoreUnavailable> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StoreUnavailableError) return { kind: 'StoreUnavailable', maybeApplied: error.maybeApplied, message: error.message };
    throw error;
  }
}

/** The caller's token may not do this (only admins configure tasks and edit contract data). */
export interface Forbidden {
  kind: 'Forbidden';
  action: string;
}

export function forbidden(action: string): Forbidden {
  return { kind: 'Forbidden', action };
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

