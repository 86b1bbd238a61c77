/**
 * Every loop in the benchmarks is bounded in count and in time: a deadline turns a hang (a lost
 * event, a stuck execution) into a clear error instead of a benchmark that never ends.
 */
export interface Deadline {
  /** Throws once the time is up. */
  check(): void;
  readonly expired: boolean;
  remainingMs(): number;
}

export function createDeadline(ms: number, what: string): Deadline {
  const end = performance.now() + ms;
  return {
    check() {
      if (performance.now() > end) throw new Error(`Benchmark deadline: ${what} took longer than ${ms} ms`);
    },
    get expired() {
      return performance.now() > end;
    },
    remainingMs: () => Math.max(0, end - performance.now()),
  };
}

/** Resolves with `promise`, or rejects once `ms` have passed. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Benchmark deadline: ${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` every `intervalMs` until it returns something other than undefined/false. */
export async function waitUntil<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<T> {
  const deadline = createDeadline(options.timeoutMs, options.what);
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    deadline.check();
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 5));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
