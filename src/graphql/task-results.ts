import type { Builder } from './builder.js';

/** Result unions of the task mutations: expected outcomes are data, each error type an `Error`. */
export function addTaskResults(builder: Builder) {
  builder.objectType('TaskQueued', {
    description: 'The execution was accepted and waits for (or already has) a run slot.',
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
    types: ['TaskQueued', 'QueueFull', 'TaskNotFound', 'InvalidTaskInput', 'ServerShuttingDown', 'StoreUnavailable'],
    resolveType: byKind,
  });
  const StopTaskResult = builder.unionType('StopTaskResult', {
    types: ['TaskStopped', 'ExecutionNotFound', 'ExecutionAlreadyFinished', 'StoreUnavailable'],
    resolveType: byKind,
  });
  const ConfigureTaskResult = builder.unionType('ConfigureTaskResult', {
    types: ['Task', 'TaskNotFound', 'InvalidTaskInput', 'Forbidden', 'StoreUnavailable'],
    // A Task carries no `kind`: it is the success case.
    resolveType: (value) => ('kind' in value ? (value as { kind: string }).kind : 'Task'),
  });
  return { StartTaskResult, StopTaskResult, ConfigureTaskResult };
}

export type TaskResults = ReturnType<typeof addTaskResults>;
