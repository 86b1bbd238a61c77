import { canTransition, type Execution, type ExecutionEvent, type ExecutionStatus } from '../engine/execution.js';
import { pageNewestFirst } from './memory-paging.js';
import type { ExecutionChange, ExecutionStore } from './store.js';

interface TaskIndex {
  /** QUEUED ids in admission order: a Set keeps insertion order and deletes in O(1). */
  queued: Set<string>;
  running: Set<string>;
}

/**
 * A copy of a stored execution that the caller may change freely. Strings are immutable, so the
 * feedback text is shared, not copied: a deep copy of the whole record (structuredClone) copied
 * the entire feedback text for every event, so a flow appending n lines paid O(n²) copying and
 * young-generation garbage on the main thread. The JSON values (input, result) and the Dates
 * are still copied: callers may mutate those.
 */
function snapshot(execution: Execution): Execution {
  return {
    ...execution,
    input: structuredClone(execution.input),
    result: structuredClone(execution.result),
    queuedAt: new Date(execution.queuedAt),
    startedAt: execution.startedAt && new Date(execution.startedAt),
    finishedAt: execution.finishedAt && new Date(execution.finishedAt),
    leaseExpiresAt: execution.leaseExpiresAt && new Date(execution.leaseExpiresAt),
  };
}

/**
 * Executions and their event logs in process memory. Every method does its check and its write
 * in one synchronous step, so admission and claims are atomic without locks. Records are deep
 * copies both ways (as with any database) so callers never share state with the store.
 */
export function createMemoryExecutionStore(): ExecutionStore {
  /**
   * Each execution with its event log and its admission order (FIFO position, also when it is
   * requeued), in one entry: one hash-table write per admission instead of three, which is what
   * keeps admission as cheap with 100,000 executions as with 1,000 (a table that outgrows the CPU
   * caches costs a cache miss per write).
   */
  const entries = new Map<string, { execution: Execution; events: ExecutionEvent[]; order: number }>();
  const executionOf = (id: string) => entries.get(id)?.execution;
  /** Every execution in admission order, for newest-first listings. */
  const history: Array<{ order: number; value: Execution }> = [];
  const tasks = new Map<string, TaskIndex>();

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
    // Every field spelled out, never `{ ...event, more }`: on Node 20 (V8 11.3) a spread followed by
    // new properties gives each object a hidden class of its own: about 300 bytes more per stored
    // event, and megamorphic property reads wherever events are used.
    const stored: ExecutionEvent = {
      executionId: execution.id,
      sequence: execution.lastSequence,
      at: event.at,
      kind: event.kind,
      status: execution.status,
      message: event.message,
      mode: event.mode,
      progress: event.progress,
    };
    entries.get(execution.id)!.events.push(stored);
    return { execution: snapshot(execution), event: { ...stored } };
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
    const place = entries.get(execution.id)!.order;
    const ids = [...index.queued];
    const at = ids.findIndex((id) => entries.get(id)!.order > place);
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
      // Spelled out for the same reason as the events (see appendEvent).
      const execution: Execution = {
        id: candidate.id,
        task: candidate.task,
        startedBy: candidate.startedBy ?? null,
        input: structuredClone(candidate.input),
        queuedAt: new Date(candidate.queuedAt),
        status: 'QUEUED',
        feedback: '',
        progress: null,
        result: null,
        error: null,
        startedAt: null,
        finishedAt: null,
        attempt: 0,
        lostAttempts: 0,
        owner: null,
        leaseExpiresAt: null,
        lastSequence: 0,
      };
      entries.set(execution.id, { execution, events: [], order: history.length });
      history.push({ order: history.length, value: execution });
      index.queued.add(execution.id);
      return appendEvent(execution, { at: candidate.queuedAt, kind: 'STATUS', message: null, mode: null, progress: null });
    },

    async claimNext(task, claim) {
      const index = indexOf(task);
      if (index.running.size >= claim.maxConcurrentExecutions) return null;
      const next = index.queued.values().next();
      if (next.done) return null;
      const execution = executionOf(next.value)!;
      moveIndex(execution, 'QUEUED', 'RUNNING');
      execution.status = 'RUNNING';
      execution.attempt += 1;
      execution.owner = claim.owner;
      execution.leaseExpiresAt = claim.leaseExpiresAt;
      execution.startedAt = claim.at;
      return appendEvent(execution, { at: claim.at, kind: 'STATUS', message: null, mode: null, progress: execution.progress });
    },

    async transition(id, change) {
      const execution = executionOf(id);
      if (!execution || execution.status !== change.from || !canTransition(change.from, change.to)) return null;
      if (change.attempt !== undefined && execution.attempt !== change.attempt) return null;
      if (change.leaseExpiredBefore && !(execution.leaseExpiresAt && execution.leaseExpiresAt < change.leaseExpiredBefore)) {
        return null;
      }
      moveIndex(execution, change.from, change.to);
      execution.status = change.to;
      if (change.leaseExpiredBefore) execution.lostAttempts += 1;
      if (change.result !== undefined) execution.result = structuredClone(change.result);
      if (change.error !== undefined) execution.error = change.error;
      if (change.to === 'QUEUED') {
        execution.owner = null;
        execution.leaseExpiresAt = null;
      } else if (change.to !== 'RUNNING') {
        execution.finishedAt = change.atCommit ? new Date() : change.at;
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
      const execution = executionOf(id);
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
      const execution = executionOf(id);
      if (!execution || execution.status !== 'RUNNING' || execution.attempt !== attempt) return false;
      execution.leaseExpiresAt = leaseExpiresAt;
      return true;
    },

    async expiredLeases(now, limit) {
      const expired: Execution[] = [];
      for (const index of tasks.values()) {
        for (const id of index.running) {
          const execution = executionOf(id)!;
          if (execution.leaseExpiresAt && execution.leaseExpiresAt < now) expired.push(snapshot(execution));
          if (expired.length >= limit) return expired;
        }
      }
      return expired;
    },

    async get(id) {
      const execution = executionOf(id);
      return execution ? snapshot(execution) : null;
    },

    async list(filter, page) {
      // `== null`, not falsiness: an empty string is a value to match (it matches nothing), not "any".
      const matching = history.filter(
        ({ value }) =>
          (filter.task == null || value.task === filter.task) &&
          (filter.status == null || value.status === filter.status) &&
          (filter.startedBy == null || value.startedBy === filter.startedBy),
      );
      const result = pageNewestFirst(matching, page);
      return { ...result, edges: result.edges.map((edge) => ({ ...edge, node: snapshot(edge.node) })) };
    },

    async counts(task) {
      const index = indexOf(task);
      return { queued: index.queued.size, running: index.running.size };
    },

    async queuePosition(id) {
      const execution = executionOf(id);
      if (!execution || execution.status !== 'QUEUED') return null;
      let position = 1;
      for (const queuedId of indexOf(execution.task).queued) {
        if (queuedId === id) return position;
        position++;
      }
      return null;
    },

    async eventsAfter(id, afterSequence, limit = Number.POSITIVE_INFINITY) {
      const events = entries.get(id)?.events ?? [];
      // sequences start at 1 and have no gaps, so the position of sequence s is s - 1
      return events.slice(Math.max(0, afterSequence), Math.max(0, afterSequence) + limit).map((event) => ({ ...event }));
    },
  };
}
