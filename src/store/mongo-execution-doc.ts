import type { Execution, ExecutionEvent, ExecutionStatus } from '../engine/execution.js';
import type { ExecutionChange } from './store.js';

/**
 * How an execution is stored. Input and result are JSON text: user data keeps its exact shape
 * and never clashes with BSON's rules for field names (`$`, `.`).
 */
export type ExecutionDoc = Omit<Execution, 'id' | 'input' | 'result'> & {
  _id: string;
  inputJson: string;
  resultJson: string | null;
  /**
   * The newest event, written with the execution in one atomic update (see `commit`);
   * `lastSequence` doubles as the version every conditional write checks.
   */
  lastEvent: EventDoc;
  /** Capacity slot while QUEUED or RUNNING (unique per task): exact admission. */
  slot?: number;
  /** Run slot while RUNNING (unique per task): exact concurrency. */
  runSlot?: number;
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
    owner: doc.owner,
    leaseExpiresAt: doc.leaseExpiresAt,
    lastSequence: doc.lastSequence,
  };
}

/** An execution as the cluster feed delivers it: with its newest event. */
export function toChange(doc: ExecutionDoc): ExecutionChange {
  return { execution: toExecution(doc), event: toEvent(doc.lastEvent) };
}
