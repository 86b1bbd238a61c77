/**
 * Runs `load` when asked, but never twice at once and at most once per `minIntervalMs`: a burst
 * of live events (one per contract) turns into a few queries, and the last request always gets
 * a run after it, so the final state is never missed.
 */
export function createRefresher(load: () => Promise<void>, minIntervalMs: number) {
  let running = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastStart = 0;

  async function run(): Promise<void> {
    timer = null;
    running = true;
    again = false;
    lastStart = Date.now();
    try {
      await load();
    } finally {
      running = false;
      if (again) request();
    }
  }

  function request(): void {
    if (running) {
      again = true;
      return;
    }
    if (timer) return;
    const wait = Math.max(0, lastStart + minIntervalMs - Date.now());
    timer = setTimeout(() => void run(), wait);
  }

  return {
    request,
    cancel(): void {
      if (timer) clearTimeout(timer);
      timer = null;
      again = false;
    },
  };
}
