import { canTransition, type Execution, type ExecutionEvent, type ExecutionStatus } from '../engine/execution.js';
import { pageNewestFirst } from './memory-paging.js';
import type { ExecutionChange, ExecutionStore } from './store.js';

interface TaskIndex {
  /** QUEUED ids in admission order: a Set keeps insertion order and deletes in O(1). */
  queued: Set<string>;
  running: Set<string>;
}

/**
 * Executions and their event logs in process memory. Every method does its check and its write
 * in one synchronous step, so admission and claims are atomic without locks. Records are deep
 * copies both ways (as with any database) so callers never share state with the store.
 */
export function createMemoryExecutionStore(): ExecutionStore {
  const executions = new Map<string, Execution>();
  const log = new Map<string, ExecutionEvent[]>();
  /** Every execution in admission order, for newest-first listings. */
  const history: Array<{ order: number; value: Execution }> = [];
  const tasks = new Map<string, TaskIndex>();
  /** Admission order of every execution: FIFO position, also when one is requeued. */
  const order = new Map<string, number>();

  function indexOf(task: string): TaskIndex {
    let index = tasks.get(task);
    if (!index) {
      index = { queued: new Set(), running: new Set() };
      tasks.set(task, index);
    }
    return index;
  }

  function appendEvent(
    execution: Execution,
    event: Omit<ExecutionEvent, 'executionId' | 'sequence' | 'status'>,
  ): ExecutionChange {
    execution.lastSequence += 1;
    const stored: ExecutionEvent = {
      ...event,
      executionId: execution.id,
      sequence: execution.lastSequence,
      status: execution.status,
    };
    log.get(execution.id)!.push(stored);
    return { execution: structuredClone(execution), event: { ...stored } };
  }

  function moveIndex(execution: Execution, from: ExecutionStatus, to: ExecutionStatus): void {
    const index = indexOf(execution.task);
    if (from === 'QUEUED') index.queued.delete(execution.id);
    if (from === 'RUNNING') index.running.delete(execution.id);
    if (to === 'QUEUED') requeue(index, execution);
    if (to === 'RUNNING') index.running.add(execution.id);
  }

  /** A recovered execution goes back to its old place in the queue (by admission order), not the end. */
  function requeue(index: TaskIndex, execution: Execution): void {
    const place = order.get(execution.id)!;
    const ids = [...index.queued];
    const at = ids.findIndex((id) => order.get(id)! > place);
    if (at === -1) {
      index.queued.add(execution.id);
      return;
    }
    ids.splice(at, 0, execution.id);
    index.queued = new Set(ids);
  }

  return {
    async admit(candidate, limits) {
      const index = indexOf(candidate.task);
      const freeSlots = Math.max(0, limits.maxConcurrentExecutions - index.running.size);
      const waitingAfter = index.queued.size + 1 - freeSlots;
      if (waitingAfter > limits.maxQueueLength) return null;
      const execution: Execution = {
        ...structuredClone(candidate),
        startedBy: candidate.startedBy ?? null,
        status: 'QUEUED',
        feedback: '',
        progress: null,
        result: null,
        error: null,
        startedAt: null,
        finishedAt: null,
        attempt: 0,
        owner: null,
        leaseExpiresAt: null,
        lastSequence: 0,
      };
      executions.set(execution.id, execution);
      log.set(execution.id, []);
      order.set(execution.id, history.length);
      history.push({ order: history.length, value: execution });
      index.queued.add(execution.id);
      return appendEvent(execution, { at: candidate.queuedAt, kind: 'STATUS', message: null, mode: null, progress: null });
    },

    async claimNext(task, claim) {
      const index = indexOf(task);
      if (index.running.size >= claim.maxConcurrentExecutions) return null;
      const next = index.queued.values().next();
      if (next.done) return null;
      const execution = executions.get(next.value)!;
      moveIndex(execution, 'QUEUED', 'RUNNING');
      execution.status = 'RUNNING';
      execution.attempt += 1;
      execution.owner = claim.owner;
      execution.leaseExpiresAt = claim.leaseExpiresAt;
      execution.startedAt = claim.at;
      return appendEvent(execution, { at: claim.at, kind: 'STATUS', message: null, mode: null, progress: execution.progress });
    },

    async transition(id, change) {
      const execution = executions.get(id);
      if (!execution || execution.status !== change.from || !canTransition(change.from, change.to)) return null;
      if (change.attempt !== undefined && execution.attempt !== change.attempt) return null;
      if (change.leaseExpiredBefore && !(execution.leaseExpiresAt && execution.leaseExpiresAt < change.leaseExpiredBefore)) {
        return null;
      }
      moveIndex(execution, change.from, change.to);
      execution.status = change.to;
      if (change.result !== undefined) execution.result = structuredClone(change.result);
      if (change.error !== undefined) execution.error = change.error;
      if (change.to === 'QUEUED') {
        execution.owner = null;
        execution.leaseExpiresAt = null;
      } else if (change.to !== 'RUNNING') {
        execution.finishedAt = change.at;
        execution.owner = null;
        execution.leaseExpiresAt = null;
      }
      return appendEvent(execution, {
        at: change.at,
        kind: 'STATUS',
        message: change.message ?? null,
        mode: null,
        progress: execution.progress,
      });
    },

    async recordFeedback(id, attempt, feedback) {
      const execution = executions.get(id);
      if (!execution || execution.status !== 'RUNNING' || execution.attempt !== attempt) return null;
      execution.feedback =
        feedback.mode === 'APPEND' && execution.feedback !== ''
          ? `${execution.feedback}\n${feedback.message}`
          : feedback.message;
      if (feedback.progress !== null) execution.progress = feedback.progress;
      return appendEvent(execution, {
        at: feedback.at,
        kind: 'FEEDBACK',
        message: feedback.message,
        mode: feedback.mode,
        progress: execution.progress,
      });
    },

    async renewLease(id, attempt, leaseExpiresAt) {
      const execution = executions.get(id);
      if (!execution || execution.status !== 'RUNNING' || execution.attempt !== attempt) return false;
      execution.leaseExpiresAt = leaseExpiresAt;
      return true;
    },

    async expiredLeases(now, limit) {
      const expired: Execution[] = [];
      for (const index of tasks.values()) {
        for (const id of index.running) {
          const execution = executions.get(id)!;
          if (execution.leaseExpiresAt && execution.leaseExpiresAt < now) expired.push(structuredClone(execution));
          if (expired.length >= limit) return expired;
        }
      }
      return expired;
    },

    async get(id) {
      const execution = executions.get(id);
      return execution ? structuredClone(execution) : null;
    },

    async list(filter, page) {
      const matching = history.filter(
        ({ value }) =>
          (!filter.task || value.task === filter.task) &&
          (!filter.status || value.status === filter.status) &&
          (!filter.startedBy || value.startedBy === filter.startedBy),
      );
      const result = pageNewestFirst(matching, page);
      return { ...result, edges: result.edges.map((edge) => ({ ...edge, node: structuredClone(edge.node) })) };
    },

    async counts(task) {
      const index = indexOf(task);
      return { queued: index.queued.size, running: index.running.size };
    },

    async queuePosition(id) {
      const execution = executions.get(id);
      if (!execution || execution.status !== 'QUEUED') return null;
      let position = 1;
      for (const queuedId of indexOf(execution.task).queued) {
        if (queuedId === id) return position;
        position++;
      }
      return null;
    },

    async eventsAfter(id, afterSequence, limit = Number.POSITIVE_INFINITY) {
      const events = log.get(id) ?? [];
      // sequences start at 1 and have no gaps, so the position of sequence s is s - 1
      return events.slice(Math.max(0, afterSequence), Math.max(0, afterSequence) + limit).map((event) => ({ ...event }));
    },
  };
}
