import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdmissionLimits, NewExecution, Store } from '../../src/store/store.js';
import { admitted } from '../support/admission.js';
import { storeAdapters } from '../support/store-adapters.js';

/** The Store port's claim order by priority and its idempotent starts, over every adapter. */
const adapters = storeAdapters();
const t0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(t0 + seconds * 1_000);
const roomy: AdmissionLimits = { maxConcurrentExecutions: 100, maxQueueLength: 100 };
const full: AdmissionLimits = { maxConcurrentExecutions: 0, maxQueueLength: 0 };
/** Ids that sort in admission order, as UUIDv7 ids do: ties on queuedAt break by id in every adapter. */
const idOf = (n: number) => `e-${String(n).padStart(3, '0')}`;

describe.each(adapters)('Store priorities and idempotency: %s', (_, createStore) => {
  let store: Store;
  beforeEach(async () => {
    store = await createStore();
  });
  afterEach(async () => {
    await store.close();
  });

  const executions = () => store.executions;
  const admit = (n: number, fields: Partial<NewExecution> = {}, limits: AdmissionLimits = roomy) =>
    executions().admit({ id: idOf(n), task: 'T', input: { n }, queuedAt: at(n), ...fields }, limits);
  const claim = (now = at(1_000)) =>
    executions().claimNext('T', { owner: 'o', at: now, leaseExpiresAt: at(10_000), maxConcurrentExecutions: 100 });
  const positions = (ids: string[]) => Promise.all(ids.map((id) => executions().queuePosition(id)));

  describe('claim order', () => {
    it('claims by priority, highest first, FIFO within one, and queue positions agree for every execution', async () => {
      const priorities = [0, 5, -1, 5, 0, 10, -1, 0, 2, 5, 10, 0, -3, 2, 0, 5, 1, 1, 0, 10];
      for (let n = 0; n < priorities.length; n++) {
        // pairs share an instant: the id breaks the tie
        admitted(await admit(n, { priority: priorities[n]!, queuedAt: at(Math.floor(n / 2)) }));
      }
      const expected = priorities
        .map((priority, n) => ({ priority, id: idOf(n) }))
        .sort((a, b) => b.priority - a.priority || a.id.localeCompare(b.id))
        .map(({ id }) => id);

      expect(await positions(expected)).toEqual(expected.map((_, i) => i + 1));
      const claimed: string[] = [];
      for (let i = 0; i < expected.length; i++) {
        claimed.push((await claim())!.execution.id);
        const waiting = expected.slice(i + 1);
        if (i % 5 === 4) expect(await positions(waiting)).toEqual(waiting.map((_, j) => j + 1));
      }
      expect(claimed).toEqual(expected);
      expect(await claim()).toBeNull();
    });

    it('puts an execution that comes back at its place by priority and admission, not at the end', async () => {
      admitted(await admit(1));
      const scheduled = admitted(await admit(2, { runAt: at(500) })).execution;
      admitted(await admit(3));
      admitted(await admit(4, { priority: 1 }));
      const urgent = admitted(await admit(5, { priority: 1, runAt: at(500) })).execution;
      admitted(await admit(6, { priority: 1 }));

      await executions().transition(scheduled.id, { from: 'SCHEDULED', to: 'QUEUED', at: at(500) });
      await executions().transition(urgent.id, { from: 'SCHEDULED', to: 'QUEUED', at: at(500) });
      const order = [4, 5, 6, 1, 2, 3].map(idOf);
      expect(await positions(order)).toEqual([1, 2, 3, 4, 5, 6]);

      // a run handed back keeps its place too
      const first = (await claim())!.execution;
      expect(first.id).toBe(idOf(4));
      await executions().transition(first.id, { from: 'RUNNING', to: 'QUEUED', at: at(600), attempt: 1 });
      expect(await positions(order)).toEqual([1, 2, 3, 4, 5, 6]);
      // a stop in the middle closes the gap
      await executions().transition(idOf(6), { from: 'QUEUED', to: 'STOPPED', at: at(601) });
      expect(await positions([4, 5, 1, 2, 3].map(idOf))).toEqual([1, 2, 3, 4, 5]);
      const claimed = [];
      for (let i = 0; i < 5; i++) claimed.push((await claim())!.execution.id);
      expect(claimed).toEqual([4, 5, 1, 2, 3].map(idOf));
    });

    it('defaults the priority to 0 and keeps it through the execution', async () => {
      const plain = admitted(await admit(1)).execution;
      const low = admitted(await admit(2, { priority: -2 })).execution;
      expect(plain.priority).toBe(0);
      expect((await executions().get(low.id))!.priority).toBe(-2);
      expect((await claim())!.execution).toMatchObject({ id: plain.id, priority: 0 });
    });
  });

  describe('idempotent starts', () => {
    const key = (expiresAtSeconds: number, name = 'caller:T:k1') => ({ key: name, expiresAt: at(expiresAtSeconds) });

    it('answers duplicate with the holder while its key lasts, in any status, storing nothing, even with the queue full', async () => {
      const first = admitted(await admit(1, { idempotency: key(100) })).execution;

      const again = await admit(2, { idempotency: key(200) });
      expect(again).toEqual({ kind: 'duplicate', execution: first });
      expect(await executions().get(idOf(2))).toBeNull();
      expect(await admit(3, { idempotency: key(200) }, full)).toEqual({ kind: 'duplicate', execution: first });
      expect(await admit(4, { idempotency: key(200), runAt: at(50) }, { ...full, maxScheduled: 0 })).toMatchObject({ kind: 'duplicate' });

      await claim();
      const done = await executions().transition(first.id, { from: 'RUNNING', to: 'COMPLETED', at: at(5), attempt: 1, result: { ok: 1 } });
      expect(await admit(5, { idempotency: key(200) })).toEqual({ kind: 'duplicate', execution: done!.execution });
      expect((await executions().list({ task: 'T' }, { first: 10 })).totalCount).toBe(1);
      // another key is another start
      expect((await admit(6, { idempotency: key(100, 'caller:T:k2') })).kind).toBe('admitted');
    });

    it('gives an expired key up: the next start with it is admitted and holds it from then on', async () => {
      admitted(await admit(1, { idempotency: key(10) }));
      // queuedAt at(10) is the moment of the check: a key that expires then has expired
      const second = admitted(await admit(10, { idempotency: key(50) })).execution;
      expect(await admit(11, { idempotency: key(80) })).toEqual({ kind: 'duplicate', execution: second });
      // the first execution is still there, without the key
      expect((await executions().get(idOf(1)))!.status).toBe('QUEUED');
      expect((await executions().list({ task: 'T' }, { first: 10 })).totalCount).toBe(2);
    });

    it('keeps the key of a start refused as full free for the next one', async () => {
      admitted(await admit(1, {}, { maxConcurrentExecutions: 0, maxQueueLength: 1 }));
      expect(await admit(2, { idempotency: key(100) }, { maxConcurrentExecutions: 0, maxQueueLength: 1 })).toEqual({ kind: 'full', limit: 'queue' });
      expect((await admit(3, { idempotency: key(100) })).kind).toBe('admitted');
    });
  });
});
