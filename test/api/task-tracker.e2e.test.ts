import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigureTaskDocument,
  ContractsDocument,
  StartTaskDocument,
  StopTaskDocument,
  TaskDocument,
  TaskExecutionsDocument,
  TaskFeedbackDocument,
  TaskStatusDocument,
  TasksDocument,
} from '../generated/graphql.js';
import { createGroup, demoGroup, feedbackUntilEnd, madeUpClients, startContractCreator } from '../support/contract-fixtures.js';
import { createGate, gatedTask, type Gate } from '../support/gated-task.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { openTrackerFeed } from '../support/tracker-feed.js';
import { waitFor } from '../support/wait-for.js';

describe('the task tracker and Stop Task over GraphQL', () => {
  let server: TestApp;
  let gate: Gate;

  beforeEach(async () => {
    gate = createGate();
    // Coalescing off: every progress change reaches the tracker, however fast the machine renders.
    server = await startTestApp({ updatesCoalesceMs: 0 }, { extraTasks: () => [gatedTask(gate)] });
  });
  afterEach(async () => {
    gate?.releaseAll();
    await server?.close();
  });

  /** Starts an execution of the Gated test task and lets it finish at once. */
  async function startReleasedGated(): Promise<string> {
    const { startTask } = await server.request(StartTaskDocument, { task: 'Gated', input: {} });
    if (startTask.__typename !== 'TaskQueued') throw new Error(`startTask answered ${JSON.stringify(startTask)}`);
    gate.release(startTask.execution.id);
    return startTask.execution.id;
  }

  /**
   * A group large enough that its execution is still running long after the test has acted on
   * it: 1500 clients on the two-page Premium template. Tests stop it; none waits for its end.
   */
  async function createSlowGroup(): Promise<{ id: string; clientCount: number }> {
    const premium = await demoGroup(server, 'Premium');
    const clientCount = 1500;
    const id = await createGroup(server, {
      name: 'Slow',
      title: premium.template.title,
      body: premium.template.body,
      clients: madeUpClients(clientCount, 'Slow client'),
    });
    return { id, clientCount };
  }

  async function statusOf(executionId: string) {
    const { taskStatus } = await server.request(TaskStatusDocument, { executionId });
    if (!taskStatus) throw new Error(`taskStatus(${executionId}) is null`);
    return taskStatus;
  }

  async function contractCount(executionId: string): Promise<number> {
    return (await server.request(ContractsDocument, { executionId, first: 1 })).contracts.totalCount;
  }

  async function limitToOneAtATime(): Promise<void> {
    const { configureTask } = await server.request(ConfigureTaskDocument, { task: 'ContractCreator', maxConcurrentExecutions: 1 });
    expect(configureTask).toMatchObject({ __typename: 'Task', name: 'ContractCreator', maxConcurrentExecutions: 1 });
  }

  /** Starts ContractCreator on the slow group and waits until it has a run slot. */
  async function startRunning(groupId: string) {
    const execution = await startContractCreator(server, groupId);
    await waitFor(async () => (await statusOf(execution.id)).status === 'RUNNING', { timeoutMs: 10_000, what: 'the first execution to run' });
    return execution;
  }

  it('shows an execution as QUEUED, RUNNING with progress, then COMPLETED; a feed of another task shows none of it', async () => {
    const emptyGroup = await createGroup(server, { name: 'Probe group without clients' });
    const contractFeed = await openTrackerFeed(server, 'ContractCreator', async () => (await startContractCreator(server, emptyGroup)).id);
    const gatedFeed = await openTrackerFeed(server, 'Gated', startReleasedGated);

    const premium = await demoGroup(server, 'Premium');
    const { id } = await startContractCreator(server, premium.id);
    await waitFor(() => contractFeed.of(id).some((update) => update.status === 'COMPLETED'), {
      timeoutMs: 20_000,
      what: 'the tracker to show the execution COMPLETED',
    });

    const updates = contractFeed.of(id);
    const statuses = updates.map((update) => update.status).filter((status, i, all) => i === 0 || all[i - 1] !== status);
    expect(statuses).toEqual(['QUEUED', 'RUNNING', 'COMPLETED']);
    const progressUpdates = updates.filter((update) => update.status === 'RUNNING' && (update.progress ?? 0) > 0);
    expect(progressUpdates.length).toBeGreaterThanOrEqual(1);
    const progress = progressUpdates.map((update) => update.progress!);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(updates.at(-1)).toMatchObject({ status: 'COMPLETED', progress: 1 });
    expect(updates.filter((update) => update.status === 'COMPLETED')).toHaveLength(1);

    // An update of the feed's own task published after all of the above arrives after it: had the
    // filter let the ContractCreator execution through, it would be in the feed by then.
    const marker = await startReleasedGated();
    await waitFor(() => gatedFeed.of(marker).some((update) => update.status === 'COMPLETED'), {
      timeoutMs: 10_000,
      what: 'the Gated feed to show its own execution COMPLETED',
    });
    expect(gatedFeed.of(id)).toEqual([]);
    const gatedIds = new Set([...gatedFeed.probes, marker]);
    expect(gatedFeed.updates().filter((update) => !gatedIds.has(update.id))).toEqual([]);
  });

  it('counts one running and one waiting execution while the task runs one at a time', async () => {
    await limitToOneAtATime();
    const slow = await createSlowGroup();
    const standard = await demoGroup(server, 'Standard');
    const first = await startRunning(slow.id);
    const second = await startContractCreator(server, standard.id);
    expect(second).toMatchObject({ status: 'QUEUED', queuePosition: 1, startedAt: null });

    const { tasks } = await server.request(TasksDocument);
    expect(tasks.find((task) => task.name === 'ContractCreator')).toMatchObject({
      maxConcurrentExecutions: 1,
      runningCount: 1,
      queuedCount: 1,
    });
    const { task } = await server.request(TaskDocument, { name: 'ContractCreator' });
    expect(task).toMatchObject({ runningCount: 1, queuedCount: 1 });
    expect(await statusOf(second.id)).toMatchObject({ status: 'QUEUED', queuePosition: 1 });
    expect(await statusOf(first.id)).toMatchObject({ status: 'RUNNING', queuePosition: null });
    const { taskExecutions } = await server.request(TaskExecutionsDocument, { task: 'ContractCreator', status: 'QUEUED' });
    expect(taskExecutions.edges.map((edge) => edge.node.id)).toEqual([second.id]);
  });

  it('stops a queued execution at once and a running one mid-run, which then writes nothing more', async () => {
    await limitToOneAtATime();
    const slow = await createSlowGroup();
    const standard = await demoGroup(server, 'Standard');
    const running = await startRunning(slow.id);
    const queued = await startContractCreator(server, standard.id);
    expect(queued).toMatchObject({ status: 'QUEUED', queuePosition: 1 });

    // The queued one: STOPPED in the answer itself, without ever having run.
    const stoppedQueued = (await server.request(StopTaskDocument, { executionId: queued.id })).stopTask;
    expect(stoppedQueued.__typename).toBe('TaskStopped');
    if (stoppedQueued.__typename !== 'TaskStopped') return;
    expect(stoppedQueued.execution).toMatchObject({ id: queued.id, status: 'STOPPED', startedAt: null, queuePosition: null });
    expect(stoppedQueued.execution.finishedAt).toBeTruthy();
    expect((await feedbackUntilEnd(server, queued.id)).map((event) => event.status)).toEqual(['QUEUED', 'STOPPED']);
    expect((await server.request(TaskDocument, { name: 'ContractCreator' })).task).toMatchObject({ runningCount: 1, queuedCount: 0 });

    // The running one, once it has stored some contracts: STOPPED when the answer comes.
    await waitFor(async () => (await contractCount(running.id)) > 0, { timeoutMs: 20_000, what: 'the first contracts' });
    const feed = server.subscribe(TaskFeedbackDocument, { executionId: running.id, afterSequence: 0 });
    const stoppedRunning = (await server.request(StopTaskDocument, { executionId: running.id })).stopTask;
    expect(stoppedRunning.__typename).toBe('TaskStopped');
    if (stoppedRunning.__typename !== 'TaskStopped') return;
    expect(stoppedRunning.execution).toMatchObject({ id: running.id, status: 'STOPPED' });
    expect(await statusOf(running.id)).toMatchObject({ status: 'STOPPED' });
    const atStop = await contractCount(running.id);
    expect(atStop).toBeGreaterThan(0);
    expect(atStop).toBeLessThan(slow.clientCount);

    // Its feedback stream ends with the STOPPED status, without gaps.
    await feed.done;
    const events = feed.events.map((event) => event.taskFeedback);
    expect(events.map((event) => event.sequence)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    expect(events.at(-1)).toMatchObject({ kind: 'STATUS', status: 'STOPPED' });
    expect(await contractCount(running.id)).toBe(atStop);

    // A later execution gets the only run slot and finishes: the stopped one has long let go.
    const next = await startContractCreator(server, await createGroup(server, { name: 'Next', clients: madeUpClients(3) }));
    expect((await feedbackUntilEnd(server, next.id)).at(-1)?.status).toBe('COMPLETED');
    expect(await contractCount(running.id)).toBe(atStop);
    expect(await contractCount(queued.id)).toBe(0);
    expect(await statusOf(running.id)).toMatchObject({ status: 'STOPPED' });
    expect((await server.request(TaskDocument, { name: 'ContractCreator' })).task).toMatchObject({ runningCount: 0, queuedCount: 0 });
  });
});
