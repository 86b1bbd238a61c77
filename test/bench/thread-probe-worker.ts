/**
 * A worker module the bench server adds to its pool (bench-server.ts): tells which Linux thread
 * (the kernel's tid, as in /proc/<pid>/task/<tid>) a pool thread is, so the CPU of the render
 * threads can be told apart from the process's other threads. Imports no server code.
 */
import { readlinkSync } from 'node:fs';

const hold = new Int32Array(new SharedArrayBuffer(4));

/**
 * The calling thread's tid (null where /proc/thread-self is missing). Holds the thread for
 * `holdMs` first, without using CPU, so calls made together land on different threads.
 */
export function benchLinuxThreadId(input: { holdMs: number }): number | null {
  Atomics.wait(hold, 0, 0, input.holdMs);
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').at(-1));
  } catch {
    return null;
  }
}
