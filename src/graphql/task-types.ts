import { executionStatuses } from '../engine/execution.js';
import type { TaskInfo } from '../engine/engine.js';
import type { Builder } from './builder.js';
import { pageInfoOf } from './common-types.js';

/** Task, TaskExecution, the feedback event, their enums and the execution connection. */
export function addTaskTypes(builder: Builder) {
  const TaskExecutionStatus = builder.enumType('TaskExecutionStatus', {
    values: executionStatuses,
    description:
      'QUEUED → RUNNING → COMPLETED | FAILED | STOPPED | TIMED_OUT; a QUEUED execution can also be STOPPED, ' +
      'or FAILED when the embedded store shuts down before it ran.',
  });
  const FeedbackMode = builder.enumType('FeedbackMode', {
    values: ['REPLACE', 'APPEND'] as const,
    description: 'REPLACE sets the feedback text; APPEND adds the message as a new line.',
  });
  const TaskFeedbackEventKind = builder.enumType('TaskFeedbackEventKind', {
    values: ['STATUS', 'FEEDBACK'] as const,
    description: 'STATUS: the execution changed status; FEEDBACK: the task sent feedback.',
  });

  builder.objectType('Task', {
    description: 'A task definition: what can be started, and its limits.',
    fields: (t) => ({
      name: t.exposeString('name', { description: 'Unique technical name.' }),
      description: t.exposeString('description'),
      maxConcurrentExecutions: t.int({ resolve: (task) => task.limits.maxConcurrentExecutions }),
      maxQueueLength: t.int({
        description: 'Executions allowed to wait for a run slot; a start beyond it is refused as QueueFull.',
        resolve: (task) => task.limits.maxQueueLength,
      }),
      timeoutMinutes: t.float({
        description: 'Counted from the moment an execution starts running.',
        resolve: (task) => task.limits.timeoutMinutes,
      }),
      inputSchema: t.field({
        type: 'JSON',
        description: "The task's input as JSON Schema (draft 2020-12): what startTask's input may be. Every start is still validated.",
        resolve: (task) => task.inputSchema,
      }),
      runningCount: t.int({ resolve: async (task, _, { engine }) => (await engine.counts(task.name)).running }),
      queuedCount: t.int({ resolve: async (task, _, { engine }) => (await engine.counts(task.name)).queued }),
    }),
  });

  builder.objectType('TaskExecution', {
    description: 'One start of a task (an execution, or job).',
    fields: (t) => ({
      id: t.exposeID('id'),
      task: t.field({
        type: 'Task',
        resolve: async (execution, _, { engine }) => (await engine.task(execution.task)) ?? unregisteredTask(execution.task),
      }),
      status: t.field({ type: TaskExecutionStatus, resolve: (execution) => execution.status }),
      input: t.field({ type: 'JSON', description: 'The input snapshot taken at start.', resolve: (execution) => execution.input }),
      feedback: t.exposeString('feedback', { description: 'The feedback text: replaced or appended to by the task.' }),
      progress: t.float({ nullable: true, description: '0..1, once the task reports it.', resolve: (execution) => execution.progress }),
      queuePosition: t.int({
        nullable: true,
        description: '1-based place in the queue while QUEUED.',
        resolve: (execution, _, { engine }) => (execution.status === 'QUEUED' ? engine.queuePosition(execution.id) : null),
      }),
      result: t.field({ type: 'JSON', nullable: true, resolve: (execution) => execution.result ?? null }),
      error: t.exposeString('error', { nullable: true }),
      attempt: t.exposeInt('attempt', {
        description: 'How many times the execution has started running, runs handed back at a clean server shutdown included.',
      }),
      lostAttempts: t.exposeInt('lostAttempts', {
        description: 'Runs lost because their server died (lease expired); at MAX_ATTEMPTS lost, the execution ends FAILED.',
      }),
      lastSequence: t.exposeInt('lastSequence', { description: 'Sequence number of the latest feedback event.' }),
      queuedAt: t.field({ type: 'DateTime', resolve: (execution) => execution.queuedAt }),
      startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (execution) => execution.startedAt }),
      finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (execution) => execution.finishedAt }),
    }),
  });

  builder.objectType('TaskFeedbackEvent', {
    description: 'One event of an execution: a status change or feedback sent by the task.',
    fields: (t) => ({
      sequence: t.int({ description: 'Per execution, from 1, without gaps.', resolve: ({ event }) => event.sequence }),
      at: t.field({ type: 'DateTime', resolve: ({ event }) => event.at }),
      kind: t.field({ type: TaskFeedbackEventKind, resolve: ({ event }) => event.kind }),
      status: t.field({ type: TaskExecutionStatus, description: 'The status right after this event.', resolve: ({ event }) => event.status }),
      message: t.string({ nullable: true, resolve: ({ event }) => event.message }),
      mode: t.field({ type: FeedbackMode, nullable: true, resolve: ({ event }) => event.mode }),
      progress: t.float({ nullable: true, resolve: ({ event }) => event.progress }),
      execution: t.field({
        type: 'TaskExecution',
        description: 'The execution right after this event; for events replayed from the log (afterSequence), as it is now.',
        resolve: async ({ event, execution }, _, { engine }) => execution ?? (await engine.status(event.executionId))!,
      }),
    }),
  });

  builder.objectType('TaskExecutionEdge', {
    fields: (t) => ({ cursor: t.exposeString('cursor'), node: t.field({ type: 'TaskExecution', resolve: (edge) => edge.node }) }),
  });
  builder.objectType('TaskExecutionConnection', {
    fields: (t) => ({
      edges: t.field({ type: ['TaskExecutionEdge'], resolve: (page) => page.edges }),
      pageInfo: t.field({ type: 'PageInfo', resolve: pageInfoOf }),
      totalCount: t.exposeInt('totalCount'),
    }),
  });

  return { TaskExecutionStatus };
}

export type TaskEnums = ReturnType<typeof addTaskTypes>;

function unregisteredTask(name: string): TaskInfo {
  return {
    name,
    description: 'This task is no longer registered on this server.',
    limits: { maxConcurrentExecutions: 0, maxQueueLength: 0, timeoutMinutes: 0 },
    inputSchema: {},
  };
}
