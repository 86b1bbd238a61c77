import { z } from 'zod';
import type { TaskLimits } from '../store/store.js';
import type { Execution } from './execution.js';
import { validateCron } from './cron.js';
import { validateRetryPolicy, type RetryPolicy } from './retry-policy.js';
import type { TaskContext } from './task-context.js';
import { validateLimits } from './task-limits.js';

/** One problem with a task's input: where it is (dotted path, '' for the whole input) and what is wrong. */
export interface InputProblem {
  path: string;
  message: string;
}

/** Thrown by `snapshot` when the input is well-formed but refers to something that is not there. */
export class InvalidTaskInputError extends Error {
  readonly code = 'INVALID_TASK_INPUT';
  constructor(readonly problems: InputProblem[]) {
    super(problems.map((problem) => (problem.path ? `${problem.path}: ${problem.message}` : problem.message)).join('; '));
    this.name = 'InvalidTaskInputError';
  }
}

/**
 * A task definition (WEM's task): a unique technical name, an input schema (the Input folder),
 * default limits, an optional snapshot step and the flow that runs.
 */
export interface TaskDefinition<Input = unknown, Snapshot = Input, Result = unknown> {
  /** Letters, digits, `_` and `-`; it is the task's identifier in the API. */
  name: string;
  description: string;
  /** Validates the input given to startTask; use a strict object so unknown fields are refused. */
  input: z.ZodType<Input>;
  /** Defaults in code; `configureTask` can change them at run time. */
  limits: TaskLimits;
  /** Retries of failed attempts, after a backoff; none by default. */
  retry?: RetryPolicy;
  /** How long finished executions are kept; default the server's RETENTION_HOURS. */
  retention?: RetentionPolicy;
  /**
   * Recurring starts in code. On several instances each tick starts one execution. They are
   * stored at every server start (a changed pattern takes effect then) and cannot be deleted
   * through the API; remove them here.
   */
  schedules?: CodeSchedule[];
  /**
   * Resolves at start whatever the execution must see as it is at that moment, so later edits
   * of the source data never change a queued or running execution. Defaults to the input itself.
   * Throw InvalidTaskInputError when the input refers to something that does not exist.
   */
  snapshot?: (input: Input) => Promise<Snapshot>;
  /**
   * The flow. Runs on the main thread as an async orchestrator: heavy synchronous work belongs
   * in `ctx.runInWorker`. Its return value (JSON-serialisable) is the execution's result.
   */
  run: (ctx: TaskContext<Snapshot>) => Promise<Result>;
  /**
   * Called after an execution of this task ended (any terminal status), on the instance that
   * stored that status: also when the flow never got to clean up after itself (its server died
   * on the last attempt, or it was stopped while queued for another one). For tidying what earlier
   * attempts left behind; it must be idempotent. A failure is logged and changes nothing else.
   */
  onFinished?: (execution: Execution) => Promise<void>;
  /**
   * Called before a finished execution of this task is deleted (its retention ran out, or
   * deleteExecution), on the instance deleting it: delete what the task keeps for the execution
   * (the contract example deletes its contracts and PDFs). Idempotent: if it throws, or the
   * process dies before the execution is deleted, it runs again at a later retention pass.
   */
  onDelete?: (execution: Execution) => Promise<void>;
}

export interface RetentionPolicy {
  /** Hours a finished execution is kept, with its events and its task's data; fractions allowed. */
  finishedHours: number;
}

/** Longest retention: ten years (a typo's extra zeros stop here). */
const maxRetentionHours = 87_600;

function validateRetention(retention: RetentionPolicy): InputProblem[] {
  const hours = retention?.finishedHours;
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0) {
    return [{ path: 'retention.finishedHours', message: `must be a number of hours greater than 0 (got ${String(hours)})` }];
  }
  if (hours > maxRetentionHours) return [{ path: 'retention.finishedHours', message: `must be at most ${maxRetentionHours} (got ${hours})` }];
  return [];
}

/** A schedule declared with its task (`defineTask({ schedules })`). */
export interface CodeSchedule {
  /** Names it among the task's schedules: its id is `<task>:<name>`; 1-100 letters, digits, `_`, `-`. */
  name: string;
  /** Five fields, or six with seconds first, e.g. `0 2 * * *` (02:00 daily) or `*\/10 * * * * *`. */
  cron: string;
  /** IANA time zone the pattern is read in, e.g. `Europe/Amsterdam`; default UTC. */
  timezone?: string;
  /** The input of every start; checked against the task's input schema at each tick. */
  input?: unknown;
}

/**
 * The task's input as JSON Schema (draft 2020-12), as clients see it in `Task.inputSchema`: what
 * goes in, before any transform. A part JSON Schema cannot say (a refinement, a custom check) is
 * left open rather than refused, since the server still validates every start with the zod schema.
 */
export function inputJsonSchema(definition: { input: z.ZodType }): Record<string, unknown> {
  return z.toJSONSchema(definition.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

// The registry holds definitions of every input type; `any` here is the erasure point.
export type AnyTaskDefinition = TaskDefinition<any, any, any>;

const taskNamePattern = /^[A-Za-z0-9_-]{1,100}$/;

/** Checks a definition once, when it is declared, so a typo fails at start and not at first use. */
export function defineTask<Input, Snapshot = Input, Result = unknown>(
  definition: TaskDefinition<Input, Snapshot, Result>,
): TaskDefinition<Input, Snapshot, Result> {
  if (!taskNamePattern.test(definition.name)) {
    throw new Error(`Task name "${definition.name}" must be 1-100 letters, digits, "_" or "-" (no spaces)`);
  }
  const problems = [
    ...validateLimits(definition.limits),
    ...(definition.retry ? validateRetryPolicy(definition.retry) : []),
    ...(definition.retention !== undefined ? validateRetention(definition.retention) : []),
  ];
  const names = new Set<string>();
  for (const [index, schedule] of (definition.schedules ?? []).entries()) {
    if (!taskNamePattern.test(schedule.name ?? '')) problems.push({ path: `schedules.${index}.name`, message: 'must be 1-100 letters, digits, "_" or "-"' });
    else if (names.has(schedule.name)) problems.push({ path: `schedules.${index}.name`, message: `"${schedule.name}" is used twice` });
    names.add(schedule.name);
    for (const problem of validateCron(schedule.cron, schedule.timezone ?? null)) problems.push({ ...problem, path: `schedules.${index}.${problem.path}` });
  }
  if (problems.length > 0) {
    throw new Error(`Task ${definition.name} is not valid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
  }
  return definition;
}
