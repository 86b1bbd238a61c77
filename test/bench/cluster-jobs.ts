/** Worker jobs of the cluster scenario (cluster-tasks.ts). */

/** Busy until the pool terminates the thread. */
export function spin(): never {
  for (;;) {
    // only terminating the thread ends this
  }
}
