import { GraphQLError } from 'graphql';
import { canSee, ownedBy, type Principal } from '../auth/principal.js';
import { holdSubscription } from '../server/caller-limits.js';
import { EventsUnavailableError, SequenceAheadError } from '../engine/errors.js';
import type { Listener } from '../engine/events.js';
import type { Execution } from '../engine/execution.js';
import { forbidden, orStoreUnavailable, type Builder, type ResolverEngine as Engine } from './builder.js';
import { pageArgs, pageRequestOf, withUserErrors } from './common-types.js';
import { endingWithFailure, eventsUnavailable, unlessFailed } from './stream-failure.js';
import type { TaskResults } from './task-results.js';
import type { TaskEnums } from './task-types.js';

/** Start Task, Stop Task, Task Status, configuration and the task listings. Resolvers stay thin. */
export function addTaskOperations(builder: Builder, refs: TaskEnums & TaskResults): void {
  builder.queryFields((t) => ({
    tasks: t.field({ type: ['Task'], resolve: (_, __, { engine }) => engine.tasks() }),
    task: t.field({
      type: 'Task',
      nullable: true,
      args: { name: t.arg.string({ required: true }) },
      resolve: (_, { name }, { engine }) => engine.task(name),
    }),
    taskStatus: t.field({
      type: 'TaskExecution',
      nullable: true,
      description: 'Task Status: the execution, or null when no execution has this id.',
      args: { executionId: t.arg.id({ required: true }) },
      // Another caller's execution is answered exactly like an unknown one.
      resolve: (_, { executionId }, { engine, principal }) => visibleExecution(engine, principal, String(executionId)),
    }),
    taskExecutions: t.field({
      type: 'TaskExecutionConnection',
      description: 'Executions, newest first, optionally of one task and/or in one status.',
      args: {
        task: t.arg.string({ required: false }),
        status: t.arg({ type: refs.TaskExecutionStatus, required: false }),
        ...pageArgs(t),
      },
      resolve: (_, args, { engine, principal }) =>
        withUserErrors(() =>
          engine.list({ task: args.task, status: args.status, startedBy: ownedBy(principal) }, pageRequestOf(args)),
        ),
    }),
  }));

  const StartTaskOptions = builder.inputType('StartTaskOptions', {
    description: 'When and how a start runs. Invalid options are answered as InvalidTaskInput (paths options.*).',
    fields: (t) => ({
      runAt: t.field({
        type: 'DateTime',
        description:
          'Start at this moment (up to a year ahead): the execution is SCHEDULED until then (holding no queue place), then QUEUED. ' +
          'A past moment starts now.',
      }),
      delayMs: t.int({ description: 'Start this many ms from now (up to 2147483647, about 24 days; use runAt for later); instead of runAt.' }),
      priority: t.int({ description: 'Higher runs first among the waiting executions of the task (-1000 to 1000, default 0); FIFO within one priority.' }),
      idempotencyKey: t.string({
        description:
          'A second start with this key (same task and caller) within IDEMPOTENCY_WINDOW_MS (default a day) returns the first ' +
          'execution with deduplicated: true, whatever its status or the new input: retry a start after a network error with it.',
      }),
    }),
  });

  builder.mutationFields((t) => ({
    startTask: t.field({
      type: refs.StartTaskResult,
      description: 'Start Task: validates the input, snapshots it and queues an execution (or answers QueueFull).',
      args: {
        task: t.arg.string({ required: true }),
        input: t.arg({ type: 'JSON', required: false }),
        options: t.arg({ type: StartTaskOptions, required: false }),
      },
      resolve: (_, { task, input, options }, { engine, principal }) =>
        orStoreUnavailable(() => engine.start(task, input, { startedBy: principal.name }, options ?? {})),
    }),
    retryExecution: t.field({
      type: refs.RetryExecutionResult,
      description:
        'Starts a FAILED or TIMED_OUT execution again as a new execution (retryOf) with the same input snapshot, priority and owner. ' +
        'Once per execution: asking again returns that retry (deduplicated: true).',
      args: { executionId: t.arg.id({ required: true }) },
      resolve: (_, { executionId }, { engine, principal }) =>
        orStoreUnavailable(async () => {
          const id = String(executionId);
          if (!(await visibleExecution(engine, principal, id))) return { kind: 'ExecutionNotFound' as const, executionId: id };
          return engine.retry(id);
        }),
    }),
    stopTask: t.field({
      type: refs.StopTaskResult,
      description: 'Stop Task: a queued execution stops at once; a running one is aborted and is STOPPED when this returns.',
      args: { executionId: t.arg.id({ required: true }) },
      resolve: (_, { executionId }, { engine, principal }) =>
        orStoreUnavailable(async () => {
          const id = String(executionId);
          if (!(await visibleExecution(engine, principal, id))) return { kind: 'ExecutionNotFound' as const, executionId: id };
          return engine.stop(id);
        }),
    }),
    deleteExecution: t.field({
      type: refs.DeleteExecutionResult,
      description:
        'Deletes a finished execution now, with its events and what its task keeps for it (the contract example: its contracts ' +
        "and PDFs), as its retention would later. Its owner or an admin; another caller's is answered as ExecutionNotFound.",
      args: { executionId: t.arg.id({ required: true }) },
      resolve: (_, { executionId }, { engine, principal }) =>
        orStoreUnavailable(async () => {
          const id = String(executionId);
          if (!(await visibleExecution(engine, principal, id))) return { kind: 'ExecutionNotFound' as const, executionId: id };
          return engine.deleteExecution(id);
        }),
    }),
    configureTask: t.field({
      type: refs.ConfigureTaskResult,
      description: 'Changes limits at run time; the change is stored and applies to new admissions and claims.',
      args: {
        task: t.arg.string({ required: true }),
        maxConcurrentExecutions: t.arg.int({ required: false }),
        maxQueueLength: t.arg.int({ required: false }),
        timeoutMinutes: t.arg.float({ required: false }),
        maxQueuedPerCaller: t.arg.int({ required: false, description: 'Executions one caller may have waiting (CallerQueueFull beyond it).' }),
      },
      resolve: async (_, { task, ...limits }, { engine, principal }) => {
        if (principal.role !== 'admin') return forbidden('configure tasks');
        const outcome = await orStoreUnavailable(() =>
          engine.configure(task, {
            maxConcurrentExecutions: limits.maxConcurrentExecutions ?? undefined,
            maxQueueLength: limits.maxQueueLength ?? undefined,
            timeoutMinutes: limits.timeoutMinutes ?? undefined,
            maxQueuedPerCaller: limits.maxQueuedPerCaller ?? undefined,
          }),
        );
        return outcome.kind === 'Task' ? outcome.task : outcome;
      },
    }),
  }));

  builder.subscriptionFields((t) => ({
    taskFeedback: t.field({
      type: 'TaskFeedbackEvent',
      description:
        'Events of one execution, in order, without gaps or repeats; completes after the terminal status. ' +
        'Without afterSequence it starts with the latest event; with it, stored events after that sequence are replayed first.',
      args: { executionId: t.arg.id({ required: true }), afterSequence: t.arg.int({ required: false }) },
      subscribe: async (_, { executionId, afterSequence }, { engine, principal, caller, subscriptionPlaces, feedbackFanOut, liveDelivery }, info) => {
        if (afterSequence != null && afterSequence < 0) {
          throw new GraphQLError('afterSequence must be 0 or more', { extensions: { code: 'BAD_USER_INPUT' } });
        }
        return holdSubscription(subscriptionPlaces, caller, async () => {
          const visible = await visibleExecution(engine, principal, String(executionId));
          // Over graphql-ws, live events are executed once for all like subscribers; over HTTP each has its own stream.
          const stream =
            visible &&
            (await openFeedback(() =>
              liveDelivery
                ? feedbackFanOut.join({ execution: visible, afterSequence: afterSequence ?? null, principal, delivery: liveDelivery, info })
                : engine.openFeedbackStream(String(executionId), afterSequence ?? null),
            ));
          if (!stream) {
            throw new GraphQLError(`No execution has the id "${executionId}"`, { extensions: { code: 'EXECUTION_NOT_FOUND' } });
          }
          return endingWithFailure(stream);
        });
      },
      resolve: (change) => unlessFailed(change),
    }),
    taskExecutionUpdates: t.field({
      type: 'TaskExecution',
      description: 'The tracker feed: an execution whenever its status changes, and its progress, coalesced.',
      args: { task: t.arg.string({ required: false }) },
      subscribe: (_, { task }, { engine, principal, caller, subscriptionPlaces }) =>
        holdSubscription(subscriptionPlaces, caller, async () => endingWithFailure(updatesOf(listenToUpdates(engine), task ?? null, ownedBy(principal)))),
      resolve: (execution) => unlessFailed(execution),
    }),
  }));
}

async function openFeedback<T>(open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof SequenceAheadError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
    if (error instanceof EventsUnavailableError) throw eventsUnavailable(error);
    throw error;
  }
}

function listenToUpdates(engine: Engine) {
  try {
    return engine.listenToUpdates();
  } catch (error) {
    if (error instanceof EventsUnavailableError) throw eventsUnavailable(error);
    throw error;
  }
}

/** The execution if the caller may see it, else null (exactly as if it did not exist). */
async function visibleExecution(engine: Engine, principal: Principal, executionId: string): Promise<Execution | null> {
  const execution = await engine.status(executionId);
  return execution && canSee(principal, execution.startedBy) ? execution : null;
}

/** Adapts a tracker listener to an async iterator whose `return()` ends it at once. */
function updatesOf(
  listener: Pick<Listener<Execution>, 'take' | 'close'>,
  task: string | null,
  startedBy: string | null,
): AsyncIterableIterator<Execution> {
  const iterator: AsyncIterableIterator<Execution> = {
    async next() {
      for (;;) {
        const taken = await listener.take();
        if (taken.kind === 'closed') return { done: true, value: undefined };
        if (taken.kind === 'failed') throw taken.error;
        if (taken.kind !== 'value') continue;
        const execution = taken.value;
        if ((task === null || execution.task === task) && (startedBy === null || execution.startedBy === startedBy)) {
          return { done: false, value: execution };
        }
      }
    },
    async return() {
      listener.close();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
