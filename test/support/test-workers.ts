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
