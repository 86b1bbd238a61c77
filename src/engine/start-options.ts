import type { InputProblem } from './task-definition.js';

/** startTask's options (GraphQL `StartTaskOptions`), as a client sends them. */
export interface StartOptions {
  /** Start at this moment (SCHEDULED until then); a past or present one starts now. */
  runAt?: Date | null;
  /** Start this many ms from now; instead of runAt. */
  delayMs?: number | null;
  /** Higher runs first among the task's waiting executions; default 0. */
  priority?: number | null;
  /** A second start with this key (same task and caller, within IDEMPOTENCY_WINDOW_MS) returns the first execution. */
  idempotencyKey?: string | null;
}

export const priorityBounds = { min: -1_000, max: 1_000 } as const;
/** The furthest a start may be put off: a year; beyond that it is a schedule. */
export const maxDelayMs = 366 * 24 * 3_600_000;
const maxIdempotencyKeyLength = 200;

export interface CheckedStartOptions {
  /** A future moment, or null to queue now. */
  runAt: Date | null;
  priority: number;
  idempotencyKey: string | null;
}

export function checkStartOptions(
  options: StartOptions,
  now: Date,
): { ok: true; options: CheckedStartOptions } | { ok: false; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const { runAt, delayMs, priority, idempotencyKey } = options;
  if (runAt != null && delayMs != null) problems.push({ path: 'options', message: 'give runAt or delayMs, not both' });
  if (runAt != null && !(runAt instanceof Date && Number.isFinite(runAt.getTime()))) {
    problems.push({ path: 'options.runAt', message: 'must be a date and time' });
  } else if (runAt != null && runAt.getTime() - now.getTime() > maxDelayMs) {
    problems.push({ path: 'options.runAt', message: 'must be at most a year from now' });
  }
  if (delayMs != null && !(Number.isInteger(delayMs) && delayMs >= 0 && delayMs <= maxDelayMs)) {
    problems.push({ path: 'options.delayMs', message: `must be a whole number of ms from 0 to ${maxDelayMs} (a year); got ${delayMs}` });
  }
  if (priority != null && !(Number.isInteger(priority) && priority >= priorityBounds.min && priority <= priorityBounds.max)) {
    problems.push({ path: 'options.priority', message: `must be a whole number from ${priorityBounds.min} to ${priorityBounds.max} (got ${priority})` });
  }
  if (idempotencyKey != null && (typeof idempotencyKey !== 'string' || idempotencyKey.length === 0 || idempotencyKey.length > maxIdempotencyKeyLength)) {
    problems.push({ path: 'options.idempotencyKey', message: `must be 1 to ${maxIdempotencyKeyLength} characters` });
  }
  if (problems.length > 0) return { ok: false, problems };
  const at = runAt ?? (delayMs ? new Date(now.getTime() + delayMs) : null);
  return {
    ok: true,
    options: {
      runAt: at && at.getTime() > now.getTime() ? at : null,
      priority: priority ?? 0,
      idempotencyKey: idempotencyKey ?? null,
    },
  };
}
