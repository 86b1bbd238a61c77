import type { Logger } from 'pino';
import type { ExecutionStore } from '../store/store.js';
import type { Execution } from './execution.js';

/** Executions deleted per store read; a pass reads again while it finds full batches. */
const batchSize = 200;
/** Executions finished here since the last pass that start another one: the embedded store's cap is kept up with. */
const finishedPerPass = 100;
/** How long one onDelete hook may take before the pass gives up on that execution (until the next pass). */
const hookTimeoutMs = 30_000;

/**
 * Deletes finished executions whose retention ran out (and, on the embedded store, the oldest
 * beyond its cap): first what their task keeps for them (its `onDelete` hook: contracts and their
 * PDFs), then the execution with its events. In that order, so a crash half-way leaves the
 * execution to be found and deleted again by the next pass: nothing is orphaned. Every instance
 * runs passes (at every sweep), each for the tasks it registers (their hooks are here); two
 * deleting one execution at once do the same idempotent work.
 */
export function createRetention(deps: {
  executions: Pick<ExecutionStore, 'expired' | 'delete'>;
  logger: Logger;
  clock: () => Date;
  /** The tasks registered here: only their executions are deleted by this instance's passes. */
  tasks: () => ReadonlySet<string>;
  /** The hook of the execution's task, if it has one. */
  onDelete: (execution: Execution) => Promise<void>;
}) {
  let running: Promise<number> | null = null;
  let finishedSincePass = 0;
  let closing = false;

  /** Deletes one execution: its task's data first, then it. False when it was gone or not finished. */
  async function deleteOne(execution: Execution): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the onDelete hook took more than ${hookTimeoutMs} ms`)), hookTimeoutMs);
    });
    try {
      await Promise.race([deps.onDelete(execution), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return deps.executions.delete(execution.id);
  }

  async function pass(): Promise<number> {
    finishedSincePass = 0;
    let deleted = 0;
    /** Executions whose hook failed in this pass: tried again at the next pass, not in a loop now. */
    const failed = new Set<string>();
    while (!closing) {
      const batch = (await deps.executions.expired(deps.clock(), batchSize + failed.size, deps.tasks())).filter(
        (execution) => !failed.has(execution.id),
      );
      for (const execution of batch) {
        // A shutdown does not wait for a backlog: the next start (or another instance) goes on.
        if (closing) break;
        try {
          if (await deleteOne(execution)) deleted++;
        } catch (error) {
          failed.add(execution.id);
          deps.logger.warn({ err: error, executionId: execution.id, task: execution.task }, 'could not delete an expired execution; trying again at the next pass');
        }
      }
      if (batch.length < batchSize) break;
    }
    if (deleted > 0) deps.logger.info({ deleted }, 'deleted finished executions past their retention');
    return deleted;
  }

  /** One pass now, or the one under way. Resolves with how many it deleted. */
  function purge(): Promise<number> {
    if (closing) return Promise.resolve(0);
    running ??= pass().finally(() => (running = null));
    return running;
  }

  return {
    deleteOne,
    purge,
    /** Counts an execution finished here; every so many, a pass (keeps the embedded store at its cap). */
    noteFinished(): void {
      if (++finishedSincePass >= finishedPerPass && !running) {
        purge().catch((error: unknown) => deps.logger.error({ err: error }, 'retention pass failed; trying again at the next sweep'));
      }
    },
    /** Stops passes (the one under way ends after its current deletion) and waits for it: the engine's close. */
    async close(): Promise<void> {
      closing = true;
      await running?.catch(() => undefined);
    },
  };
}
