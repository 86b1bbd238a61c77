import { UnauthorizedError, type GraphQLRequest } from '../api/graphql-http.js';
import type { ConnectionState, LiveSocket } from '../api/live-socket.js';
import {
  ContractGroupsDocument,
  OutboundContractsDocument,
  QueuePositionsDocument,
  StartTaskDocument,
  StopTaskDocument,
  TaskListDocument,
  TrackerExecutionsDocument,
  TrackerUpdatesDocument,
  type GroupCardFragment,
  type OutboundContractsQuery,
} from '../generated/graphql.js';
import { applyFeedback, forgetOldestFinished, isFinished, mergeExecution, type TrackedExecution, type TrackedExecutionInput } from './executions.js';
import { createFeedbackStreams } from './feedback-streams.js';
import { contractPageSize, initialPageState, statusWords, type ContractRow, type Notice, type PageState } from './page-state.js';
import { createRefresher } from './refresher.js';
import { createSettingsActions } from './settings-actions.js';

const infoNoticeMs = 8_000;
/** Executions kept in memory before the oldest finished ones are forgotten, and how many finished stay. */
const keptExecutions = 150;
const keptFinished = 50;
const contractCreator = 'ContractCreator';
let storeCount = 0;

/**
 * The page's state and everything that changes it. Initial state comes from queries; after that
 * it is kept live by two subscriptions: the tracker feed (taskExecutionUpdates: new executions,
 * status changes, coalesced progress) and one taskFeedback stream per unfinished execution (every
 * feedback line, resumed with afterSequence after a dropped connection). Lists without a feed of
 * their own (contracts, task counts, queue positions) are re-read when those events say they
 * changed, never on a timer.
 */
export function createPageStore(deps: { request: GraphQLRequest; live: LiveSocket; connection?: ConnectionState }) {
  const { request, live } = deps;
  let state: PageState = initialPageState(deps.connection);
  const listeners = new Set<() => void>();
  let noticeId = 0;
  let notifyScheduled = false;
  /** Set by dispose(): answers still on their way change nothing (they may be another token's). */
  let disposed = false;

  function update(patch: Partial<PageState>): void {
    if (disposed) return;
    state = { ...state, ...patch };
    if (notifyScheduled) return;
    notifyScheduled = true;
    // One render per frame however many events arrive: a large batch sends hundreds per second.
    const flush = () => {
      notifyScheduled = false;
      for (const listener of listeners) listener();
    };
    if (typeof document !== 'undefined' && document.visibilityState === 'visible') requestAnimationFrame(flush);
    else setTimeout(flush, 100);
  }

  function notice(kind: Notice['kind'], text: string): Notice {
    return { id: ++noticeId, kind, text };
  }

  function clearGroupNotice(groupId: string, id: number): void {
    if (state.groupNotices[groupId]?.id !== id) return;
    const groupNotices = { ...state.groupNotices };
    delete groupNotices[groupId];
    update({ groupNotices });
  }

  async function attempt(what: string, load: () => Promise<void>): Promise<void> {
    try {
      await load();
      if (what in state.problems) {
        const problems = { ...state.problems };
        delete problems[what];
        update({ problems });
      }
    } catch (error) {
      // No token, or a refused one: the sign-in form says so, in place of the page.
      if (error instanceof UnauthorizedError) return;
      update({ problems: { ...state.problems, [what]: error instanceof Error ? error.message : String(error) } });
    }
  }

  // --- executions -------------------------------------------------------------------------

  function groupName(groupId: string | null): string | null {
    return state.groups.find((group) => group.id === groupId)?.name ?? null;
  }

  function describe(execution: TrackedExecution): string {
    const group = groupName(execution.groupId);
    return group ? `${group} contracts` : execution.taskName;
  }

  /** Stores a changed execution and reacts to what changed; `asItHappened` marks changes seen live. */
  function put(next: TrackedExecution, asItHappened: boolean): void {
    const previous = state.executions.get(next.id);
    if (previous === next) return;
    const executions = new Map(state.executions);
    executions.set(next.id, next);
    // A page left open for days must not keep every execution it ever saw.
    if (executions.size > keptExecutions) forgetOldestFinished(executions, keptFinished, state.contracts.executionId);
    const patch: Partial<PageState> = { executions };
    if (previous && previous.status !== next.status) {
      // Leaving the queue moves everyone behind; any status change moves the task's counts.
      queuePositions.request();
      tasksRefresh.request();
      if (asItHappened) patch.announcement = notice('info', `${describe(next)}: ${statusWords[next.status]}`);
      if (isFinished(next.status) && next.taskName === contractCreator) contractsRefresh.request();
    }
    if (next.groupId && !state.groups.some((group) => group.id === next.groupId)) groupsRefresh.request();
    update(patch);
    if (!isFinished(next.status)) feedback.follow(next.id);
  }

  function mergeIn(incoming: TrackedExecutionInput, asItHappened: boolean): void {
    put(mergeExecution(state.executions.get(incoming.id), incoming), asItHappened);
  }

  const feedback = createFeedbackStreams(live, {
    knownSequence: (executionId) => state.executions.get(executionId)?.feedbackSequence ?? 0,
    onEvent: (executionId, event) => {
      const current = state.executions.get(executionId);
      if (!current) return;
      put(applyFeedback(current, event), true);
      if (event.kind === 'FEEDBACK' && current.taskName === contractCreator) contractsRefresh.request();
    },
  });

  async function loadExecutions(): Promise<void> {
    const data = await request(TrackerExecutionsDocument);
    for (const edge of [...data.running.edges, ...data.queued.edges, ...data.recent.edges]) mergeIn(edge.node, false);
  }

  const queuePositions = createRefresher(
    () =>
      attempt('Queue positions', async () => {
        const data = await request(QueuePositionsDocument);
        const positions = new Map(data.taskExecutions.edges.map(({ node }) => [node.id, node]));
        for (const execution of state.executions.values()) {
          const position = positions.get(execution.id);
          if (execution.status !== 'QUEUED' || !position || position.lastSequence < execution.stateSequence) continue;
          if (position.queuePosition !== execution.queuePosition) put({ ...execution, queuePosition: position.queuePosition ?? null }, true);
        }
      }),
    100,
  );

  // --- groups, contracts and tasks --------------------------------------------------------

  async function loadGroups(): Promise<void> {
    const { contractGroups } = await request(ContractGroupsDocument);
    update({ groups: contractGroups });
  }
  const groupsRefresh = createRefresher(() => attempt('Contract groups', loadGroups), 500);

  async function loadTasks(): Promise<void> {
    const { tasks } = await request(TaskListDocument);
    update({ tasks });
  }
  const tasksRefresh = createRefresher(() => attempt('Task settings', loadTasks), 300);

  async function loadContracts(): Promise<void> {
    const { executionId, limit } = state.contracts;
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
    if (state.contracts.executionId !== executionId || state.contracts.limit !== limit) return;
    update({ contracts: { executionId, limit, rows, totalCount } });
  }
  const contractsRefresh = createRefresher(() => attempt('Outbound contracts', loadContracts), 400);

  async function loadAll(): Promise<void> {
    await attempt('Loading the page', async () => {
      // Groups first: the tracker names executions after their group.
      await loadGroups();
      await Promise.all([loadExecutions(), loadTasks(), loadContracts()]);
      // Everything was read again: whatever failed before is current now.
      update({ loaded: true, problems: {} });
    });
  }

  const settings = createSettingsActions({ request, read: () => state, update });

  // --- live wiring ------------------------------------------------------------------------

  const stopTrackerFeed = live.subscribe(TrackerUpdatesDocument, () => ({}), {
    next: ({ taskExecutionUpdates }) => mergeIn(taskExecutionUpdates, true),
  });

  return {
    /** Tells this store from the one before it (each token gets its own). */
    id: ++storeCount,
    get state(): PageState {
      return state;
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** First load. */
    start: loadAll,

    setConnection(connection: ConnectionState): void {
      if (connection !== state.connection) update({ connection });
    },

    /**
     * After a dropped connection: the feedback streams resume on their own (afterSequence); what
     * has no replay (executions started or finished meanwhile, contracts, counts) is read again.
     */
    catchUp(): void {
      void loadAll();
    },

    async startProcessing(group: GroupCardFragment): Promise<void> {
      const say = (kind: Notice['kind'], text: string) => {
        const said = notice(kind, text);
        update({ groupNotices: { ...state.groupNotices, [group.id]: said } });
        // A confirmation has done its job once read; a refusal stays until the next start.
        if (kind === 'info') setTimeout(() => clearGroupNotice(group.id, said.id), infoNoticeMs);
      };
      try {
        const { startTask } = await request(StartTaskDocument, { task: contractCreator, input: { groupId: group.id } });
        switch (startTask.__typename) {
          case 'TaskQueued':
            mergeIn(startTask.execution, false);
            tasksRefresh.request();
            say('info', `Started: ${group.clientCount.toLocaleString()} ${group.clientCount === 1 ? 'contract' : 'contracts'} to create.`);
            break;
          default:
            // QueueFull, InvalidTaskInput or TaskNotFound: the server's message says which and why.
            say('error', `Not started. ${startTask.message}`);
        }
      } catch (error) {
        say('error', `Not started. ${error instanceof Error ? error.message : String(error)}`);
      }
    },

    async stopExecution(executionId: string): Promise<void> {
      update({ stopping: new Set([...state.stopping, executionId]) });
      try {
        const { stopTask } = await request(StopTaskDocument, { executionId });
        if (stopTask.__typename === 'TaskStopped' || stopTask.__typename === 'ExecutionAlreadyFinished') {
          mergeIn(stopTask.execution, true);
        }
        if (stopTask.__typename !== 'TaskStopped') update({ announcement: notice('error', stopTask.message) });
      } catch (error) {
        update({ announcement: notice('error', `Could not stop: ${error instanceof Error ? error.message : String(error)}`) });
      } finally {
        const stopping = new Set(state.stopping);
        stopping.delete(executionId);
        update({ stopping });
      }
    },

    ...settings,

    filterContracts(executionId: string | null): void {
      update({ contracts: { ...state.contracts, executionId, limit: contractPageSize, rows: [], totalCount: 0 } });
      contractsRefresh.request();
    },

    showMoreContracts(): void {
      update({ contracts: { ...state.contracts, limit: state.contracts.limit + contractPageSize } });
      contractsRefresh.request();
    },

    groupName,

    /** Ends every stream and pending refresh of this store: the page got a new one (another token). */
    dispose(): void {
      disposed = true;
      listeners.clear();
      stopTrackerFeed();
      feedback.close();
      for (const refresher of [queuePositions, groupsRefresh, tasksRefresh, contractsRefresh]) refresher.cancel();
    },
  };
}

export type PageStore = ReturnType<typeof createPageStore>;
