import type { Builder } from './builder.js';

/** Result unions of the task mutations: expected outcomes are data, each error type an `Error`. */
export function addTaskResults(builder: Builder) {
  builder.objectType('TaskQueued', {
    description: 'The execution was accepted: it waits for its time (SCHEDULED) or a run slot, or already runs.',
    fields: (t) => ({
      execution: t.field({ type: 'TaskExecution', resolve: (outcome) => outcome.execution }),
      deduplicated: t.exposeBoolean('deduplicated', {
        description:
          'True when an earlier start with the same idempotencyKey (same task and caller, within the idempotency window) ' +
          'made this execution: nothing new was started.',
      }),
    }),
  });
  builder.objectType('TooManyScheduled', {
    description: 'The task has MAX_SCHEDULED_EXECUTIONS executions waiting for their time already; nothing was stored.',
    interfaces: ['Error'],
    fields: (t) => ({
      task: t.exposeString('task'),
      maxScheduledExecutions: t.exposeInt('maxScheduledExecutions'),
    }),
  });
  builder.objectType('ExecutionNotRetryable', {
    description: 'Only a FAILED or TIMED_OUT execution can be retried; this one is not (see its status).',
    interfaces: ['Error'],
    fields: (t) => ({ execution: t.field({ type: 'TaskExecution', resolve: (outcome) => outcome.execution }) }),
  });
  builder.objectType('QueueFull', {
    description: 'The task already has maxQueueLength executions waiting; nothing was stored.',
    interfaces: ['Error'],
    fields: (t) => ({
      task: t.exposeString('task'),
      maxQueueLength: t.exposeInt('maxQueueLength'),
    }),
  });
  builder.objectType('CallerQueueFull', {
    description:
      'This caller already has maxQueuedPerCaller executions of the task waiting; nothing was stored. Other callers are not ' +
      'affected: the limit keeps one caller from filling the queue for everyone.',
    interfaces: ['Error'],
    fields: (t) => ({
      task: t.exposeString('task'),
      maxQueuedPerCaller: t.exposeInt('maxQueuedPerCaller'),
      caller: t.exposeString('caller', { nullable: true, description: 'The caller (token name); null when the server runs open.' }),
    }),
  });
  builder.objectType('ExecutionDeleted', {
    description: 'The execution, its events and what its task kept for it (such as contracts) are deleted.',
    fields: (t) => ({ executionId: t.exposeID('executionId') }),
  });
  builder.objectType('ExecutionNotFinished', {
    description: 'Only a finished execution can be deleted; this one still waits or runs (stop it first).',
    interfaces: ['Error'],
    fields: (t) => ({ execution: t.field({ type: 'TaskExecution', resolve: (outcome) => outcome.execution }) }),
  });
  builder.objectType('TaskNotFound', {
    interfaces: ['Error'],
    fields: (t) => ({
      task: t.exposeString('task'),
    }),
  });
  builder.objectType('InvalidTaskInput', {
    description: 'The input (or the new limits) did not pass validation; nothing was changed.',
    interfaces: ['Error'],
    fields: (t) => ({
      task: t.exposeString('task'),
      problems: t.field({ type: ['InputProblem'], resolve: (outcome) => outcome.problems }),
    }),
  });
  builder.objectType('TaskStopped', {
    fields: (t) => ({ execution: t.field({ type: 'TaskExecution', resolve: (outcome) => outcome.execution }) }),
  });
  builder.objectType('ExecutionNotFound', {
    interfaces: ['Error'],
    fields: (t) => ({
      executionId: t.exposeID('executionId'),
    }),
  });
  builder.objectType('ExecutionAlreadyFinished', {
    interfaces: ['Error'],
    fields: (t) => ({
      execution: t.field({ type: 'TaskExecution', resolve: (outcome) => outcome.execution }),
    }),
  });

  builder.objectType('ServerShuttingDown', {
    description: 'The server is shutting down (SIGTERM): nothing was stored; retry on another instance.',
    interfaces: ['Error'],
    fields: () => ({}),
  });
  builder.objectType('StoreUnavailable', {
    description: 'The database could not be reached. Retry shortly (or on another instance); see maybeApplied.',
    interfaces: ['Error'],
    fields: (t) => ({
      maybeApplied: t.exposeBoolean('maybeApplied', {
        description:
          'False: the operation never reached the database, nothing was changed. True: the connection broke while it was ' +
          'under way, so it may have been applied: look (taskStatus, taskExecutions) before repeating it.',
      }),
    }),
  });
  builder.objectType('Forbidden', {
    description: "The caller's token may not do this: only admin tokens configure tasks and edit contract data.",
    interfaces: ['Error'],
    fields: (t) => ({ action: t.exposeString('action') }),
  });

  const byKind = (value: unknown) => (value as { kind: string }).kind;
  const StartTaskResult = builder.unionType('StartTaskResult', {
    types: [
      'TaskQueued',
      'QueueFull',
      'CallerQueueFull',
      'TooManyScheduled',
      'TaskNotFound',
      'InvalidTaskInput',
      'ServerShuttingDown',
      'StoreUnavailable',
    ],
    resolveType: byKind,
  });
  const RetryExecutionResult = builder.unionType('RetryExecutionResult', {
    types: [
      'TaskQueued',
      'ExecutionNotFound',
      'ExecutionNotRetryable',
      'QueueFull',
      'CallerQueueFull',
      'TaskNotFound',
      'ServerShuttingDown',
      'StoreUnavailable',
    ],
    resolveType: byKind,
  });
  const StopTaskResult = builder.unionType('StopTaskResult', {
    types: ['TaskStopped', 'ExecutionNotFound', 'ExecutionAlreadyFinished', 'StoreUnavailable'],
    resolveType: byKind,
  });
  const DeleteExecutionResult = builder.unionType('DeleteExecutionResult', {
    types: ['ExecutionDeleted', 'ExecutionNotFound', 'ExecutionNotFinished', 'StoreUnavailable'],
    resolveType: byKind,
  });
  const ConfigureTaskResult = builder.unionType('ConfigureTaskResult', {
    types: ['Task', 'TaskNotFound', 'InvalidTaskInput', 'Forbidden', 'StoreUnavailable'],
    // A Task carries no `kind`: it is the success case.
    resolveType: (value) => ('kind' in value ? (value as { kind: string }).kind : 'Task'),
  });
  return { StartTaskResult, RetryExecutionResult, StopTaskResult, DeleteExecutionResult, ConfigureTaskResult };
}

export type TaskResults = ReturnType<typeof addTaskResults>;
