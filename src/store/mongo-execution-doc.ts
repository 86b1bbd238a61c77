import type { AttemptRecord, Execution, ExecutionEvent, ExecutionStatus } from '../engine/execution.js';
import type { ExecutionChange, NewExecution } from './store.js';

type FieldsAddedLater = 'failedAttempts' | 'attempts' | 'priority' | 'runAt' | 'retryOf' | 'scheduleId' | 'expiresAt';

/**
 * How an execution is stored. Input and result are JSON text: user data keeps its exact shape
 * and never clashes with BSON's rules for field names (`$`, `.`).
 */
export type ExecutionDoc = Omit<Execution, 'id' | 'input' | 'result' | FieldsAddedLater> & {
  _id: string;
  /** Absent in documents stored before they existed: toExecution reads them with defaults. */
  failedAttempts?: number;
  attempts?: AttemptRecord[];
  /** Set on every non-terminal document by the start-up migration (ensureIndexes): claims sort by it. */
  priority?: number;
  runAt?: Date | null;
  retryOf?: string | null;
  scheduleId?: string | null;
  /** Set when it finishes (absent before): what `expired` finds, by the index expires_at. */
  expiresAt?: Date;
  /** Its retention in ms as admitted (NewExecution.retainForMs); absent in older documents. */
  retainForMs?: number;
  /**
   * The execution's idempotency key (already scoped by the engine) and when it expires; both
   * absent without one. Unique (a partial index over documents that have it), so two instances
   * admitting with one key at once store one execution; an expired key is unset before reuse.
   */
  idempotencyKey?: string;
  idempotencyExpiresAt?: Date;
  inputJson: string;
  resultJson: string | null;
  /**
   * The newest event, written with the execution in one atomic update (see `commit`);
   * `lastSequence` doubles as the version every conditional write checks.
   */
  lastEvent: EventDoc;
  /**
   * The events the same update wrote before `lastEvent`, when it wrote several (feedback sent
   * together is stored together); absent otherwise. Copied into the log like `lastEvent`.
   */
  earlierEvents?: EventDoc[];
  /** Capacity slot while QUEUED or RUNNING (unique per task): exact admission. */
  slot?: number;
  /** Run slot while RUNNING (unique per task): exact concurrency. */
  runSlot?: number;
  /** Caller slot while QUEUED (unique per task and startedBy): exact maxQueuedPerCaller. */
  callerSlot?: number;
  /**
   * The database server's clock at the latest change (`$currentDate`, never a process's own
   * clock): what the polling cluster feed reads by (mongo-polling-feed.ts). Lease renewals do
   * not move it; they are not changes anyone follows.
   */
  changedAt?: Date;
};

export type EventDoc = ExecutionEvent & { _id: string };

export type EventFields = Omit<ExecutionEvent, 'executionId' | 'sequence' | 'status'>;

export function eventDoc(executionId: string, sequence: number, status: ExecutionStatus, fields: EventFields): EventDoc {
  return { _id: `${executionId}:${sequence}`, executionId, sequence, status, ...fields };
}

export function toEvent({ _id, ...event }: EventDoc): ExecutionEvent {
  return event;
}

export function toExecution(doc: ExecutionDoc): Execution {
  return {
    id: doc._id,
    task: doc.task,
    status: doc.status,
    startedBy: doc.startedBy ?? null,
    input: JSON.parse(doc.inputJson) as unknown,
    feedback: doc.feedback,
    progress: doc.progress,
    result: doc.resultJson === null ? null : (JSON.parse(doc.resultJson) as unknown),
    error: doc.error,
    queuedAt: doc.queuedAt,
    startedAt: doc.startedAt,
    finishedAt: doc.finishedAt,
    attempt: doc.attempt,
    // Documents stored before lostAttempts existed have none lost that were counted.
    lostAttempts: doc.lostAttempts ?? 0,
    // Likewise for the fields of retries, delayed starts, priorities and schedules.
    failedAttempts: doc.failedAttempts ?? 0,
    attempts: doc.attempts ?? [],
    priority: doc.priority ?? 0,
    runAt: doc.runAt ?? null,
    retryOf: doc.retryOf ?? null,
    scheduleId: doc.scheduleId ?? null,
    owner: doc.owner,
    leaseExpiresAt: doc.leaseExpiresAt,
    lastSequence: doc.lastSequence,
    expiresAt: doc.expiresAt ?? null,
  };
}

/** An execution as the cluster feed delivers it: one change per event of its newest write. */
export function toChanges(doc: ExecutionDoc): ExecutionChange[] {
  const execution = toExecution(doc);
  const earlier = (doc.earlierEvents ?? []).map((event) => ({
    // As right after the event, but for the feedback text: the document keeps only the last one.
    execution: { ...execution, lastSequence: event.sequence, progress: event.progress },
    event: toEvent(event),
  }));
  return [...earlier, { execution, event: toEvent(doc.lastEvent) }];
}

/**
 * The document of an admitted execution. Fields without a value are left out, not null: the
 * unique partial indexes cover documents by whether `slot` and `idempotencyKey` exist.
 */
export function newDoc(
  candidate: NewExecution,
  lastEvent: EventDoc,
  slots: { slot: number | undefined; callerSlot: number | undefined },
): ExecutionDoc {
  const doc: ExecutionDoc = {
    _id: candidate.id,
    task: candidate.task,
    status: lastEvent.status,
    startedBy: candidate.startedBy ?? null,
    inputJson: JSON.stringify(candidate.input ?? null),
    feedback: '',
    progress: null,
    resultJson: null,
    error: null,
    queuedAt: candidate.queuedAt,
    startedAt: null,
    finishedAt: null,
    attempt: 0,
    lostAttempts: 0,
    failedAttempts: 0,
    attempts: [],
    priority: candidate.priority ?? 0,
    runAt: candidate.runAt ?? null,
    retryOf: candidate.retryOf ?? null,
    scheduleId: candidate.scheduleId ?? null,
    owner: null,
    leaseExpiresAt: null,
    lastSequence: 1,
    lastEvent,
  };
  if (candidate.retainForMs !== undefined) doc.retainForMs = candidate.retainForMs;
  if (slots.slot !== undefined) doc.slot = slots.slot;
  if (slots.callerSlot !== undefined) doc.callerSlot = slots.callerSlot;
  if (candidate.idempotency) {
    doc.idempotencyKey = candidate.idempotency.key;
    doc.idempotencyExpiresAt = candidate.idempotency.expiresAt;
  }
  return doc;
}
