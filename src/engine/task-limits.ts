import type { TaskLimits } from '../store/store.js';
import type { InputProblem } from './task-definition.js';

/**
 * Bounds of the per-task limits. The upper bounds keep a typo (an extra zero or three) from
 * turning into an unbounded queue or a task that may run for months.
 */
export const limitBounds = {
  maxConcurrentExecutions: { min: 1, max: 1_000, integer: true },
  maxQueueLength: { min: 1, max: 1_000_000, integer: true },
  /** One week. */
  timeoutMinutes: { min: Number.MIN_VALUE, max: 7 * 24 * 60, integer: false },
} as const satisfies Record<keyof TaskLimits, { min: number; max: number; integer: boolean }>;

export function validateLimits(limits: Partial<TaskLimits>): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const key of Object.keys(limitBounds) as Array<keyof TaskLimits>) {
    const value = limits[key];
    if (value === undefined) continue;
    const bounds = limitBounds[key];
    if (!Number.isFinite(value) || value <= 0) {
      problems.push({ path: key, message: `must be greater than 0 (got ${value})` });
    } else if (bounds.integer && !Number.isInteger(value)) {
      problems.push({ path: key, message: `must be a whole number (got ${value})` });
    } else if (value > bounds.max) {
      problems.push({ path: key, message: `must be at most ${bounds.max} (got ${value})` });
    }
  }
  return problems;
}
