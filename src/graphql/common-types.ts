import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { GraphQLError } from 'graphql';
import { InvalidCursorError, type Page, type PageRequest } from '../store/store.js';
import type { Builder, CoreErrorOutcome, ErrorOutcome, PageInfo, StoreUnavailable } from './builder.js';

/** Scalars, the Error interface shared by every error type, and Relay-style page info. */
export function addCommonTypes(builder: Builder): void {
  builder.addScalarType('JSON', JSONResolver);
  builder.addScalarType('DateTime', DateTimeResolver);

  builder.interfaceType('Error', {
    description: 'An expected problem, returned as data in a result union.',
    fields: (t) => ({ message: t.string({ description: 'What went wrong, for people.', resolve: errorMessage }) }),
  });

  builder.objectType('InputProblem', {
    description: 'One problem with an input: where it is and what is wrong.',
    fields: (t) => ({
      path: t.exposeString('path', { description: 'Dotted path of the offending field; empty for the whole input.' }),
      message: t.exposeString('message'),
    }),
  });

  builder.objectType('PageInfo', {
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage'),
      hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
      startCursor: t.exposeString('startCursor', { nullable: true }),
      endCursor: t.exposeString('endCursor', { nullable: true }),
    }),
  });
}

export function pageInfoOf(page: Page<unknown>): PageInfo {
  return {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: page.edges[0]?.cursor ?? null,
    endCursor: page.edges.at(-1)?.cursor ?? null,
  };
}

/** Connection arguments: newest first, `first` at most 100. */
export const maxPageSize = 100;

export function pageArgs(t: Parameters<Parameters<Builder['queryFields']>[0]>[0]) {
  return {
    first: t.arg.int({ required: false, description: `How many items, at most ${maxPageSize}; default 20.` }),
    after: t.arg.string({ required: false, description: 'The endCursor of the previous page.' }),
  };
}

/** Turns connection arguments into a store page request, refusing sizes out of range. */
export function pageRequestOf(args: { first?: number | null; after?: string | null }): PageRequest {
  const first = args.first ?? 20;
  if (first < 0 || first > maxPageSize) {
    throw new GraphQLError(`"first" must be between 0 and ${maxPageSize} (got ${first})`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return { first, after: args.after ?? null };
}

/** Store errors caused by the caller's arguments become clear GraphQL errors instead of being masked. */
export async function withUserErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
    throw error;
  }
}

/**
 * The human-readable message of an error type: the core's, made here in one place, or the one an
 * extension's outcome carries.
 */
export function errorMessage(error: ErrorOutcome): string {
  if ('message' in error && typeof error.message === 'string') return error.message;
  const core = error as Exclude<CoreErrorOutcome, StoreUnavailable>;
  switch (core.kind) {
    case 'QueueFull':
      return `Queue full: task ${core.task} already has ${core.maxQueueLength} execution(s) waiting`;
    case 'CallerQueueFull':
      return `Queue full for this caller: ${core.caller === null ? 'the open caller' : core.caller} already has ${core.maxQueuedPerCaller} execution(s) of task ${core.task} waiting (maxQueuedPerCaller); other callers can still start it`;
    case 'ExecutionNotFinished':
      return `Execution ${core.execution.id} is ${core.execution.status}: only a finished execution can be deleted (stop it first)`;
    case 'TooManyScheduled':
      return `Task ${core.task} already has ${core.maxScheduledExecutions} scheduled execution(s) waiting for their time`;
    case 'ExecutionNotRetryable':
      return `Execution ${core.execution.id} is ${core.execution.status}: only a FAILED or TIMED_OUT execution can be retried`;
    case 'InvalidSchedule':
      return `Invalid schedule: ${describeProblems(core.problems)}`;
    case 'TooManySchedules':
      return `There are ${core.maxSchedules} schedules already, the most this server keeps (MAX_SCHEDULES)`;
    case 'ScheduleNotFound':
      return `No schedule has the id "${core.id}"`;
    case 'ScheduleInCode':
      return `Schedule ${core.id} is declared in the code of task ${core.task}: remove it there`;
    case 'TaskNotFound':
      return `No task is named "${core.task}"`;
    case 'InvalidTaskInput':
      return `Invalid input for task ${core.task}: ${describeProblems(core.problems)}`;
    case 'ExecutionNotFound':
      return `No execution has the id "${core.executionId}"`;
    case 'ExecutionAlreadyFinished':
      return `Execution ${core.execution.id} already finished with status ${core.execution.status}`;
    case 'ServerShuttingDown':
      return 'The server is shutting down and accepts no new executions; start it again on another instance or later';
    case 'Forbidden':
      return `Only an admin token may ${core.action}`;
  }
}

/** "path: message; path: message", for the message of an error that lists input problems. */
export function describeProblems(problems: ReadonlyArray<{ path: string; message: string }>): string {
  return problems.map((problem) => (problem.path ? `${problem.path}: ${problem.message}` : problem.message)).join('; ');
}

