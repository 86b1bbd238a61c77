import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/store.js';
import { waitForStatus } from '../support/engine-helpers.js';
import { createGate, gatedTask } from '../support/gated-task.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { waitFor } from '../support/wait-for.js';

/**
 * A server that dies leaves a RUNNING execution whose lease is never renewed. The "dead server"
 * here is a claim made straight through the store under an owner nobody runs, with a lease
 * that runs out at once: exactly what a killed process leaves behind.
 */
async function claimAsDeadServer(store: Store, task: string, maxConcurrentExecutions = 1) {
  const at = new Date();
  const claimed = await store.executions.claimNext(task, {
    owner: 'dead-server',
    at,
    leaseExpiresAt: new Date(at.getTime() - 1),
    maxConcurrentExecutions,
  });
  if (!claimed) throw new Error('nothing to claim');
  return claimed.execution;
}

describe('recovery of executions whose lease expired', () => {
  let harness: TestEngine | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  it('requeues the execution of a dead server; a live engine runs it as attempt 2 and the log records it', async () => {
    const store = createMemoryStore();
    const gate = createGate();
    const admitted = await store.executions.admit(
      { id: 'orphan-1', task: 'Gated', input: {}, queuedAt: new Date() },
      { maxConcurrentExecutions: 1, maxQueueLength: 5 },
    );
    expect(admitted.kind).toBe('admitted');
    await claimAsDeadServer(store, 'Gated');

    harness = createTestEngine({ store, tasks: () => [gatedTask(gate)], engine: { sweepMs: 50, maxAttempts: 2 } });
    await harness.engine.startSweeping();

    await waitFor(() => gate.running.has('orphan-1'), { what: 'the recovered execution to run again' });
    const running = (await harness.engine.status('orphan-1'))!;
    expect(running).toMatchObject({ status: 'RUNNING', attempt: 2 });
    gate.release('orphan-1', { done: true });
    const finished = await waitForStatus(harness.engine, 'orphan-1', 'COMPLETED');
    expect(finished.result).toEqual({ done: true });

    const events = await harness.engine.eventsAfter('orphan-1', 0);
    expect(events.map((event) => event.status)).toEqual(['QUEUED', 'RUNNING', 'QUEUED', 'RUNNING', 'COMPLETED']);
    expect(events.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(events[2]!.message).toMatch(/attempt 1 stopped responding.*queued again \(1 of 2 attempts lost\)/);
    expect(running.lostAttempts).toBe(1);
  });

  it('fails the execution with a reason once its last attempt is lost too', async () => {
    const store = createMemoryStore();
    await store.executions.admit(
      { id: 'orphan-2', task: 'Gated', input: {}, queuedAt: new Date() },
      { maxConcurrentExecutions: 1, maxQueueLength: 5 },
    );
    await claimAsDeadServer(store, 'Gated');
    // Attempt 1 was lost to a dead server and recovered…
    const requeued = await store.executions.transition('orphan-2', { from: 'RUNNING', to: 'QUEUED', at: new Date(), leaseExpiredBefore: new Date() });
    expect(requeued?.execution.lostAttempts).toBe(1);
    await claimAsDeadServer(store, 'Gated'); // …and attempt 2 dies as well

    harness = createTestEngine({ store, tasks: () => [gatedTask(createGate())], engine: { sweepMs: 50, maxAttempts: 2 } });
    await harness.engine.startSweeping();

    const failed = await waitForStatus(harness.engine, 'orphan-2', 'FAILED');
    expect(failed.attempt).toBe(2);
    expect(failed.error).toMatch(/attempt 2 stopped responding.*2 of 2 attempts lost, none left/);
    expect(failed.finishedAt).toBeInstanceOf(Date);
  });

  it('does not count runs handed back at a clean shutdown against MAX_ATTEMPTS', async () => {
    const store = createMemoryStore();
    await store.executions.admit(
      { id: 'restarted', task: 'Gated', input: {}, queuedAt: new Date() },
      { maxConcurrentExecutions: 1, maxQueueLength: 5 },
    );
    // Two clean restarts handed the execution back (what a server does at SIGTERM)…
    for (let restart = 0; restart < 2; restart++) {
      await claimAsDeadServer(store, 'Gated');
      expect(await store.executions.transition('restarted', { from: 'RUNNING', to: 'QUEUED', at: new Date(), attempt: restart + 1 })).not.toBeNull();
    }
    // …then the server running attempt 3 died: its first lost attempt, so it runs again.
    await claimAsDeadServer(store, 'Gated');
    const gate = createGate();
    harness = createTestEngine({ store, tasks: () => [gatedTask(gate)], engine: { sweepMs: 50, maxAttempts: 2 } });
    await harness.engine.startSweeping();

    await waitFor(() => gate.running.has('restarted'), { what: 'the recovered execution to run again' });
    expect(await harness.engine.status('restarted')).toMatchObject({ status: 'RUNNING', attempt: 4, lostAttempts: 1 });
    gate.release('restarted');
    await waitForStatus(harness.engine, 'restarted', 'COMPLETED');
  });

  it('leaves a running execution alone while its owner renews the lease', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate)], engine: { leaseMs: 200, sweepMs: 20 } });
    await harness.engine.startSweeping();
    const started = await harness.engine.start('Gated', {});
    if (started.kind !== 'TaskQueued') throw new Error(started.kind);
    const id = started.execution.id;
    await waitFor(() => gate.running.has(id), { what: 'the execution to run' });
    const firstLease = (await harness.engine.status(id))!.leaseExpiresAt!;

    // Several lease periods pass: the lease moves forward and nothing is recovered.
    await waitFor(async () => (await harness!.engine.status(id))!.leaseExpiresAt! > new Date(firstLease.getTime() + 400), {
      what: 'the lease to be renewed a few times',
    });
    const execution = (await harness.engine.status(id))!;
    expect(execution).toMatchObject({ status: 'RUNNING', attempt: 1 });
    expect((await harness.engine.eventsAfter(id, 0)).map((event) => event.status)).toEqual(['QUEUED', 'RUNNING']);
    gate.release(id);
    await waitForStatus(harness.engine, id, 'COMPLETED');
  });

  it('aborts a local run whose execution was taken over elsewhere (lease lost)', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate)], engine: { leaseMs: 200 } });
    const started = await harness.engine.start('Gated', {});
    if (started.kind !== 'TaskQueued') throw new Error(started.kind);
    const id = started.execution.id;
    await waitFor(() => gate.running.has(id), { what: 'the execution to run' });

    // Another instance stops it with a conditional write: this engine's next renewal fails.
    const stopped = await harness.store.executions.transition(id, { from: 'RUNNING', to: 'STOPPED', attempt: 1, at: new Date() });
    expect(stopped).not.toBeNull();
    await waitFor(() => !gate.running.has(id), { what: 'the local run to be aborted' });
    expect((await harness.engine.status(id))!.status).toBe('STOPPED');
  });
});
