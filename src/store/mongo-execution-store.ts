import { MongoBulkWriteError, MongoServerError, type Db, type Filter } from 'mongodb';
import { canTransition, isTerminal, terminalStatuses } from '../engine/execution.js';
import { nextFeedbackText } from './feedback-text.js';
import { eventDoc, newDoc, toEvent, toExecution, type EventDoc, type EventFields, type ExecutionDoc } from './mongo-execution-doc.js';
import { collections } from './mongo-indexes.js';
import { findPage } from './mongo-paging.js';
import type { AdmissionLimits, ExecutionChange, ExecutionStore } from './store.js';
import { attemptsAfter, expiresAtOf, requireRunAt } from './transition-rules.js';

/** Conditional writes retry this often when a concurrent writer moved the version on. */
const maxWriteTries = 20;

/**
 * Executions and their feedback log in MongoDB, correct with several server processes and no
 * transactions:
 * - every change is a compare-and-set on `lastSequence` plus the expected status and attempt;
 * - the events of a change are stored inside the execution by that same atomic update
 *   (`lastEvent`, and `earlierEvents` when feedback sent together is written together), then
 *   copied into the log; a writer (or reader) first makes sure the previous write's events are in
 *   the log, so a crash between the two writes never leaves a gap;
 * - admission and claims take slots guarded by unique partial indexes, so limits hold exactly
 *   across processes (SCHEDULED executions hold none: they take a capacity slot when they join
 *   the queue); an idempotency key is unique the same way;
 * - every change stamps `changedAt` with the database server's clock, for the polling cluster feed.
 */
export function createMongoExecutionStore(db: Db): ExecutionStore {
  const executions = db.collection<ExecutionDoc>(collections.executions);
  const events = db.collection<EventDoc>(collections.events);
  /** Executions whose newest events this process knows are in the log already, to skip a write. */
  const logged = new Map<string, number>();
  /**
   * The document of each execution running here as this process last wrote it: a feedback write
   * starts from it instead of reading it first (the compare-and-set on lastSequence still refuses
   * it if anyone changed the execution since, and the write then reads it).
   */
  const held = new Map<string, ExecutionDoc>();
  /** Feedback waiting for its execution's next write, per execution (see recordFeedback). */
  const feedbackQueues = new Map<string, PendingFeedback[]>();

  async function logEvents(batch: EventDoc[]): Promise<void> {
    try {
      if (batch.length === 1) await events.insertOne(batch[0]!);
      else await events.insertMany(batch, { ordered: false });
    } catch (error) {
      // Copied already (by another writer or reader, or before a crash): the log has them.
      duplicateKeyIndexes(error);
    }
  }

  async function ensureLogged(doc: ExecutionDoc): Promise<void> {
    if (logged.get(doc._id) === doc.lastSequence) return;
    await logEvents([...(doc.earlierEvents ?? []), doc.lastEvent]);
    logged.set(doc._id, doc.lastSequence);
  }

  /**
   * The compare-and-set every change goes through: one event per entry of `fields`, numbered on
   * from the current sequence, all stored inside the execution by the same atomic update and then
   * copied into the log. One change per event; null when `current` is no longer current.
   */
  async function commit(
    current: ExecutionDoc,
    conditions: Filter<ExecutionDoc>,
    set: Partial<ExecutionDoc>,
    unset: SlotField[],
    fields: EventFields[],
    /** Stamp finishedAt with the server's clock instead (see `atCommit` in the port). */
    finishedAtCommit = false,
    /** The feedback text right after each event, when the events change it. */
    feedbackTexts?: string[],
  ): Promise<ExecutionChange[] | null> {
    await ensureLogged(current);
    const status = set.status ?? current.status;
    const written = fields.map((eventFields, index) => eventDoc(current._id, current.lastSequence + 1 + index, status, eventFields));
    const lastEvent = written.at(-1)!;
    const earlierEvents = written.slice(0, -1);
    const removed: string[] = earlierEvents.length > 0 ? unset : [...unset, 'earlierEvents'];
    const updated = await executions.findOneAndUpdate(
      { _id: current._id, lastSequence: current.lastSequence, ...conditions },
      {
        $set: { ...set, lastSequence: lastEvent.sequence, lastEvent, ...(earlierEvents.length > 0 ? { earlierEvents } : {}) },
        $currentDate: finishedAtCommit ? { changedAt: true, finishedAt: true } : { changedAt: true },
        ...(removed.length > 0 ? { $unset: Object.fromEntries(removed.map((key) => [key, ''])) } : {}),
      },
      { returnDocument: 'after' },
    );
    if (!updated) return null;
    await logEvents(written);
    // Only a running execution is written again soon by this process: forget the others.
    if (updated.status !== 'RUNNING') {
      logged.delete(updated._id);
      held.delete(updated._id);
    } else {
      logged.set(updated._id, lastEvent.sequence);
      held.set(updated._id, updated);
    }
    const execution = toExecution(updated);
    // Each change carries the execution as it was right after its own event.
    return written.map((event, index) => ({
      execution: index === written.length - 1 ? execution : { ...execution, lastSequence: event.sequence, progress: event.progress, feedback: feedbackTexts?.[index] ?? execution.feedback },
      event: toEvent(event),
    }));
  }

  /**
   * Writes the feedback queued for one execution: everything queued while a write is under way
   * (or in the same turn of the event loop) goes into the next write together, as one update of
   * the execution and one insert of its events. A flow that sends feedback for each item of a
   * batch at once costs two round trips per batch instead of three per item.
   */
  async function drainFeedback(id: string): Promise<void> {
    const queue = feedbackQueues.get(id)!;
    while (queue.length > 0) {
      const { attempt } = queue[0]!;
      let count = 1;
      while (count < queue.length && count < maxEventsPerWrite && queue[count]!.attempt === attempt) count++;
      const group = queue.splice(0, count);
      try {
        const changes = await writeFeedback(id, attempt, group.map((pending) => pending.feedback));
        group.forEach((pending, index) => pending.resolve(changes?.[index] ?? null));
      } catch (error) {
        for (const pending of group) pending.reject(error);
      }
    }
    feedbackQueues.delete(id);
  }

  async function writeFeedback(id: string, attempt: number, feedback: FeedbackWrite[]): Promise<ExecutionChange[] | null> {
    for (let tries = 0; tries < maxWriteTries; tries++) {
      const current = held.get(id) ?? (await executions.findOne({ _id: id }));
      if (!current || current.status !== 'RUNNING' || current.attempt !== attempt) {
        held.delete(id);
        return null;
      }
      let text = current.feedback;
      let progress = current.progress;
      const fields: EventFields[] = [];
      const texts: string[] = [];
      for (const { message, mode, maxTextBytes, at, progress: given } of feedback) {
        text = nextFeedbackText(text, message, mode, maxTextBytes);
        progress = given ?? progress;
        fields.push({ at, kind: 'FEEDBACK', message, mode, progress });
        texts.push(text);
      }
      const committed = await commit(current, { status: 'RUNNING', attempt }, { feedback: text, progress }, [], fields, false, texts);
      if (committed) return committed;
      held.delete(id); // changed by someone else: read it again
    }
    throw new Error(`Execution ${id} kept changing under a feedback write`);
  }

  /**
   * The execution holding an idempotency key that has not expired at `now`, if any. An expired
   * holder gives the key up (a conditional unset: only while it still holds it, expired), so a
   * new admission can take it.
   */
  async function idempotencyHolder(key: string, now: Date): Promise<ExecutionDoc | null> {
    // served by idempotency_key
    const holder = await executions.findOne({ idempotencyKey: key });
    if (!holder) return null;
    if (holder.idempotencyExpiresAt && holder.idempotencyExpiresAt > now) return holder;
    await executions.updateOne(
      { _id: holder._id, idempotencyKey: key, idempotencyExpiresAt: { $lte: now } },
      { $unset: { idempotencyKey: '', idempotencyExpiresAt: '' } },
    );
    return null;
  }

  /** The task's executions that hold a capacity slot (QUEUED or RUNNING), with their slots. */
  function slotHolders(task: string) {
    // served by task_capacity_slot
    return executions.find({ task, slot: { $exists: true } }, { projection: { slot: 1, status: 1 } }).toArray();
  }

  /** The capacity slot a new QUEUED execution takes, or null when the queue is full. */
  async function freeCapacitySlot(task: string, limits: AdmissionLimits): Promise<number | null> {
    const active = await slotHolders(task);
    const running = active.filter((doc) => doc.status === 'RUNNING').length;
    const queued = active.length - running;
    const freeRunSlots = Math.max(0, limits.maxConcurrentExecutions - running);
    if (queued + 1 - freeRunSlots > limits.maxQueueLength) return null;
    const capacity = Math.max(limits.maxConcurrentExecutions, running) + limits.maxQueueLength;
    return firstFree(new Set(active.map((doc) => doc.slot!)), capacity);
  }

  /**
   * The caller slot a QUEUED execution holds. Under a per-caller limit a new start takes a free one
   * in [0, limit), or none (null) when the caller has `limit` waiting: two instances admitting at
   * once cannot take the same one. Without a limit, or for an execution that comes back to the
   * queue (it was accepted already, and is counted but never refused), it takes a negative one of
   * its own, found without a read. While such a one waits, starts racing each other may together
   * pass the limit by that many; one at a time never do.
   */
  async function callerSlotFor(task: string, startedBy: string | null, limit?: number): Promise<number | null> {
    if (limit === undefined) return -1 - Math.floor(Math.random() * 2 ** 52);
    // served by task_caller_slot
    const waiting = await executions.countDocuments({ task, startedBy, callerSlot: { $exists: true } });
    if (waiting >= limit) return null;
    const low = await executions
      .find({ task, startedBy, callerSlot: { $gte: 0, $lt: limit } }, { projection: { callerSlot: 1 } })
      .toArray();
    return firstFree(new Set(low.map((doc) => doc.callerSlot!)), limit);
  }

  return {
    async admit(candidate, limits) {
      const scheduled = candidate.runAt != null;
      const event = eventDoc(candidate.id, 1, scheduled ? 'SCHEDULED' : 'QUEUED', {
        at: candidate.queuedAt, kind: 'STATUS', message: null, mode: null, progress: null,
      });
      for (let tries = 0; tries < maxWriteTries; tries++) {
        // Idempotency first, on every try: a duplicate key error below may be this key's (another
        // process admitted with it meanwhile) as well as a capacity slot's.
        if (candidate.idempotency) {
          const holder = await idempotencyHolder(candidate.idempotency.key, candidate.queuedAt);
          if (holder) return { kind: 'duplicate', execution: toExecution(holder) };
        }
        const callerSlot = scheduled ? undefined : await callerSlotFor(candidate.task, candidate.startedBy ?? null, limits.maxQueuedPerCaller);
        if (callerSlot === null) return { kind: 'full', limit: 'caller' };
        const slot = scheduled ? undefined : await freeCapacitySlot(candidate.task, limits);
        if (slot === null) return { kind: 'full', limit: 'queue' };
        // Approximate across processes (the port allows it): a count, not slots.
        if (scheduled && limits.maxScheduled !== undefined) {
          // served by task_status_priority_queued
          const count = await executions.countDocuments({ task: candidate.task, status: 'SCHEDULED' });
          if (count >= limits.maxScheduled) return { kind: 'full', limit: 'scheduled' };
        }
        const doc = newDoc(candidate, event, { slot, callerSlot });
        try {
          // An upsert, not insertOne: only an update can stamp changedAt with the server's clock.
          const { _id, ...fields } = doc;
          await executions.updateOne({ _id }, { $setOnInsert: fields, $currentDate: { changedAt: true } }, { upsert: true });
        } catch (error) {
          if (isDuplicateKey(error)) continue; // a slot, a caller slot or the idempotency key was taken: look again
          throw error;
        }
        await logEvents([event]);
        return { kind: 'admitted', change: { execution: toExecution(doc), event: toEvent(event) } };
      }
      throw new Error(`Admission for task ${candidate.task} kept colliding with other writers`);
    },

    async claimNext(task, claim) {
      for (let tries = 0; tries < maxWriteTries; tries++) {
        // served by task_run_slot
        const runningDocs = await executions.find({ task, runSlot: { $exists: true } }, { projection: { runSlot: 1 } }).toArray();
        if (runningDocs.length >= claim.maxConcurrentExecutions) return null;
        const runSlot = firstFree(new Set(runningDocs.map((doc) => doc.runSlot!)), claim.maxConcurrentExecutions)!;
        // served by task_status_priority_queued: highest priority, then FIFO by queue time, then id
        const oldest = await executions.findOne({ task, status: 'QUEUED' }, { sort: { priority: -1, queuedAt: 1, _id: 1 } });
        if (!oldest) return null;
        try {
          const change = await commit(
            oldest,
            { status: 'QUEUED' },
            {
              status: 'RUNNING',
              runSlot,
              attempt: oldest.attempt + 1,
              owner: claim.owner,
              leaseExpiresAt: claim.leaseExpiresAt,
              startedAt: claim.at,
            },
            // Running, it no longer waits: its caller's slot is free for another start.
            ['callerSlot'],
            [{ at: claim.at, kind: 'STATUS', message: null, mode: null, progress: oldest.progress }],
          );
          if (change) return change[0]!;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error; // another process took that run slot
        }
      }
      return null;
    },

    async transition(id, change) {
      requireRunAt(change);
      if (!canTransition(change.from, change.to)) return null;
      for (let tries = 0; tries < maxWriteTries; tries++) {
        // A status change reads the execution anyway, and the next feedback write starts again
        // from the document it commits (or reads it).
        held.delete(id);
        const current = await executions.findOne({ _id: id });
        if (!current || current.status !== change.from) return null;
        if (change.attempt !== undefined && current.attempt !== change.attempt) return null;
        const conditions: Filter<ExecutionDoc> = { status: change.from, attempt: current.attempt };
        if (change.leaseExpiredBefore) {
          if (!(current.leaseExpiresAt && current.leaseExpiresAt < change.leaseExpiredBefore)) return null;
          conditions.leaseExpiresAt = { $lt: change.leaseExpiredBefore };
        }
        const set: Partial<ExecutionDoc> = { status: change.to };
        if (change.leaseExpiredBefore) set.lostAttempts = (current.lostAttempts ?? 0) + 1;
        if (change.failedAttempts !== undefined) set.failedAttempts = change.failedAttempts;
        if (change.runAt) set.runAt = change.runAt;
        if (change.result !== undefined) set.resultJson = JSON.stringify(change.result ?? null);
        if (change.error !== undefined) set.error = change.error;
        const attempts = attemptsAfter({ ...current, attempts: current.attempts ?? [] }, change);
        if (attempts) set.attempts = attempts;
        const unset: SlotField[] = ['runSlot'];
        if (change.from === 'QUEUED') unset.push('callerSlot');
        const terminal = change.to !== 'QUEUED' && change.to !== 'SCHEDULED' && change.to !== 'RUNNING';
        if (change.to === 'QUEUED') {
          Object.assign(set, { owner: null, leaseExpiresAt: null });
          // Back from SCHEDULED it takes a capacity slot, beyond capacity if need be: the start
          // was accepted when it was made. RUNNING→QUEUED keeps the slot it holds.
          if (change.from === 'SCHEDULED') {
            const used = new Set((await slotHolders(current.task)).map((doc) => doc.slot!));
            set.slot = firstFree(used, Number.POSITIVE_INFINITY)!;
          }
          // Waiting again, it counts for its caller again (never refused: it was accepted).
          set.callerSlot = (await callerSlotFor(current.task, current.startedBy ?? null))!;
        } else if (change.to === 'SCHEDULED') {
          // Waiting for its time it holds neither a run slot nor a queue place.
          Object.assign(set, { owner: null, leaseExpiresAt: null });
          unset.push('slot');
        } else if (terminal) {
          Object.assign(set, { owner: null, leaseExpiresAt: null, ...(change.atCommit ? {} : { finishedAt: change.at }) });
          // With atCommit the database dates the end: by this clock, a few ms off at most.
          const retainForMs = current.retainForMs ?? change.retainFor?.(current.task);
          if (retainForMs !== undefined) set.expiresAt = expiresAtOf(change.atCommit ? new Date() : change.at, retainForMs);
          unset.push('slot');
        }
        try {
          const committed = await commit(
            current,
            conditions,
            set,
            unset,
            [{ at: change.at, kind: 'STATUS', message: change.message ?? null, mode: null, progress: current.progress }],
            terminal && change.atCommit === true,
          );
          if (committed) return committed[0]!;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error; // another process took that capacity or caller slot: look again
        }
      }
      throw new Error(`Execution ${id} kept changing under a status change`);
    },

    recordFeedback(id, attempt, feedback) {
      return new Promise((resolve, reject) => {
        let queue = feedbackQueues.get(id);
        if (queue === undefined) {
          feedbackQueues.set(id, (queue = []));
          // The rest of this turn's feedback for the execution joins the same write.
          setImmediate(() => void drainFeedback(id));
        }
        queue.push({ attempt, feedback, resolve, reject });
      });
    },

    async renewLease(id, attempt, leaseExpiresAt) {
      const result = await executions.updateOne({ _id: id, status: 'RUNNING', attempt }, { $set: { leaseExpiresAt } });
      return result.matchedCount === 1;
    },

    async dueScheduled(now, limit) {
      // served by status_run_at
      const docs = await executions.find({ status: 'SCHEDULED', runAt: { $lte: now } }).sort({ runAt: 1 }).limit(limit).toArray();
      return docs.map(toExecution);
    },

    async nextRunAt() {
      // served by status_run_at
      const next = await executions.findOne({ status: 'SCHEDULED' }, { sort: { runAt: 1 }, projection: { runAt: 1 } });
      return next?.runAt ?? null;
    },

    async expiredLeases(now, limit) {
      // served by status_lease
      const docs = await executions.find({ status: 'RUNNING', leaseExpiresAt: { $lt: now } }).limit(limit).toArray();
      return docs.map(toExecution);
    },

    async expired(now, limit, tasks) {
      // served by expires_at
      const docs = await executions
        .find({ expiresAt: { $exists: true, $lte: now }, task: { $in: [...tasks] } })
        .sort({ expiresAt: 1 })
        .limit(limit)
        .toArray();
      return docs.map(toExecution);
    },

    async expireUnexpired(task, expiresAt) {
      // served by task_status_priority_queued (task, status)
      const { modifiedCount } = await executions.updateMany(
        { task, status: { $in: [...terminalStatuses] }, expiresAt: { $exists: false } },
        { $set: { expiresAt } },
      );
      return modifiedCount;
    },

    async delete(id) {
      const doc = await executions.findOne({ _id: id }, { projection: { status: 1 } });
      if (!doc || !isTerminal(doc.status)) return false;
      // served by execution_sequence (executionId first)
      await events.deleteMany({ executionId: id });
      const { deletedCount } = await executions.deleteOne({ _id: id, status: doc.status });
      // Again: the writer of its end copies the last event into the log after the end itself, and
      // that copy may land between the two deletes above.
      await events.deleteMany({ executionId: id });
      logged.delete(id);
      held.delete(id);
      return deletedCount === 1;
    },

    async get(id) {
      const doc = await executions.findOne({ _id: id });
      return doc ? toExecution(doc) : null;
    },

    async list(filter, page) {
      // `!= null`, not truthiness: an empty string is a value to match (it matches nothing), not "any".
      const where: Filter<ExecutionDoc> = {};
      if (filter.task != null) where.task = filter.task;
      if (filter.status != null) where.status = filter.status;
      if (filter.startedBy != null) where.startedBy = filter.startedBy;
      return findPage(executions, where, 'queuedAt', page, toExecution);
    },

    async counts(task) {
      // served by task_status_priority_queued
      const [scheduled, queued, running] = await Promise.all(
        (['SCHEDULED', 'QUEUED', 'RUNNING'] as const).map((status) => executions.countDocuments({ task, status })),
      );
      return { scheduled: scheduled!, queued: queued!, running: running! };
    },

    async queuePosition(id) {
      const doc = await executions.findOne({ _id: id }, { projection: { task: 1, status: 1, queuedAt: 1, priority: 1 } });
      if (!doc || doc.status !== 'QUEUED') return null;
      const priority = doc.priority ?? 0;
      // Ahead in claim order: a higher priority, or the same one and (queuedAt, _id) before it.
      // served by task_status_priority_queued (the top-level range bounds the index scan)
      const ahead = await executions.countDocuments({
        task: doc.task,
        status: 'QUEUED',
        priority: { $gte: priority },
        $or: [
          { priority: { $gt: priority } },
          { priority, queuedAt: { $lt: doc.queuedAt } },
          { priority, queuedAt: doc.queuedAt, _id: { $lt: id } },
        ],
      });
      return ahead + 1;
    },

    async eventsAfter(id, afterSequence, limit = 0) {
      const doc = await executions.findOne({ _id: id }, { projection: { lastSequence: 1, lastEvent: 1, earlierEvents: 1 } });
      if (!doc) return [];
      await ensureLogged(doc as ExecutionDoc);
      const stored = await events
        .find({ executionId: id, sequence: { $gt: afterSequence, $lte: doc.lastSequence } })
        .sort({ sequence: 1 })
        .limit(Number.isFinite(limit) ? limit : 0)
        .toArray();
      return stored.map(toEvent);
    },
  };
}

/** The slot fields a change may remove (see ExecutionDoc). */
type SlotField = 'slot' | 'runSlot' | 'callerSlot';

/** Most feedback events one write stores: bounds the events kept inside the execution document. */
const maxEventsPerWrite = 100;

type FeedbackWrite = Parameters<ExecutionStore['recordFeedback']>[2];

interface PendingFeedback {
  attempt: number;
  feedback: FeedbackWrite;
  resolve(change: ExecutionChange | null): void;
  reject(error: unknown): void;
}

function firstFree(used: Set<number>, capacity: number): number | null {
  for (let slot = 0; slot < capacity; slot++) if (!used.has(slot)) return slot;
  return null;
}

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/**
 * The positions of the documents an unordered insertMany refused as duplicates (a single
 * insert's duplicate is position 0); rethrows any other failure (what it wrote stays written:
 * a retry finds those as duplicates).
 */
export function duplicateKeyIndexes(error: unknown): number[] {
  if (isDuplicateKey(error) && !(error instanceof MongoBulkWriteError)) return [0];
  if (!(error instanceof MongoBulkWriteError)) throw error;
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  if (writeErrors.length === 0 || writeErrors.some((writeError) => writeError.code !== 11000)) throw error;
  return writeErrors.map((writeError) => writeError.index);
}
