import type { Logger } from 'pino';
import type { ExecutionStore } from '../store/store.js';
import type { ExecutionEvents } from './events.js';
import type { Schedules } from './schedules.js';
import { createWakeUpTimer } from './wake-up-timer.js';

/** Most due executions promoted in one round. */
const batchSize = 100;
/** How soon to look again while something is still due after a round. */
const stillDueRetryMs = 1_000;

/**
 * What comes due with time: SCHEDULED executions whose runAt came (delayed starts, retries after
 * their backoff) join the queue, and schedules whose tick came fire. One timer, set for the
 * earliest such moment this instance knows of; the sweep calls `runNow` as well, so a moment set
 * on another instance is found here within SWEEP_MS even if its change was not seen.
 */
export function createDueWork(
  deps: {
    executions: ExecutionStore;
    schedules: Schedules;
    events: ExecutionEvents;
    logger: Logger;
    clock: () => Date;
    /** Dispatches a task that got queued executions, if it runs here. */
    pump(task: string): void;
  },
  options: { maxWaitMs: number },
) {
  const { executions, logger, clock } = deps;

  async function promoteDue(): Promise<void> {
    const tasks = new Set<string>();
    for (let round = 0; round < 10; round++) {
      const due = await executions.dueScheduled(clock(), batchSize);
      for (const execution of due) {
        // Conditional: of several instances promoting it at once, one does.
        const change = await executions.transition(execution.id, {
          from: 'SCHEDULED',
          to: 'QUEUED',
          at: clock(),
          message: execution.failedAttempts > 0 ? `Queued for attempt ${execution.failedAttempts + 1}` : 'Queued: its start time came',
        });
        if (!change) continue;
        deps.events.publish(change);
        tasks.add(execution.task);
      }
      if (due.length < batchSize) break;
    }
    for (const task of tasks) deps.pump(task);
  }

  async function runDue(): Promise<void> {
    try {
      await promoteDue();
      await deps.schedules.fireDue();
      const next = earliest(await executions.nextRunAt(), await deps.schedules.nextRunAt());
      // Something still due now: more than one round could take (a backlog), or what this
      // instance cannot fire (a schedule of a task it does not run): look again in a second,
      // not in a busy loop.
      const now = clock().getTime();
      if (next) timer.wakeAt(new Date(Math.max(next.getTime(), now + (next.getTime() <= now ? stillDueRetryMs : 0))));
    } catch (error) {
      logger.error({ err: error }, 'scheduled work failed; retrying at the next sweep');
    }
  }

  const timer = createWakeUpTimer(runDue, { maxWaitMs: options.maxWaitMs, now: () => clock().getTime() });

  return {
    /** Something is due at `at` (an execution scheduled here or seen on the cluster feed, a new schedule). */
    wakeAt: (at: Date) => timer.wakeAt(at),
    runNow: () => timer.fireNow(),
    close: () => timer.close(),
  };
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}
