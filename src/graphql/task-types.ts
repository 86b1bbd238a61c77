import { attemptOutcomes, executionStatuses } from '../engine/execution.js';
import { noRetry } from '../engine/retry-policy.js';
import type { TaskInfo } from '../engine/engine.js';
import type { Builder } from './builder.js';
import { pageInfoOf } from './common-types.js';

/** Task, TaskExecution, the feedback event, their enums and the execution connection. */
export function addTaskTypes(builder: Builder) {
  const TaskExecutionStatus = builder.enumType('TaskExecutionStatus', {
    values: executionStatuses,
    description:
      'SCHEDULED → QUEUED → RUNNING → COMPLETED | FAILED | STOPPED | TIMED_OUT. SCHEDULED: waiting for its runAt (a delayed ' +
      'start, or a retry after its backoff: RUNNING → SCHEDULED). A SCHEDULED or QUEUED execution can also be STOPPED, ' +
      'or FAILED when the embedded store shuts down before it ran.',
  });
  const TaskAttemptOutcome = builder.enumType('TaskAttemptOutcome', {
    values: attemptOutcomes,
    description: 'How an attempt ended. LOST: its server died (lease expired); HANDED_BACK: its server shut down and queued it again.',
  });
  const RetryBackoff = builder.enumType('RetryBackoff', {
    values: { FIXED: { value: 'fixed' as const }, EXPONENTIAL: { value: 'exponential' as const } },
    description: 'FIXED: every retry waits delayMs; EXPONENTIAL: delayMs, then twice as long each time, up to maxDelayMs.',
  });

  builder.objectType('RetryPolicy', {
    description: "How a task's failed attempts are retried (defineTask's `retry`). attempts 1: no retry.",
    fields: (t) => ({
      attempts: t.exposeInt('attempts', { description: 'Attempts in all, the first included.' }),
      backoff: t.field({ type: RetryBackoff, resolve: (policy) => policy.backoff }),
      delayMs: t.exposeInt('delayMs'),
      maxDelayMs: t.exposeInt('maxDelayMs'),
      jitter: t.exposeFloat('jitter', { description: '0..1: each wait is shortened by a random part of up to this fraction.' }),
      retryTimeouts: t.exposeBoolean('retryTimeouts', { description: 'Whether a TIMED_OUT attempt is retried too. A stop never is.' }),
    }),
  });

  builder.objectType('TaskAttempt', {
    description: 'One ended attempt (run) of an execution.',
    fields: (t) => ({
      attempt: t.exposeInt('attempt'),
      startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (record) => record.startedAt }),
      endedAt: t.field({ type: 'DateTime', resolve: (record) => record.endedAt }),
      outcome: t.field({ type: TaskAttemptOutcome, resolve: (record) => record.outcome }),
      error: t.exposeString('error', { nullable: true }),
    }),
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
      maxQueuedPerCaller: t.int({
        nullable: true,
        description:
          'Executions one caller may have waiting; a start beyond it is refused as CallerQueueFull (others go on). ' +
          "The task's own limit, else the server's MAX_QUEUED_PER_CALLER; null when there is none.",
        resolve: (task) => task.maxQueuedPerCaller,
      }),
      retentionHours: t.float({
        description: 'Hours a finished execution is kept, with its events and its data (such as contracts); then it is deleted.',
        resolve: (task) => task.retentionHours,
      }),
      inputSchema: t.field({
        type: 'JSON',
        description: "The task's input as JSON Schema (draft 2020-12): what startTask's input may be. Every start is still validated.",
        resolve: (task) => task.inputSchema,
      }),
      retry: t.field({ type: 'RetryPolicy', resolve: (task) => task.retry }),
      runningCount: t.int({ resolve: async (task, _, { engine }) => (await engine.counts(task.name)).running }),
      queuedCount: t.int({ resolve: async (task, _, { engine }) => (await engine.counts(task.name)).queued }),
      scheduledCount: t.int({
        description: 'SCHEDULED executions: waiting for their start time or for their next attempt. They hold no queue place.',
        resolve: async (task, _, { engine }) => (await engine.counts(task.name)).scheduled,
      }),
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
        description: '1-based place in the queue while QUEUED: higher priority first, then in order of queuing.',
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
      failedAttempts: t.exposeInt('failedAttempts', {
        description: "Attempts that failed (or timed out, when the task retries those): the task's retry.attempts bounds them.",
      }),
      attempts: t.field({
        type: ['TaskAttempt'],
        description: 'Every ended attempt, oldest first, with how it ended and its error (the newest 100).',
        resolve: (execution) => execution.attempts,
      }),
      priority: t.exposeInt('priority', { description: 'Higher runs first among the waiting executions of its task; default 0.' }),
      runAt: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'While SCHEDULED: when it joins the queue. Afterwards: when it last became due. Null if it never was scheduled.',
        resolve: (execution) => execution.runAt,
      }),
      nextAttemptAt: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'While waiting to retry (SCHEDULED after a failed attempt): when the next attempt is queued.',
        resolve: (execution) => (execution.status === 'SCHEDULED' && execution.failedAttempts > 0 ? execution.runAt : null),
      }),
      retryOf: t.exposeID('retryOf', { nullable: true, description: 'The execution this one retries (retryExecution).' }),
      scheduleId: t.exposeID('scheduleId', { nullable: true, description: 'The schedule that started it.' }),
      lastSequence: t.exposeInt('lastSequence', { description: 'Sequence number of the latest feedback event.' }),
      queuedAt: t.field({ type: 'DateTime', resolve: (execution) => execution.queuedAt }),
      startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (execution) => execution.startedAt }),
      finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (execution) => execution.finishedAt }),
      expiresAt: t.field({
        type: 'DateTime',
        nullable: true,
        description: "Once finished: when it is deleted (its task's retention), with its events and its data. Null until then.",
        resolve: (execution) => execution.expiresAt,
      }),
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
    retry: noRetry,
    maxQueuedPerCaller: null,
    retentionHours: 0,
  };
}
