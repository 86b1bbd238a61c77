import { UnauthorizedError, type GraphQLRequest } from '../api/graphql-http.js';
import { formatTime, shortId, waitingFor } from '../components/format.js';
import type { ConnectionState, LiveSocket } from '../api/live-socket.js';
import {
  PageSetupDocument,
  QueuePositionsDocument,
  StartTaskDocument,
  TaskListDocument,
  TrackerExecutionsDocument,
  TrackerUpdatesDocument,
  type StartTaskOptions,
} from '../generated/graphql.js';
import { createContractActions } from './contract-actions.js';
import { createExecutionActions } from './execution-actions.js';
import {
  applyFeedback,
  forgetOldestFinished,
  isFinished,
  mergeExecution,
  reconcileListed,
  type TrackedExecution,
  type TrackedExecutionInput,
} from './executions.js';
import { createFeedbackStreams } from './feedback-streams.js';
import { initialPageState, statusWords, type ActionOutcome, type Notice, type PageState } from './page-state.js';
import { createRefresher } from './refresher.js';
import { createSettingsActions, failedOutcome, refusedOutcome } from './settings-actions.js';

/** Executions kept in memory before the oldest finished ones are forgotten, and how many finished stay. */
const keptExecutions = 150;
const keptFinished = 50;
let storeCount = 0;

/**
 * The page's state and everything that changes it. Initial state comes from queries; after that
 * it is kept live by two subscriptions: the tracker feed (taskExecutionUpdates: new executions,
 * status changes, coalesced progress) and one taskFeedback stream per unfinished execution (every
 * feedback line, resumed with afterSequence after a dropped connection). Lists without a feed of
 * their own (contracts, task counts, queue positions) are re-read when those events say they
 * changed, never on a timer. The tracker and the task forms serve every registered task; the
 * contract panels (contract-actions.ts) only a server with the contract example.
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

  const contracts = createContractActions({
    request,
    read: () => state,
    update,
    attempt,
    notice,
    started: (execution) => {
      mergeIn(execution, false);
      tasksRefresh.request();
    },
  });

  // --- executions -------------------------------------------------------------------------

  /** What the tracker calls an execution: its contract group, or else its task. */
  function titleOf(execution: TrackedExecution): string {
    return contracts.groupOf(execution) ?? execution.taskName;
  }

  function describe(execution: TrackedExecution): string {
    const group = contracts.groupOf(execution);
    return group ? `${group} contracts` : execution.taskName;
  }

  /** A status as the live region says it: "scheduled for 14:05:30", "attempt 1 failed, retry 2 of 3 at …". */
  function statusText(execution: TrackedExecution): string {
    const waiting = waitingFor(execution);
    if (!waiting) return statusWords[execution.status];
    const words = `${waiting.words.charAt(0).toLowerCase()}${waiting.words.slice(1)} ${formatTime(waiting.at)}`;
    return execution.nextAttemptAt ? `attempt ${execution.failedAttempts} failed, ${words}` : words;
  }

  /**
   * Per re-read of the tracker lists in flight: the executions a live event or a mutation told
   * of meanwhile. The answer may be older than those, so they stay even when it does not list them.
   */
  const readsInFlight = new Set<Set<string>>();

  /** Stores a changed execution and reacts to what changed; `asItHappened` marks changes seen live. */
  function put(next: TrackedExecution, asItHappened: boolean): void {
    for (const changedMeanwhile of readsInFlight) changedMeanwhile.add(next.id);
    const previous = state.executions.get(next.id);
    if (previous === next) return;
    const executions = new Map(state.executions);
    executions.set(next.id, next);
    commit(executions, [[previous, next]], asItHappened);
  }

  /** Takes `executions` as the tracker's, reacting to each of `changes` ([before, after]). */
  function commit(
    executions: Map<string, TrackedExecution>,
    changes: ReadonlyArray<readonly [TrackedExecution | undefined, TrackedExecution]>,
    asItHappened: boolean,
    patch: Partial<PageState> = {},
  ): void {
    // A page left open for days must not keep every execution it ever saw.
    if (executions.size > keptExecutions) forgetOldestFinished(executions, keptFinished, state.contracts.executionId);
    let statusChanged = false;
    for (const [previous, next] of changes) {
      const changed = previous !== undefined && previous.status !== next.status;
      if (changed) {
        statusChanged = true;
        if (asItHappened) patch.announcement = notice('info', `${describe(next)}: ${statusText(next)}`);
      }
      contracts.executionChanged(next, changed, isFinished(next.status));
    }
    // Leaving the queue moves everyone behind; any status change moves the task's counts.
    if (statusChanged) {
      queuePositions.request();
      tasksRefresh.request();
    }
    update({ ...patch, executions });
    for (const [, next] of changes) if (!isFinished(next.status)) feedback.follow(next.id);
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
      if (event.kind === 'FEEDBACK') contracts.feedbackArrived(current);
    },
  });

  /**
   * Reads the tracker lists and takes them as the truth: what the server no longer lists goes
   * (after a restart on the embedded store, every execution the page knew), what changed while
   * the answer was on its way stays, and each execution keeps the newer of its two versions (by
   * event sequence), so nothing that arrived live meanwhile is lost.
   */
  async function loadExecutions(): Promise<void> {
    const changedMeanwhile = new Set<string>();
    readsInFlight.add(changedMeanwhile);
    try {
      const data = await request(TrackerExecutionsDocument);
      const listed = [...data.running.edges, ...data.queued.edges, ...data.scheduled.edges, ...data.recent.edges].map((edge) => edge.node);
      const before = state.executions;
      const executions = reconcileListed(before, listed, changedMeanwhile);
      const changes = [...executions.values()].filter((next) => before.get(next.id) !== next).map((next) => [before.get(next.id), next] as const);
      const dropped = [...before.keys()].filter((id) => !executions.has(id));
      if (changes.length === 0 && dropped.length === 0) return;
      for (const id of dropped) feedback.unfollow(id);
      const stopping = new Set([...state.stopping].filter((id) => executions.has(id)));
      const retrying = new Set([...state.retrying].filter((id) => executions.has(id)));
      commit(executions, changes, false, { stopping, retrying });
      // A stream that ended early (a refused resume, say) is opened again for what still runs.
      for (const execution of executions.values()) if (!isFinished(execution.status)) feedback.follow(execution.id);
    } finally {
      readsInFlight.delete(changedMeanwhile);
    }
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

  // --- tasks --------------------------------------------------------------------------------

  async function loadTasks(): Promise<void> {
    const { tasks } = await request(TaskListDocument);
    update({ tasks });
  }
  const tasksRefresh = createRefresher(() => attempt('Task settings', loadTasks), 300);

  async function loadAll(): Promise<void> {
    await attempt('Loading the page', async () => {
      // First what the server offers: its extensions decide which operations may be sent at all.
      const setup = await request(PageSetupDocument);
      update({ extensions: setup.extensions, startable: setup.tasks });
      await contracts.loadGroups();
      await Promise.all([loadExecutions(), loadTasks(), contracts.loadContracts()]);
      // Everything was read again: whatever failed before is current now.
      update({ loaded: true, problems: {} });
    });
  }

  const settings = createSettingsActions({ request, read: () => state, update });
  const executionActions = createExecutionActions({
    request,
    read: () => state,
    update,
    notice,
    mergeIn,
    describe,
    started: () => tasksRefresh.request(),
  });

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
     * has no replay (executions started or finished meanwhile, contracts, counts) is read again,
     * and so is what the server offers (it may be another server process by now).
     */
    catchUp(): void {
      void loadAll();
    },

    /**
     * Starts `task` with `input` (the Start a task form), later or ahead of others with `options`;
     * a refusal comes back with its problems (those of the options at paths `options.*`).
     */
    async startTask(task: string, input: unknown, options: StartTaskOptions | null = null): Promise<ActionOutcome> {
      try {
        const { startTask } = await request(StartTaskDocument, { task, input, options });
        if (startTask.__typename === 'TaskQueued') {
          mergeIn(startTask.execution, false);
          tasksRefresh.request();
          // As the answer has it (QUEUED, or SCHEDULED for its time): the tracker may be further along already.
          const started = mergeExecution(undefined, startTask.execution);
          const how = started.status === 'SCHEDULED' && !started.nextAttemptAt ? statusText(started) : statusWords[started.status];
          return { ok: true, message: `Started ${task}: execution ${shortId(started.id)} is ${how}.` };
        }
        // QueueFull, InvalidTaskInput (with its problems), ServerShuttingDown, StoreUnavailable, Forbidden, …
        const refused = refusedOutcome(startTask);
        return { ...refused, message: `Not started. ${refused.message}` };
      } catch (error) {
        const failed = failedOutcome(error);
        return { ...failed, message: `Not started. ${failed.message}` };
      }
    },

    ...executionActions,

    ...settings,

    startProcessing: contracts.startProcessing,
    saveTemplate: contracts.saveTemplate,
    filterContracts: contracts.filterContracts,
    showMoreContracts: contracts.showMoreContracts,
    groupName: contracts.groupName,
    titleOf,

    /** Ends every stream and pending refresh of this store: the page got a new one (another token). */
    dispose(): void {
      disposed = true;
      listeners.clear();
      stopTrackerFeed();
      feedback.close();
      contracts.cancel();
      for (const refresher of [queuePositions, tasksRefresh]) refresher.cancel();
    },
  };
}

export type PageStore = ReturnType<typeof createPageStore>;
