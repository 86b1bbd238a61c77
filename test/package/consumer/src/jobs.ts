// Worker jobs of this project: each named export runs in a worker thread of the server's pool.

/** Sums 1..n, the slow way: CPU work that belongs off the event loop. */
export function sumTo({ n }: { n: number }): number {
  let sum = 0;
  for (let i = 1; i <= n; i++) sum += i;
  return sum;
}

/** Never returns: only terminating its thread ends it. */
export function spinForever(): never {
  for (;;) {
    // busy
  }
}
