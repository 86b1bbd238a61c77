import type { Logger } from 'pino';
import type { ClusterFeed, ExecutionChange, ExecutionStore } from '../store/store.js';
import { EventsUnavailableError } from './errors.js';
import type { ExecutionEvents } from './events.js';
import { isTerminal, type Execution } from './execution.js';

export interface ClusterBridgeDeps {
  feed: ClusterFeed;
  events: ExecutionEvents;
  executions: Pick<ExecutionStore, 'eventsAfter'>;
  logger: Logger;
  /** Claims waiting work of a task (a slot was freed or work was queued somewhere). */
  pump(task: string): void;
  /** Aborts the local run of an execution that another instance stopped or took over. */
  noticeChange(execution: Execution): void;
  /** Whether this server runs the task (others' tasks are not dispatched here). */
  runsTask(task: string): boolean;
}

/** Most events read from the log to fill one gap (the stream reads on past that by itself). */
const gapFillLimit = 1_000;

/**
 * Puts what other instances write (the store's cluster feed) on this instance's bus, and acts
 * on it: feedback streams and the tracker feed see every execution wherever it runs, a stop sent
 * to another instance aborts the run here, a slot freed or work queued elsewhere is claimed here.
 *
 * Changes come in write order per execution; this instance's own writes come back too and are
 * dropped by the bus as not newer. A change that skips sequences (the polling feed coalesces) is
 * filled from the log first when somebody follows that execution, so its stream stays
 * contiguous without every subscriber reading the store. Batches are applied one after another.
 *
 * When the feed has been failing for longer than `lostAfterMs`, or lost changes for good, every
 * open stream ends with EVENTS_UNAVAILABLE and new ones are refused until it reads again: a client
 * is told, instead of waiting for events that may never come.
 */
export function createClusterBridge(deps: ClusterBridgeDeps, options: { lostAfterMs: number }) {
  let applying: Promise<void> = Promise.resolve();
  let failingSince: number | null = null;
  let lostTimer: NodeJS.Timeout | undefined;
  /** Set while streams cannot be served: from losing the feed until it reads again. */
  let unavailable: EventsUnavailableError | null = null;

  async function apply(changes: ExecutionChange[]): Promise<void> {
    const tasksToPump = new Set<string>();
    for (const change of changes) {
      const { execution, event } = change;
      deps.noticeChange(execution);
      const latest = deps.events.latestSequence(execution.id);
      if (latest !== undefined && event.sequence > latest + 1 && deps.events.hasExecutionListeners(execution.id)) {
        await fillGap(execution, latest, event.sequence);
      }
      if (!deps.events.publish(change)) continue; // already on the bus (written here, or seen)
      // A slot or a queue place changed hands: QUEUED (admitted, due, handed back), SCHEDULED (a run
      // that will be retried freed its slot) or an end.
      if (event.kind === 'STATUS' && (execution.status === 'QUEUED' || execution.status === 'SCHEDULED' || isTerminal(execution.status))) {
        tasksToPump.add(execution.task);
      }
    }
    for (const task of tasksToPump) if (deps.runsTask(task)) deps.pump(task);
  }

  async function fillGap(execution: Execution, after: number, before: number): Promise<void> {
    try {
      for (const event of await deps.executions.eventsAfter(execution.id, after, Math.min(gapFillLimit, before - after - 1))) {
        if (event.sequence < before) deps.events.publish({ execution, event });
      }
    } catch (error) {
      // The streams notice the gap and read the log themselves.
      deps.logger.debug({ err: error, executionId: execution.id }, 'could not fill a gap in the cluster feed');
    }
  }

  function lose(error: unknown): void {
    clearTimeout(lostTimer);
    unavailable = new EventsUnavailableError(error);
    deps.logger.error({ err: error, mechanism: deps.feed.mechanism }, 'live events from other instances were lost: open streams end with EVENTS_UNAVAILABLE');
    deps.events.failAll(unavailable);
  }

  return {
    start(): Promise<void> {
      return deps.feed.start({
        executionsChanged(changes) {
          applying = applying.then(() => apply(changes)).catch((error: unknown) => deps.logger.error({ err: error }, 'applying cluster changes failed'));
        },
        taskSettingsChanged(task) {
          if (deps.runsTask(task)) deps.pump(task);
        },
        failing(error) {
          if (failingSince !== null) return;
          failingSince = Date.now();
          deps.logger.warn({ err: error, mechanism: deps.feed.mechanism }, 'cannot read the cluster feed; retrying');
          lostTimer = setTimeout(() => lose(error), options.lostAfterMs);
          lostTimer.unref();
        },
        recovered() {
          clearTimeout(lostTimer);
          if (failingSince !== null) deps.logger.info({ mechanism: deps.feed.mechanism, downMs: Date.now() - failingSince }, 'the cluster feed reads again');
          failingSince = null;
          unavailable = null;
        },
        lost: lose,
      });
    },

    /** Throws EventsUnavailableError while streams cannot be served (see above). */
    assertAvailable(): void {
      if (unavailable) throw unavailable;
    },


    async close(): Promise<void> {
      clearTimeout(lostTimer);
      await deps.feed.close();
      await applying;
    },
  };
}
