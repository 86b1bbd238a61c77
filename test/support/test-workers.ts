/**
 * Worker jobs for engine tests (the pool's entry in those tests). Like every worker entry, it
 * imports no server code.
 */
import { threadId } from 'node:worker_threads';

/** Reports the thread it runs on, then spins until the pool terminates the thread. */
export function spinForever(input: { port: MessagePort }): never {
  input.port.postMessage({ threadId });
  for (;;) {
    // busy: only terminating the thread ends this
  }
}

export function whichThread(): number {
  return threadId;
}

export function add(input: { a: number; b: number }): number {
  return input.a + input.b;
}

// Faults: each fails the way a broken job does (test/engine/engine.worker-faults.test.ts).

export function throwError(input: { message: string }): never {
  throw new Error(input.message);
}

export function throwTypeError(): number {
  const missing = undefined as unknown as { length: number };
  return missing.length;
}

export function exitProcess(input: { code?: number }): never {
  process.exit(input.code);
}

/** Keeps every allocation reachable, so only the thread's heap limit (`resourceLimits`) ends it. */
export function allocateForever(): never {
  const kept: number[][] = [];
  for (;;) kept.push(new Array<number>(100_000).fill(1.5));
}

/** Throws from a timer while the job still waits: an uncaught exception, not a rejection. */
export function crashFromTimer(input: { message: string }): Promise<never> {
  return new Promise<never>(() => {
    setTimeout(() => {
      throw new Error(input.message);
    }, 0);
  });
}
