import { afterEach, describe, expect, it } from 'vitest';
import { StartTaskDocument, TaskFeedbackDocument } from '../generated/graphql.js';
import { createGate, gatedTask } from '../support/gated-task.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** SIGTERM (app.stop) on the embedded store: refuse new work, let running work finish, lose nothing. */
describe('graceful shutdown', () => {
  let server: TestApp | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function startGated(app: TestApp): Promise<string> {
    const started = await app.request(StartTaskDocument, { task: 'Gated', input: {} });
    if (started.startTask.__typename !== 'TaskQueued') throw new Error(started.startTask.__typename);
    return started.startTask.execution.id;
  }

  it('turns /ready 503 at once, refuses new starts with ServerShuttingDown, and lets a running execution finish', async () => {
    const gate = createGate();
    server = await startTestApp({ shutdownGraceMs: 20_000 }, { extraTasks: () => [gatedTask(gate)] });
    const id = await startGated(server);
    await waitFor(() => gate.running.has(id), { what: 'the execution to run' });
    const feed = server.subscribe(TaskFeedbackDocument, { executionId: id, afterSequence: 0 });
    await waitFor(() => feed.events.length >= 2, { what: 'the feed to be live' });

    const stopping = server.app.stop();
    expect((await fetch(`${server.url}/ready`)).status).toBe(503);
    const refused = await server.request(StartTaskDocument, { task: 'Gated', input: {} });
    expect(refused.startTask).toMatchObject({ __typename: 'ServerShuttingDown', message: expect.stringMatching(/shutting down/) });

    gate.release(id, { finished: 'during the grace period' });
    await stopping;
    await feed.done;
    expect(feed.completed).toBe(true);
    expect(feed.events.at(-1)!.taskFeedback.status).toBe('COMPLETED');
    const stored = (await server.app.store.executions.get(id))!;
    expect(stored).toMatchObject({ status: 'COMPLETED', result: { finished: 'during the grace period' } });
  });

  it('ends an execution that outlasts the grace period FAILED with the reason, and completes its subscribers', async () => {
    const gate = createGate();
    server = await startTestApp({ shutdownGraceMs: 200 }, { extraTasks: () => [gatedTask(gate)] });
    const id = await startGated(server);
    await waitFor(() => gate.running.has(id), { what: 'the execution to run' });
    const feed = server.subscribe(TaskFeedbackDocument, { executionId: id, afterSequence: 0 });
    await waitFor(() => feed.events.length >= 2, { what: 'the feed to be live' });

    await server.app.stop();

    await feed.done;
    expect(feed.events.at(-1)!.taskFeedback.status).toBe('FAILED');
    const stored = (await server.app.store.executions.get(id))!;
    expect(stored.status).toBe('FAILED');
    expect(stored.error).toMatch(/server shut down/);
    expect(gate.running.has(id)).toBe(false);
  });

  it('ends a queued execution FAILED too (the embedded store keeps nothing), so its stream gets a terminal event', async () => {
    const gate = createGate();
    server = await startTestApp({ shutdownGraceMs: 0 }, { extraTasks: () => [gatedTask(gate)] });
    const running = await startGated(server);
    await waitFor(() => gate.running.has(running), { what: 'the first execution to run' });
    const queued = await startGated(server);
    const feed = server.subscribe(TaskFeedbackDocument, { executionId: queued, afterSequence: 0 });
    await waitFor(() => feed.events.length >= 1, { what: 'the queued feed to be live' });

    await server.app.stop();

    await feed.done;
    expect(feed.events.map((event) => event.taskFeedback.status)).toEqual(['QUEUED', 'FAILED']);
    expect(feed.events.at(-1)!.taskFeedback.message).toMatch(/shut down before the execution ran/);
    expect(gate.started).not.toContain(queued);
  });

  it('closes the sockets of streams that have no end (the tracker feed) with 1001, so clients reconnect, not complete', async () => {
    server = await startTestApp();
    const client = server.wsClient();
    const closes: number[] = [];
    client.on('closed', (event) => closes.push((event as { code: number }).code));
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    let completed = false;
    let updates = 0;
    client.subscribe(
      { query: 'subscription { taskExecutionUpdates { id } }' },
      { next: () => (updates += 1), error: () => {}, complete: () => (completed = true) },
    );
    await connected;
    // An update arrives: the feed is live on the server.
    await server.request(StartTaskDocument, { task: 'ContractCreator', input: { groupId: 'standard' } });
    await waitFor(() => updates > 0, { what: 'the tracker feed to be live' });

    await server.app.stop();

    await waitFor(() => closes.length > 0, { what: 'the socket to close' });
    expect(closes).toEqual([1001]);
    expect(completed).toBe(false);
  });
});
