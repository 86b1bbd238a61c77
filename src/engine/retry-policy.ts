import { definedOnly } from './defined-only.js';
import type { InputProblem } from './task-definition.js';

/**
 * A task's retry policy: a failed attempt waits its backoff, SCHEDULED, and runs again, until
 * `attempts` attempts have failed. Timeouts are retried only with `retryTimeouts`; a stop never is
 * (a stop is the caller's decision to end the execution for good), nor a NonRetryableError.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (1: no retry). */
  attempts: number;
  /** `fixed`: every retry waits delayMs; `exponential` (default): delayMs, 2×, 4×, … up to maxDelayMs. */
  backoff?: 'fixed' | 'exponential';
  /** The first retry's wait, in ms; default 1000. */
  delayMs?: number;
  /** The longest wait, in ms; default 3,600,000 (an hour). */
  maxDelayMs?: number;
  /**
   * 0..1, default 0: each wait is shortened by a random part of up to this fraction of it, so
   * executions that failed together (a dependency was down) do not all retry at the same moment.
   */
  jitter?: number;
  /** Retry an attempt that ran out of time (TIMED_OUT) too; default false. */
  retryTimeouts?: boolean;
}

/** No retry: what a task without a policy gets. */
export const noRetry: Required<RetryPolicy> = {
  attempts: 1,
  backoff: 'exponential',
  delayMs: 1_000,
  maxDelayMs: 3_600_000,
  jitter: 0,
  retryTimeouts: false,
};

const maxRetryAttempts = 100;
/** A week: past it a retry is a schedule, not a backoff. */
const maxBackoffMs = 7 * 24 * 3_600_000;

export function retryPolicyOf(policy: RetryPolicy | undefined): Required<RetryPolicy> {
  return { ...noRetry, ...definedOnly(policy ?? {}) };
}

export function validateRetryPolicy(policy: RetryPolicy): InputProblem[] {
  const problems: InputProblem[] = [];
  const whole = (path: string, value: unknown, min: number, max: number) => {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push({ path: `retry.${path}`, message: `must be a whole number from ${min} to ${max} (got ${String(value)})` });
    }
  };
  whole('attempts', policy.attempts, 1, maxRetryAttempts);
  whole('delayMs', policy.delayMs, 0, maxBackoffMs);
  whole('maxDelayMs', policy.maxDelayMs, 0, maxBackoffMs);
  if (policy.backoff !== undefined && policy.backoff !== 'fixed' && policy.backoff !== 'exponential') {
    problems.push({ path: 'retry.backoff', message: `must be "fixed" or "exponential" (got ${String(policy.backoff)})` });
  }
  if (policy.jitter !== undefined && !(typeof policy.jitter === 'number' && policy.jitter >= 0 && policy.jitter <= 1)) {
    problems.push({ path: 'retry.jitter', message: `must be a number from 0 to 1 (got ${String(policy.jitter)})` });
  }
  if (policy.retryTimeouts !== undefined && typeof policy.retryTimeouts !== 'boolean') {
    problems.push({ path: 'retry.retryTimeouts', message: 'must be true or false' });
  }
  const { delayMs, maxDelayMs } = retryPolicyOf(policy);
  if (problems.length === 0 && maxDelayMs < delayMs) {
    problems.push({ path: 'retry.maxDelayMs', message: `must be at least delayMs (${delayMs})` });
  }
  return problems;
}

/**
 * The wait before the next attempt, after `failedAttempts` attempts have failed (1 for the
 * first retry). `random` is in [0, 1).
 */
export function backoffMs(policy: Required<RetryPolicy>, failedAttempts: number, random: number): number {
  const base =
    policy.backoff === 'fixed' ? policy.delayMs : policy.delayMs * 2 ** Math.min(failedAttempts - 1, 60);
  const capped = Math.min(base, policy.maxDelayMs);
  return Math.round(capped * (1 - policy.jitter * random));
}
