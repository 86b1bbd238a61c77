import type { TaskLimits } from '../store/store.js';
import type { InputProblem } from './task-definition.js';

/**
 * Bounds of the per-task limits. The upper bounds keep a typo (an extra zero or three) from
 * turning into an unbounded queue or a task that may run for months.
 */
export const limitBounds = {
  maxConcurrentExecutions: { min: 1, max: 1_000, integer: true },
  maxQueueLength: { min: 1, max: 1_000_000, integer: true },
  /**
   * From 0.001 minutes (60 ms: anything shorter is a typo, and below a timer's resolution a
   * timeout of 1e-320 fired before the flow started) to one week.
   */
  timeoutMinutes: { min: 0.001, max: 7 * 24 * 60, integer: false },
  maxQueuedPerCaller: { min: 1, max: 1_000_000, integer: true },
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
    } else if (value < bounds.min) {
      problems.push({ path: key, message: `must be at least ${bounds.min} (got ${value})` });
    } else if (value > bounds.max) {
      problems.push({ path: key, message: `must be at most ${bounds.max} (got ${value})` });
    }
  }
  return problems;
}
