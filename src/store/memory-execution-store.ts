import {
  canTransition,
  isTerminal,
  type AttemptRecord,
  type Execution,
  type ExecutionEvent,
  type ExecutionStatus,
} from '../engine/execution.js';
import { nextFeedbackText } from './feedback-text.js';
import { createClaimQueue, type ClaimQueue } from './memory-claim-queue.js';
import { createMemoryHistory, pageNewestFirst } from './memory-paging.js';
import { createTimeIndex } from './memory-time-index.js';
import { attemptsAfter, expiresAtOf, requireRunAt } from './transition-rules.js';
import type { ExecutionChange, ExecutionStore } from './store.js';

interface TaskIndex {
  /** QUEUED ids in claim order (priority, then admission order). */
  queued: ClaimQueue;
  running: Set<string>;
  /** How many are SCHEDULED (they hold no queue place; only maxScheduled bounds them). */
  scheduled: number;
  /** How many QUEUED ones each caller has (startedBy; null is the open caller): maxQueuedPerCaller. */
  queuedBy: Map<string | null, number>;
}

function copyAttempt(record: AttemptRecord): AttemptRecord {
  return {
    attempt: record.attempt,
    startedAt: record.startedAt && new Date(record.startedAt),
    endedAt: new Date(record.endedAt),
    outcome: record.outcome,
    error: record.error,
  };
}

/** A stored execution with its event log and its admission order (its place in claim order). */
interface Entry {
  execution: Execution;
  events: ExecutionEvent[];
  order: number;
  /** The idempotency key it was admitted with, released when it is deleted. */
  idempotencyKey: string | null;
  /** Its retention as admitted (NewExecution.retainForMs), if it was given. */
  retainForMs: number | undefined;
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
    attempts: execution.attempts.length === 0 ? [] : execution.attempts.map(copyAttempt),
    runAt: execution.runAt && new Date(execution.runAt),
    leaseExpiresAt: execution.leaseExpiresAt && new Date(execution.leaseExpiresAt),
    expiresAt: execution.expiresAt && new Date(execution.expiresAt),
  };
}

export interface MemoryExecutionStoreOptions {
  /**
   * Most finished executions kept (MAX_FINISHED_EXECUTIONS): beyond it the oldest finished are
   * offered by `expired` before their time, so the process's memory stays bounded. Default: no cap.
   */
  maxFinishedExecutions?: number;
}

/**
 * Executions and their event logs in process memory. Every method does its check and its write
 * in one synchronous step, so admission and claims are atomic without locks. Records are deep
 * copies both ways (as with any database) so callers never share state with the store.
 */
export function createMemoryExecutionStore(options: MemoryExecutionStoreOptions = {}): ExecutionStore {
  const maxFinished = options.maxFinishedExecutions ?? Number.POSITIVE_INFINITY;
  /**
   * Each execution with its event log and its admission order (FIFO position, also when it is
   * requeued), in one entry: one hash-table write per admission instead of three, which is what
   * keeps admission as cheap with 100,000 executions as with 1,000 (a table that outgrows the CPU
   * caches costs a cache miss per write).
   */
  const entries = new Map<string, Entry>();
  const executionOf = (id: string) => entries.get(id)?.execution;
  /** Every execution in admission order, for newest-first listings. */
  const history = createMemoryHistory<Execution>();
  const tasks = new Map<string, TaskIndex>();
  /** SCHEDULED ids by runAt, earliest first: dueScheduled and nextRunAt read only the front. */
  const scheduled = createTimeIndex();
  /** Idempotency keys and who holds them until when; an expired holder gives its key up on reuse. */
  const idempotencyKeys = new Map<string, { id: string; expiresAt: Date }>();
  /** Finished ids by expiresAt, earliest first: what retention deletes. */
  const expiring = createTimeIndex();
  /**
   * Finished ids in the order they finished (deleted ones skipped lazily from the head): the
   * oldest beyond maxFinished, whatever their expiry.
   */
  let finishedInOrder: string[] = [];
  let finishedHead = 0;
  /** How many finished executions are stored. */
  let finished = 0;

  function indexOf(task: string): TaskIndex {
    let index = tasks.get(task);
    if (!index) {
      index = { queued: createClaimQueue(), running: new Set(), scheduled: 0, queuedBy: new Map() };
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

  /** Takes the execution out of the index of `from`; `enter` puts it into the one of its new status. */
  function leave({ execution, order }: Entry, from: ExecutionStatus): void {
    const index = indexOf(execution.task);
    if (from === 'QUEUED') {
      index.queued.remove(execution.id, execution.priority, order);
      const waiting = index.queuedBy.get(execution.startedBy)! - 1;
      if (waiting === 0) index.queuedBy.delete(execution.startedBy);
      else index.queuedBy.set(execution.startedBy, waiting);
    }
    if (from === 'RUNNING') index.running.delete(execution.id);
    if (from === 'SCHEDULED') {
      index.scheduled--;
      scheduled.remove(execution.id, execution.runAt!);
    }
  }

  /**
   * A queued execution takes its place in claim order by its admission order, also when it comes
   * back (a recovered run, a retry or delayed start whose time came): not the end of the queue.
   */
  function enter({ execution, order }: Entry): void {
    const index = indexOf(execution.task);
    if (execution.status === 'QUEUED') {
      index.queued.add(execution.id, execution.priority, order);
      index.queuedBy.set(execution.startedBy, (index.queuedBy.get(execution.startedBy) ?? 0) + 1);
    }
    if (execution.status === 'RUNNING') index.running.add(execution.id);
    if (execution.status === 'SCHEDULED') {
      index.scheduled++;
      scheduled.add(execution.id, execution.runAt!);
    }
  }

  return {
    async admit(candidate, limits) {
      const key = candidate.idempotency;
      if (key) {
        const holder = idempotencyKeys.get(key.key);
        if (holder && holder.expiresAt > candidate.queuedAt) return { kind: 'duplicate', execution: snapshot(executionOf(holder.id)!) };
        if (holder) idempotencyKeys.delete(key.key);
      }
      const index = indexOf(candidate.task);
      const runAt = candidate.runAt ?? null;
      if (runAt) {
        if (limits.maxScheduled !== undefined && index.scheduled >= limits.maxScheduled) return { kind: 'full', limit: 'scheduled' };
      } else {
        const caller = candidate.startedBy ?? null;
        if (limits.maxQueuedPerCaller !== undefined && (index.queuedBy.get(caller) ?? 0) >= limits.maxQueuedPerCaller) {
          return { kind: 'full', limit: 'caller' };
        }
        const freeSlots = Math.max(0, limits.maxConcurrentExecutions - index.running.size);
        const waitingAfter = index.queued.size + 1 - freeSlots;
        if (waitingAfter > limits.maxQueueLength) return { kind: 'full', limit: 'queue' };
      }
      // Spelled out for the same reason as the events (see appendEvent).
      const execution: Execution = {
        id: candidate.id,
        task: candidate.task,
        startedBy: candidate.startedBy ?? null,
        input: structuredClone(candidate.input),
        queuedAt: new Date(candidate.queuedAt),
        status: runAt ? 'SCHEDULED' : 'QUEUED',
        feedback: '',
        progress: null,
        result: null,
        error: null,
        startedAt: null,
        finishedAt: null,
        attempt: 0,
        lostAttempts: 0,
        failedAttempts: 0,
        attempts: [],
        priority: candidate.priority ?? 0,
        runAt: runAt && new Date(runAt),
        retryOf: candidate.retryOf ?? null,
        scheduleId: candidate.scheduleId ?? null,
        owner: null,
        leaseExpiresAt: null,
        lastSequence: 0,
        expiresAt: null,
      };
      const entry: Entry = {
        execution,
        events: [],
        order: history.add(execution),
        idempotencyKey: key?.key ?? null,
        retainForMs: candidate.retainForMs,
      };
      entries.set(execution.id, entry);
      enter(entry);
      if (key) idempotencyKeys.set(key.key, { id: execution.id, expiresAt: new Date(key.expiresAt) });
      const change = appendEvent(execution, { at: candidate.queuedAt, kind: 'STATUS', message: null, mode: null, progress: null });
      return { kind: 'admitted', change };
    },

    async claimNext(task, claim) {
      const index = indexOf(task);
      if (index.running.size >= claim.maxConcurrentExecutions) return null;
      const next = index.queued.first();
      if (next === undefined) return null;
      const entry = entries.get(next)!;
      const { execution } = entry;
      leave(entry, 'QUEUED');
      execution.status = 'RUNNING';
      enter(entry);
      execution.attempt += 1;
      execution.owner = claim.owner;
      execution.leaseExpiresAt = claim.leaseExpiresAt;
      execution.startedAt = claim.at;
      return appendEvent(execution, { at: claim.at, kind: 'STATUS', message: null, mode: null, progress: execution.progress });
    },

    async transition(id, change) {
      requireRunAt(change);
      const entry = entries.get(id);
      const execution = entry?.execution;
      if (!entry || !execution || execution.status !== change.from || !canTransition(change.from, change.to)) return null;
      if (change.attempt !== undefined && execution.attempt !== change.attempt) return null;
      if (change.leaseExpiredBefore && !(execution.leaseExpiresAt && execution.leaseExpiresAt < change.leaseExpiredBefore)) {
        return null;
      }
      leave(entry, change.from);
      execution.attempts = attemptsAfter(execution, change) ?? execution.attempts;
      execution.status = change.to;
      if (change.leaseExpiredBefore) execution.lostAttempts += 1;
      if (change.failedAttempts !== undefined) execution.failedAttempts = change.failedAttempts;
      if (change.runAt) execution.runAt = new Date(change.runAt);
      if (change.result !== undefined) execution.result = structuredClone(change.result);
      if (change.error !== undefined) execution.error = change.error;
      if (change.to === 'QUEUED' || change.to === 'SCHEDULED') {
        execution.owner = null;
        execution.leaseExpiresAt = null;
      } else if (change.to !== 'RUNNING') {
        execution.finishedAt = change.atCommit ? new Date() : change.at;
        execution.owner = null;
        execution.leaseExpiresAt = null;
        const retainForMs = entry.retainForMs ?? change.retainFor?.(execution.task);
        if (retainForMs !== undefined) {
          execution.expiresAt = expiresAtOf(execution.finishedAt, retainForMs);
          expiring.add(id, execution.expiresAt);
        }
        finishedInOrder.push(id);
        finished++;
      }
      enter(entry);
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
      execution.feedback = nextFeedbackText(execution.feedback, feedback.message, feedback.mode, feedback.maxTextBytes);
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

    async dueScheduled(now, limit) {
      return scheduled.due(now, limit).map((id) => snapshot(executionOf(id)!));
    },

    async nextRunAt() {
      return scheduled.first();
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

    async expired(now, limit, tasks) {
      const found: Execution[] = [];
      const offered = new Set<string>();
      // Beyond the cap: the oldest finished, whatever their expiry.
      while (finishedHead < finishedInOrder.length && !entries.has(finishedInOrder[finishedHead]!)) finishedHead++;
      // Deleted ids behind a long-kept head: dropped once they outnumber the finished ones.
      if (finishedInOrder.length - finishedHead > 2 * finished + 1_024) {
        finishedInOrder = finishedInOrder.slice(finishedHead).filter((id) => entries.has(id));
        finishedHead = 0;
      } else if (finishedHead > 1_024 && finishedHead > finishedInOrder.length / 2) {
        finishedInOrder = finishedInOrder.slice(finishedHead);
        finishedHead = 0;
      }
      let over = finished - maxFinished;
      for (let i = finishedHead; i < finishedInOrder.length && over > 0 && found.length < limit; i++) {
        const execution = executionOf(finishedInOrder[i]!);
        if (!execution || !tasks.has(execution.task)) continue;
        found.push(snapshot(execution));
        offered.add(execution.id);
        over--;
      }
      for (const id of expiring.due(now, limit)) {
        if (found.length >= limit) break;
        const execution = executionOf(id)!;
        if (!offered.has(id) && tasks.has(execution.task)) found.push(snapshot(execution));
      }
      return found;
    },

    async expireUnexpired() {
      // Nothing here outlives the process, so nothing predates retention.
      return 0;
    },

    async delete(id) {
      const entry = entries.get(id);
      if (!entry || !isTerminal(entry.execution.status)) return false;
      entries.delete(id);
      finished--;
      if (entry.execution.expiresAt) expiring.remove(id, entry.execution.expiresAt);
      history.remove(entry.order);
      if (entry.idempotencyKey && idempotencyKeys.get(entry.idempotencyKey)?.id === id) idempotencyKeys.delete(entry.idempotencyKey);
      return true;
    },

    async get(id) {
      const execution = executionOf(id);
      return execution ? snapshot(execution) : null;
    },

    async list(filter, page) {
      // `== null`, not falsiness: an empty string is a value to match (it matches nothing), not "any".
      const matching = history.items().filter(
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
      return { scheduled: index.scheduled, queued: index.queued.size, running: index.running.size };
    },

    async queuePosition(id) {
      const entry = entries.get(id);
      if (!entry || entry.execution.status !== 'QUEUED') return null;
      return indexOf(entry.execution.task).queued.position(id, entry.execution.priority, entry.order);
    },

    async eventsAfter(id, afterSequence, limit = Number.POSITIVE_INFINITY) {
      const events = entries.get(id)?.events ?? [];
      // sequences start at 1 and have no gaps, so the position of sequence s is s - 1
      return events.slice(Math.max(0, afterSequence), Math.max(0, afterSequence) + limit).map((event) => ({ ...event }));
    },
  };
}
