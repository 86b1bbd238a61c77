import type { GraphQLRequest } from '../api/graphql-http.js';
import {
  ContractGroupsDocument,
  OutboundContractsDocument,
  StartTaskDocument,
  UpdateContractTemplateDocument,
  type GroupCardFragment,
  type OutboundContractsQuery,
} from '../generated/graphql.js';
import type { TrackedExecution, TrackedExecutionInput } from './executions.js';
import { contractPageSize, contractTask, hasContracts, type ActionOutcome, type ContractRow, type Notice, type PageState } from './page-state.js';
import { createRefresher } from './refresher.js';
import { failedOutcome, refusedOutcome } from './settings-actions.js';

const infoNoticeMs = 8_000;

/**
 * The contract example's part of the page: groups, their templates, the outbound contracts and
 * Start processing. Every operation here names contract types, which a server without the example
 * does not have: each one is sent only once `Query.extensions` has said "contracts".
 */
export function createContractActions(deps: {
  request: GraphQLRequest;
  read: () => PageState;
  update: (patch: Partial<PageState>) => void;
  /** Runs a load and reports its failure under `what` (cleared by its next success). */
  attempt: (what: string, load: () => Promise<void>) => Promise<void>;
  notice: (kind: Notice['kind'], text: string) => Notice;
  /** A start went through: the tracker takes the new execution. */
  started: (execution: TrackedExecutionInput) => void;
}) {
  const { request, read, update, attempt, notice } = deps;

  async function readGroups(): Promise<void> {
    if (!hasContracts(read())) return;
    const { contractGroups } = await request(ContractGroupsDocument);
    update({ groups: contractGroups });
  }
  const groupsRefresh = createRefresher(() => attempt('Contract groups', readGroups), 500);

  async function readContracts(): Promise<void> {
    if (!hasContracts(read())) return;
    const { executionId, limit } = read().contracts;
    const rows: ContractRow[] = [];
    let after: string | null = null;
    let totalCount = 0;
    // The API pages by at most 100; the list shows `limit` rows (more after "Show more").
    while (rows.length < limit) {
      const page: OutboundContractsQuery = await request(OutboundContractsDocument, { executionId, first: Math.min(100, limit - rows.length), after });
      totalCount = page.contracts.totalCount;
      rows.push(...page.contracts.edges.map((edge) => edge.node));
      if (!page.contracts.pageInfo.hasNextPage || !page.contracts.pageInfo.endCursor) break;
      after = page.contracts.pageInfo.endCursor;
    }
    // A filter changed while this was loading: the newer load will answer.
    const now = read().contracts;
    if (now.executionId !== executionId || now.limit !== limit) return;
    update({ contracts: { executionId, limit, rows, totalCount } });
  }
  const contractsRefresh = createRefresher(() => attempt('Outbound contracts', readContracts), 400);

  function clearGroupNotice(groupId: string, id: number): void {
    if (read().groupNotices[groupId]?.id !== id) return;
    const groupNotices = { ...read().groupNotices };
    delete groupNotices[groupId];
    update({ groupNotices });
  }

  function groupName(groupId: string | null): string | null {
    return read().groups.find((group) => group.id === groupId)?.name ?? null;
  }

  return {
    /**
     * Part of every (re)load, before the tracker (which names executions after their group): the
     * groups, or, without the example, nothing of it (a server that had it may have restarted
     * without it).
     */
    async loadGroups(): Promise<void> {
      if (hasContracts(read())) return readGroups();
      update({ groups: [], contracts: { executionId: null, rows: [], totalCount: 0, limit: contractPageSize }, groupNotices: {} });
    },
    /** Part of every (re)load: the outbound contracts, with the example only. */
    loadContracts: readContracts,

    /** The group an execution of the contract task is for, named in the tracker; null for other tasks. */
    groupOf(execution: TrackedExecution): string | null {
      return execution.taskName === contractTask ? groupName(execution.groupId) : null;
    },
    groupName,

    /** Reacts to a changed execution: a new group to name, contracts to list. */
    executionChanged(execution: TrackedExecution, statusChanged: boolean, finished: boolean): void {
      if (execution.taskName !== contractTask || !hasContracts(read())) return;
      if (execution.groupId && !read().groups.some((group) => group.id === execution.groupId)) groupsRefresh.request();
      if (statusChanged && finished) contractsRefresh.request();
    },

    /** A feedback line of the contract task: one more contract made. */
    feedbackArrived(execution: TrackedExecution): void {
      if (execution.taskName === contractTask && hasContracts(read())) contractsRefresh.request();
    },

    async startProcessing(group: GroupCardFragment): Promise<void> {
      const say = (kind: Notice['kind'], text: string) => {
        const said = notice(kind, text);
        update({ groupNotices: { ...read().groupNotices, [group.id]: said } });
        // A confirmation has done its job once read; a refusal stays until the next start.
        if (kind === 'info') setTimeout(() => clearGroupNotice(group.id, said.id), infoNoticeMs);
      };
      try {
        const { startTask } = await request(StartTaskDocument, { task: contractTask, input: { groupId: group.id } });
        switch (startTask.__typename) {
          case 'TaskQueued':
            deps.started(startTask.execution);
            say('info', `Started: ${group.clientCount.toLocaleString()} ${group.clientCount === 1 ? 'contract' : 'contracts'} to create.`);
            break;
          default:
            // QueueFull, InvalidTaskInput, TaskNotFound, …: the server's message says which and why.
            say('error', `Not started. ${startTask.message}`);
        }
      } catch (error) {
        say('error', `Not started. ${error instanceof Error ? error.message : String(error)}`);
      }
    },

    async saveTemplate(groupId: string, title: string, body: string): Promise<ActionOutcome> {
      try {
        const { updateContractTemplate: result } = await request(UpdateContractTemplateDocument, { groupId, title, body });
        if (result.__typename === 'ContractGroup') {
          update({ groups: read().groups.map((group) => (group.id === result.id ? result : group)) });
          return { ok: true, message: `Saved as version ${result.template.version}.` };
        }
        return refusedOutcome(result);
      } catch (error) {
        return failedOutcome(error);
      }
    },

    filterContracts(executionId: string | null): void {
      update({ contracts: { ...read().contracts, executionId, limit: contractPageSize, rows: [], totalCount: 0 } });
      contractsRefresh.request();
    },

    showMoreContracts(): void {
      update({ contracts: { ...read().contracts, limit: read().contracts.limit + contractPageSize } });
      contractsRefresh.request();
    },

    cancel(): void {
      groupsRefresh.cancel();
      contractsRefresh.cancel();
    },
  };
}

export type ContractActions = ReturnType<typeof createContractActions>;
