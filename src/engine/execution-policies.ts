import type { ExecutionStore } from '../store/store.js';

export interface ExecutionPolicies {
  /** How long a finished execution of `task` is kept, in ms (its retention). */
  retainFor: (task: string) => number;
  /** How much feedback text an execution keeps (FEEDBACK_TEXT_MAX_BYTES). */
  feedbackTextMaxBytes: number;
}

/**
 * The execution store as the engine writes to it: every status change carries the retention of
 * the execution's task and every feedback write the text limit. In one place, so no path that
 * ends an execution (a run, a stop, recovery, a shutdown) can leave it without an expiry (a
 * store keeps an execution that ends without one until it is deleted).
 */
export function withExecutionPolicies(executions: ExecutionStore, policies: ExecutionPolicies): ExecutionStore {
  return {
    admit: (execution, limits) => executions.admit(execution, limits),
    claimNext: (task, claim) => executions.claimNext(task, claim),
    transition: (id, change) => executions.transition(id, { ...change, retainFor: policies.retainFor }),
    recordFeedback: (id, attempt, feedback) =>
      executions.recordFeedback(id, attempt, { ...feedback, maxTextBytes: policies.feedbackTextMaxBytes }),
    renewLease: (id, attempt, leaseExpiresAt) => executions.renewLease(id, attempt, leaseExpiresAt),
    dueScheduled: (now, limit) => executions.dueScheduled(now, limit),
    nextRunAt: () => executions.nextRunAt(),
    expiredLeases: (now, limit) => executions.expiredLeases(now, limit),
    expired: (now, limit, tasks) => executions.expired(now, limit, tasks),
    delete: (id) => executions.delete(id),
    expireUnexpired: (task, expiresAt) => executions.expireUnexpired(task, expiresAt),
    get: (id) => executions.get(id),
    list: (filter, page) => executions.list(filter, page),
    counts: (task) => executions.counts(task),
    queuePosition: (id) => executions.queuePosition(id),
    eventsAfter: (id, afterSequence, limit) => executions.eventsAfter(id, afterSequence, limit),
  };
}
