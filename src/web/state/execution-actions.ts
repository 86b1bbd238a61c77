import type { GraphQLRequest } from '../api/graphql-http.js';
import { shortId } from '../components/format.js';
import { RetryExecutionDocument, StopTaskDocument } from '../generated/graphql.js';
import type { TrackedExecution, TrackedExecutionInput } from './executions.js';
import { statusWords, type Notice, type PageState } from './page-state.js';
import { failedOutcome, refusedOutcome } from './settings-actions.js';

/** The tracker's buttons: Stop of an unfinished execution, Retry of a FAILED or TIMED_OUT one. */
export function createExecutionActions(deps: {
  request: GraphQLRequest;
  read: () => PageState;
  update: (patch: Partial<PageState>) => void;
  notice: (kind: Notice['kind'], text: string) => Notice;
  /** The tracker takes an execution the server answered with. */
  mergeIn: (execution: TrackedExecutionInput, asItHappened: boolean) => void;
  /** What the live region calls an execution (its group's contracts, or its task). */
  describe: (execution: TrackedExecution) => string;
  /** A retry started a new execution: the task counts changed. */
  started: () => void;
}) {
  const { request, read, update, notice, mergeIn, describe, started } = deps;
  return {
    async stopExecution(executionId: string): Promise<void> {
      update({ stopping: new Set([...read().stopping, executionId]) });
      try {
        const { stopTask } = await request(StopTaskDocument, { executionId });
        if (stopTask.__typename === 'TaskStopped' || stopTask.__typename === 'ExecutionAlreadyFinished') {
          mergeIn(stopTask.execution, true);
        }
        if (stopTask.__typename !== 'TaskStopped') update({ announcement: notice('error', stopTask.message) });
      } catch (error) {
        update({ announcement: notice('error', `Could not stop: ${error instanceof Error ? error.message : String(error)}`) });
      } finally {
        const stopping = new Set(read().stopping);
        stopping.delete(executionId);
        update({ stopping });
      }
    },

    /**
     * The Retry button of a FAILED or TIMED_OUT execution: a new execution with its input. A
     * refusal (ExecutionNotRetryable, QueueFull, …) is said beside the execution that was retried.
     */
    async retryExecution(executionId: string): Promise<void> {
      if (read().retrying.has(executionId)) return;
      const executionNotices = { ...read().executionNotices };
      delete executionNotices[executionId];
      update({ retrying: new Set([...read().retrying, executionId]), executionNotices });
      const original = read().executions.get(executionId);
      const name = original ? describe(original) : `Execution ${shortId(executionId)}`;
      let refusal: string | null = null;
      try {
        const { retryExecution: result } = await request(RetryExecutionDocument, { executionId });
        if (result.__typename === 'TaskQueued') {
          mergeIn(result.execution, false);
          started();
          const { id, status } = result.execution;
          const how = result.deduplicated ? 'already retried' : 'retried';
          update({ announcement: notice('info', `${name}: ${how} as execution ${shortId(id)}, ${statusWords[status]}`) });
        } else {
          // It may have changed since the page last heard of it: show it as the server has it.
          if (result.__typename === 'ExecutionNotRetryable') mergeIn(result.execution, false);
          refusal = `Not retried. ${refusedOutcome(result).message}`;
        }
      } catch (error) {
        refusal = `Not retried. ${failedOutcome(error).message}`;
      } finally {
        const retrying = new Set(read().retrying);
        retrying.delete(executionId);
        const patch: Partial<PageState> = { retrying };
        if (refusal) patch.executionNotices = { ...read().executionNotices, [executionId]: notice('error', refusal) };
        update(patch);
      }
    },
  };
}
