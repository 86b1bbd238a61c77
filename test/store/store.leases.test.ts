import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { admitted } from '../support/admission.js';
import { storeAdapters } from '../support/store-adapters.js';

/** The Store port's lease contract (recovery of dead servers' executions), over every adapter. */
const adapters = storeAdapters();
const t0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(t0 + seconds * 1_000);

describe.each(adapters)('Store leases: %s', (_, createStore) => {
  let store: Store;
  beforeEach(async () => {
    store = await createStore();
  });
  afterEach(async () => {
    await store.close();
  });

  async function runningWithLease(leaseEndsAt: Date, task = 'T') {
    const admission = await store.executions.admit(
      { id: randomUUID(), task, input: {}, queuedAt: at(0) },
      { maxConcurrentExecutions: 10, maxQueueLength: 10 },
    );
    const claimed = await store.executions.claimNext(task, { owner: 'o', at: at(1), leaseExpiresAt: leaseEndsAt, maxConcurrentExecutions: 10 });
    expect(claimed!.execution.id).toBe(admitted(admission).execution.id);
    return claimed!.execution;
  }

  it('lists running executions whose lease ran out, and only those', async () => {
    const expired = await runningWithLease(at(10));
    const alive = await runningWithLease(at(100));
    const ended = await runningWithLease(at(5));
    await store.executions.transition(ended.id, { from: 'RUNNING', to: 'COMPLETED', attempt: 1, at: at(6) });

    const found = await store.executions.expiredLeases(at(50), 10);

    expect(found.map((execution) => execution.id)).toEqual([expired.id]);
    expect(found[0]).toMatchObject({ status: 'RUNNING', attempt: 1, owner: 'o' });
    expect((await store.executions.expiredLeases(at(50), 10)).map((execution) => execution.id)).not.toContain(alive.id);
  });

  it('renewing a lease takes the execution off the expired list', async () => {
    const execution = await runningWithLease(at(10));
    expect(await store.executions.renewLease(execution.id, 1, at(200))).toBe(true);
    expect(await store.executions.expiredLeases(at(50), 10)).toEqual([]);
  });

  it('recovers only while the lease is still expired: a renewal in between wins', async () => {
    const execution = await runningWithLease(at(10));
    await store.executions.renewLease(execution.id, 1, at(200));

    const late = await store.executions.transition(execution.id, {
      from: 'RUNNING',
      to: 'QUEUED',
      attempt: 1,
      leaseExpiredBefore: at(50),
      at: at(50),
      message: 'recovered',
    });
    expect(late).toBeNull();
    expect((await store.executions.get(execution.id))!.status).toBe('RUNNING');

    const recovered = await store.executions.transition(execution.id, {
      from: 'RUNNING',
      to: 'QUEUED',
      attempt: 1,
      leaseExpiredBefore: at(300),
      at: at(300),
      message: 'recovered',
    });
    expect(recovered!.execution).toMatchObject({ status: 'QUEUED', owner: null, leaseExpiresAt: null, attempt: 1 });
    expect(recovered!.event).toMatchObject({ status: 'QUEUED', message: 'recovered', sequence: 3 });
    // Back in the queue it holds its place: the next claim takes it, as attempt 2.
    const again = await store.executions.claimNext('T', { owner: 'p', at: at(301), leaseExpiresAt: at(400), maxConcurrentExecutions: 1 });
    expect(again!.execution).toMatchObject({ id: execution.id, attempt: 2, owner: 'p' });
  });

  it('keeps counting a requeued execution against the queue limit', async () => {
    const execution = await runningWithLease(at(10));
    await store.executions.transition(execution.id, { from: 'RUNNING', to: 'QUEUED', attempt: 1, leaseExpiredBefore: at(20), at: at(20) });
    expect(await store.executions.counts('T')).toEqual({ scheduled: 0, queued: 1, running: 0 });
    const limits = { maxConcurrentExecutions: 0, maxQueueLength: 1 };
    expect(await store.executions.admit({ id: randomUUID(), task: 'T', input: {}, queuedAt: at(21) }, limits)).toEqual({ kind: 'full', limit: 'queue' });
  });
});
