/**
 * One timer for the earliest moment something is due (a scheduled execution's runAt, a schedule's
 * next tick). `wakeAt` only ever brings it forward; `due` runs when it fires, one run at a time,
 * and arms the timer again for whatever is due next. A wait is capped at `maxWaitMs` (a far-off
 * moment is re-read then, and setTimeout cannot wait more than 24.8 days anyway).
 */
export function createWakeUpTimer(due: () => Promise<void>, options: { maxWaitMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let armedFor: number | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  function wakeAt(at: Date): void {
    const when = at.getTime();
    if (closed || (armedFor !== null && armedFor <= when)) return;
    clearTimeout(timer);
    armedFor = when;
    arm(Math.min(when, now() + options.maxWaitMs));
  }

  /**
   * Node may run a timer a millisecond before the clock reaches its moment; what is due "at" that
   * moment would then not be due yet, and nothing would wake for it again. So an early timer waits
   * out the rest.
   */
  function arm(until: number): void {
    timer = setTimeout(() => (now() < until ? arm(until) : fire()), Math.max(0, until - now()));
    timer.unref();
  }

  function fire(): void {
    clearTimeout(timer);
    armedFor = null;
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await due();
      } while (again && !closed);
    })().finally(() => (running = null));
  }

  return {
    wakeAt,
    /** Runs `due` now (the sweep calls it: a moment another instance scheduled is found here too). */
    fireNow(): Promise<void> {
      fire();
      return running ?? Promise.resolve();
    },
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
