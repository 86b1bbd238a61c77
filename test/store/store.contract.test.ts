import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionStatus } from '../../src/engine/execution.js';
import { storeAdapters } from '../support/store-adapters.js';
import { InvalidCursorError, type Store, type TaskLimits } from '../../src/store/store.js';
import { admitted } from '../support/admission.js';

/**
 * The contract of the Store port (src/store/store.ts), run over every adapter. Tests go through
 * the Store interface only, so any adapter added to this list must pass them unchanged.
 */
const adapters = storeAdapters();

const t0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(t0 + seconds * 1_000);
const roomy = { maxConcurrentExecutions: 10, maxQueueLength: 100 };
const terminal: ExecutionStatus[] = ['COMPLETED', 'FAILED', 'STOPPED', 'TIMED_OUT'];
const pdfOf = (...bytes: number[]) => new Uint8Array(bytes);

describe.each(adapters)('Store contract: %s', (_, createStore) => {
  let store: Store;
  let clockSeconds = 0;
  beforeEach(async () => {
    store = await createStore();
    clockSeconds = 0;
  });
  afterEach(async () => {
    await store.close();
  });

  const tick = () => at(++clockSeconds);
  const executions = () => store.executions;

  async function admit(task = 'T', limits: Pick<TaskLimits, 'maxConcurrentExecutions' | 'maxQueueLength'> = roomy, input: unknown = { n: 1 }) {
    return admitted(await executions().admit({ id: randomUUID(), task, input, queuedAt: tick() }, limits)).execution;
  }

  async function claim(task = 'T', maxConcurrentExecutions = 10, owner = 'owner-1') {
    const now = tick();
    return executions().claimNext(task, { owner, at: now, leaseExpiresAt: new Date(now.getTime() + 30_000), maxConcurrentExecutions });
  }

  async function running(task = 'T') {
    const execution = await admit(task);
    const claimed = await claim(task);
    expect(claimed?.execution.id).toBe(execution.id);
    return claimed!.execution;
  }

  describe('executions', () => {
    it('admits an execution as QUEUED with its first event, sequence 1', async () => {
      const queuedAt = at(5);
      const change = admitted(await executions().admit({ id: 'e-1', task: 'T', input: { groupId: 'g' }, queuedAt }, roomy));

      expect(change!.execution).toMatchObject({
        id: 'e-1', task: 'T', status: 'QUEUED', input: { groupId: 'g' }, feedback: '', progress: null, result: null,
        error: null, startedAt: null, finishedAt: null, owner: null, leaseExpiresAt: null, lastSequence: 1,
        attempt: 0, lostAttempts: 0, failedAttempts: 0, attempts: [], priority: 0, runAt: null, retryOf: null, scheduleId: null,
      });
      expect(change!.execution.queuedAt.getTime()).toBe(queuedAt.getTime());
      expect(change!.event).toMatchObject({ executionId: 'e-1', sequence: 1, kind: 'STATUS', status: 'QUEUED' });
      expect(await executions().get('e-1')).toEqual(change!.execution);
      expect(await executions().eventsAfter('e-1', 0)).toEqual([change!.event]);
      expect(await executions().get('unknown')).toBeNull();
    });

    it('admits no more than the free run slots plus maxQueueLength, per task, and stores nothing when full', async () => {
      const limits = { maxConcurrentExecutions: 2, maxQueueLength: 1 };
      for (let i = 0; i < 3; i++) await admit('T', limits);
      const refused = await executions().admit({ id: 'refused', task: 'T', input: {}, queuedAt: tick() }, limits);

      expect(refused).toEqual({ kind: 'full', limit: 'queue' });
      expect(await executions().get('refused')).toBeNull();
      expect((await executions().list({ task: 'T' }, { first: 10 })).totalCount).toBe(3);
      expect(await executions().counts('T')).toEqual({ scheduled: 0, queued: 3, running: 0 });
      // another task has its own room
      expect(await admit('Other', limits)).toMatchObject({ task: 'Other' });

      // claims do not make room by themselves: running ones hold slots, waiting ones queue places
      await claim('T', 2);
      await claim('T', 2);
      expect(await executions().admit({ id: 'still-full', task: 'T', input: {}, queuedAt: tick() }, limits)).toEqual({ kind: 'full', limit: 'queue' });
    });

    it('claims the oldest queued execution first, up to maxConcurrentExecutions', async () => {
      const ids = [(await admit()).id, (await admit()).id, (await admit()).id];
      const now = tick();
      const lease = at(1_000);

      const first = await executions().claimNext('T', { owner: 'me', at: now, leaseExpiresAt: lease, maxConcurrentExecutions: 2 });

      expect(first!.execution).toMatchObject({ id: ids[0], status: 'RUNNING', attempt: 1, owner: 'me', lastSequence: 2 });
      expect(first!.execution.startedAt!.getTime()).toBe(now.getTime());
      expect(first!.execution.leaseExpiresAt!.getTime()).toBe(lease.getTime());
      expect(first!.event).toMatchObject({ sequence: 2, kind: 'STATUS', status: 'RUNNING' });
      expect((await claim('T', 2))!.execution.id).toBe(ids[1]);
      expect(await claim('T', 2)).toBeNull();
      expect(await executions().get(ids[2]!)).toMatchObject({ status: 'QUEUED', attempt: 0 });
      expect(await claim('Nothing queued')).toBeNull();
      expect(await executions().counts('T')).toEqual({ scheduled: 0, queued: 1, running: 2 });
    });

    it('applies a transition only from the expected status and attempt', async () => {
      const execution = await running();

      const wrongFrom = await executions().transition(execution.id, { from: 'QUEUED', to: 'STOPPED', at: tick() });
      const stale = await executions().transition(execution.id, { from: 'RUNNING', to: 'COMPLETED', at: tick(), attempt: 0 });
      expect(wrongFrom).toBeNull();
      expect(stale).toBeNull();
      expect(await executions().get(execution.id)).toEqual(execution);

      const finishedAt = tick();
      const done = await executions().transition(execution.id, {
        from: 'RUNNING', to: 'COMPLETED', at: finishedAt, attempt: 1, result: { ok: true }, message: 'done',
      });
      expect(done!.execution).toMatchObject({ status: 'COMPLETED', result: { ok: true }, owner: null, leaseExpiresAt: null, lastSequence: 3 });
      expect(done!.execution.finishedAt!.getTime()).toBe(finishedAt.getTime());
      expect(done!.event).toMatchObject({ sequence: 3, kind: 'STATUS', status: 'COMPLETED', message: 'done' });
      expect(await executions().counts('T')).toEqual({ scheduled: 0, queued: 0, running: 0 });
    });

    it('dates an end by its own clock when it applies, when asked to (a stop racing a run elsewhere)', async () => {
      const execution = await running();
      const before = Date.now();
      // `at` is the engine's (here a fake clock's, far in the past): atCommit overrides it for finishedAt.
      const stopped = await executions().transition(execution.id, { from: 'RUNNING', to: 'STOPPED', at: tick(), attempt: 1, atCommit: true });
      const after = Date.now();
      expect(stopped!.execution.finishedAt!.getTime()).toBeGreaterThanOrEqual(before);
      expect(stopped!.execution.finishedAt!.getTime()).toBeLessThanOrEqual(after);
      expect((await executions().get(execution.id))!.finishedAt).toEqual(stopped!.execution.finishedAt);
    });

    it('never changes a terminal execution', async () => {
      for (const status of terminal) {
        const execution = await running();
        await executions().transition(execution.id, { from: 'RUNNING', to: status, at: tick(), error: status === 'COMPLETED' ? null : 'why' });
        const ended = (await executions().get(execution.id))!;
        for (const to of ['QUEUED', 'RUNNING', ...terminal] as ExecutionStatus[]) {
          expect(await executions().transition(execution.id, { from: status, to, at: tick() }), `${status} → ${to}`).toBeNull();
        }
        expect(await executions().recordFeedback(execution.id, 1, { message: 'late', mode: 'REPLACE', progress: 1, at: tick() })).toBeNull();
        expect(await executions().get(execution.id)).toEqual(ended);
      }
    });

    it('refuses transitions outside the table and stops a queued execution without an attempt', async () => {
      const queued = await admit();
      expect(await executions().transition(queued.id, { from: 'QUEUED', to: 'COMPLETED', at: tick() })).toBeNull();
      expect(await executions().transition(queued.id, { from: 'QUEUED', to: 'TIMED_OUT', at: tick() })).toBeNull();
      expect(await executions().get(queued.id)).toEqual(queued);

      const stopped = await executions().transition(queued.id, { from: 'QUEUED', to: 'STOPPED', at: tick(), error: 'stopped' });
      expect(stopped!.execution).toMatchObject({ status: 'STOPPED', error: 'stopped', startedAt: null });
      expect(stopped!.execution.finishedAt).toBeInstanceOf(Date);
      expect(await claim()).toBeNull();
    });

    it('requeues a running attempt for recovery; the next claim raises the attempt and the old one loses its writes', async () => {
      const execution = await running();
      const requeued = await executions().transition(execution.id, { from: 'RUNNING', to: 'QUEUED', at: tick(), attempt: 1 });
      expect(requeued!.execution).toMatchObject({ status: 'QUEUED', owner: null, leaseExpiresAt: null });

      const again = await claim('T', 10, 'owner-2');
      expect(again!.execution).toMatchObject({ id: execution.id, attempt: 2, owner: 'owner-2' });
      expect(await executions().recordFeedback(execution.id, 1, { message: 'old', mode: 'REPLACE', progress: null, at: tick() })).toBeNull();
      expect(await executions().renewLease(execution.id, 1, at(9_999))).toBe(false);
      expect(await executions().renewLease(execution.id, 2, at(9_999))).toBe(true);
      expect((await executions().get(execution.id))!.leaseExpiresAt!.getTime()).toBe(at(9_999).getTime());
    });

    it('records feedback of the running attempt: replace, append, progress kept when not given', async () => {
      const execution = await running();
      const feedback = (message: string, mode: 'REPLACE' | 'APPEND', progress: number | null, attempt = 1) =>
        executions().recordFeedback(execution.id, attempt, { message, mode, progress, at: tick() });

      const first = await feedback('a', 'APPEND', 0.1);
      expect(first!.execution).toMatchObject({ feedback: 'a', progress: 0.1, lastSequence: 3 });
      expect(first!.event).toMatchObject({ sequence: 3, kind: 'FEEDBACK', status: 'RUNNING', message: 'a', mode: 'APPEND', progress: 0.1 });
      await feedback('b', 'APPEND', null);
      const third = await feedback('c', 'APPEND', 0.6);
      expect(third!.execution).toMatchObject({ feedback: 'a\nb\nc', progress: 0.6 });
      expect((await executions().eventsAfter(execution.id, 3))[0]).toMatchObject({ message: 'b', progress: 0.1 });
      const replaced = await feedback('only', 'REPLACE', null);
      expect(replaced!.execution).toMatchObject({ feedback: 'only', progress: 0.6, lastSequence: 6 });

      expect(await feedback('stale attempt', 'REPLACE', 1, 0)).toBeNull();
      expect((await executions().get(execution.id))!.lastSequence).toBe(6);
      const queued = await admit('Q', { maxConcurrentExecutions: 0, maxQueueLength: 5 });
      expect(await executions().recordFeedback(queued.id, 0, { message: 'x', mode: 'REPLACE', progress: null, at: tick() })).toBeNull();
      expect(await executions().recordFeedback('unknown', 1, { message: 'x', mode: 'REPLACE', progress: null, at: tick() })).toBeNull();
      expect(await executions().get(queued.id)).toEqual(queued);
    });

    it('records feedback sent at once in the order it was sent, each with its own event', async () => {
      const execution = await running();
      const sent = Array.from({ length: 30 }, (_, i) =>
        executions().recordFeedback(execution.id, 1, { message: `line ${i}`, mode: 'APPEND', progress: i % 3 === 0 ? i / 30 : null, at: tick() }),
      );
      const changes = await Promise.all(sent);

      expect(changes.map((change) => [change!.event.sequence, change!.event.message])).toEqual(changes.map((_, i) => [3 + i, `line ${i}`]));
      // Each event, and the execution that comes with it, as they stood right after that feedback.
      expect(changes.map((change) => change!.event.progress)).toEqual(changes.map((_, i) => Math.floor(i / 3) * 3 / 30));
      expect(changes.map((change) => [change!.execution.lastSequence, change!.execution.progress])).toEqual(
        changes.map((change) => [change!.event.sequence, change!.event.progress]),
      );
      expect(changes[4]!.execution.feedback).toBe('line 0\nline 1\nline 2\nline 3\nline 4');
      const stored = (await executions().get(execution.id))!;
      expect(stored).toMatchObject({ lastSequence: 32, progress: 27 / 30, feedback: changes.map((_, i) => `line ${i}`).join('\n') });
      const log = await executions().eventsAfter(execution.id, 2);
      expect(log.map((event) => [event.sequence, event.message])).toEqual(changes.map((_, i) => [3 + i, `line ${i}`]));

      // Once it is no longer running, feedback sent at once is refused, every piece of it.
      await executions().transition(execution.id, { from: 'RUNNING', to: 'STOPPED', at: tick(), attempt: 1 });
      const late = await Promise.all([1, 2, 3].map((i) => executions().recordFeedback(execution.id, 1, { message: `late ${i}`, mode: 'APPEND', progress: null, at: tick() })));
      expect(late).toEqual([null, null, null]);
      expect((await executions().eventsAfter(execution.id, 32)).map((event) => event.status)).toEqual(['STOPPED']);
    });

    it('pages the event log by sequence', async () => {
      const execution = await running();
      for (let i = 0; i < 8; i++) await executions().recordFeedback(execution.id, 1, { message: `m${i}`, mode: 'APPEND', progress: null, at: tick() });

      const all = await executions().eventsAfter(execution.id, 0);
      expect(all.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect((await executions().eventsAfter(execution.id, 2, 3)).map((event) => event.sequence)).toEqual([3, 4, 5]);
      expect((await executions().eventsAfter(execution.id, 8, 5)).map((event) => event.sequence)).toEqual([9, 10]);
      expect(await executions().eventsAfter(execution.id, 10)).toEqual([]);
      expect(await executions().eventsAfter('unknown', 0)).toEqual([]);
    });

    it('reports 1-based queue positions per task that move up as executions leave the queue', async () => {
      const [a, b, c] = [await admit(), await admit(), await admit()];
      const other = await admit('Other');
      const positions = () => Promise.all([a, b, c].map((execution) => executions().queuePosition(execution!.id)));

      expect(await positions()).toEqual([1, 2, 3]);
      expect(await executions().queuePosition(other.id)).toBe(1);
      await claim();
      expect(await positions()).toEqual([null, 1, 2]);
      await executions().transition(b.id, { from: 'QUEUED', to: 'STOPPED', at: tick() });
      expect(await positions()).toEqual([null, null, 1]);
      expect(await executions().queuePosition('unknown')).toBeNull();
    });

    it('lists newest first in pages that do not overlap, with totalCount and hasNextPage', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await admit()).id);
      const newestFirst = [...ids].reverse();

      const seen: string[] = [];
      let after: string | null = null;
      const pages = [];
      do {
        const page = await executions().list({}, { first: 3, after });
        pages.push(page);
        seen.push(...page.edges.map((edge) => edge.node.id));
        after = page.hasNextPage ? page.edges.at(-1)!.cursor : null;
      } while (after);

      expect(seen).toEqual(newestFirst);
      expect(pages.map((page) => page.edges.length)).toEqual([3, 3, 1]);
      expect(pages.map((page) => page.totalCount)).toEqual([7, 7, 7]);
      expect(pages.map((page) => page.hasNextPage)).toEqual([true, true, false]);
      expect(pages.map((page) => page.hasPreviousPage)).toEqual([false, true, true]);
      // a cursor stays valid while newer executions arrive
      await admit();
      const again = await executions().list({}, { first: 3, after: pages[0]!.edges.at(-1)!.cursor });
      expect(again.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(3, 6));
      expect(again.totalCount).toBe(8);
    });

    it('filters the list by task and by status', async () => {
      const a1 = await admit('A');
      const b1 = await admit('B');
      const a2 = await admit('A');
      await claim('A');

      const ids = async (filter: { task?: string | null; status?: ExecutionStatus | null }) => {
        const page = await executions().list(filter, { first: 10 });
        return { ids: page.edges.map((edge) => edge.node.id), total: page.totalCount };
      };
      expect(await ids({ task: 'A' })).toEqual({ ids: [a2.id, a1.id], total: 2 });
      expect(await ids({ status: 'QUEUED' })).toEqual({ ids: [a2.id, b1.id], total: 2 });
      expect(await ids({ task: 'A', status: 'RUNNING' })).toEqual({ ids: [a1.id], total: 1 });
      expect(await ids({ task: 'A', status: 'COMPLETED' })).toEqual({ ids: [], total: 0 });
      expect(await ids({ task: null, status: null })).toEqual({ ids: [a2.id, b1.id, a1.id], total: 3 });
      // An empty name is a name like any other: it matches nothing, it does not mean "any task".
      expect(await ids({ task: '' })).toEqual({ ids: [], total: 0 });
    });

    it('refuses a cursor it did not produce', async () => {
      await admit();
      await expect(executions().list({}, { first: 2, after: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });

  describe('task settings', () => {
    it('returns null until limits are saved, then the saved limits per task', async () => {
      expect(await store.taskSettings.get('T')).toBeNull();
      await store.taskSettings.save('T', { maxConcurrentExecutions: 2, maxQueueLength: 3, timeoutMinutes: 0.5 });
      expect(await store.taskSettings.get('T')).toEqual({ maxConcurrentExecutions: 2, maxQueueLength: 3, timeoutMinutes: 0.5 });
      await store.taskSettings.save('T', { maxConcurrentExecutions: 4, maxQueueLength: 3, timeoutMinutes: 0.5 });
      expect((await store.taskSettings.get('T'))!.maxConcurrentExecutions).toBe(4);
      expect(await store.taskSettings.get('Other')).toBeNull();
    });
  });

  describe('returned records are copies', () => {
    it('does not change a stored execution or its events when a returned one is mutated', async () => {
      const admitted = await admit('T', roomy, { groupId: 'g', options: { pages: 2 } });
      const before = structuredClone(await executions().get(admitted.id));

      const copy = (await executions().get(admitted.id))!;
      copy.status = 'COMPLETED';
      copy.feedback = 'tampered';
      (copy.input as { options: { pages: number } }).options.pages = 99;
      const listed = (await executions().list({}, { first: 1 })).edges[0]!.node;
      listed.status = 'FAILED';
      (listed.input as { groupId: string }).groupId = 'tampered';
      const [event] = await executions().eventsAfter(admitted.id, 0);
      event!.status = 'FAILED';
      admitted.lastSequence = 42;

      expect(await executions().get(admitted.id)).toEqual(before);
      expect((await executions().eventsAfter(admitted.id, 0))[0]!.status).toBe('QUEUED');
      expect(await executions().queuePosition(admitted.id)).toBe(1);
    });

    it('keeps the stored input and result apart from the objects the caller passed in', async () => {
      const input = { groupId: 'g', nested: { n: 1 } };
      const { execution } = admitted(await executions().admit({ id: 'e-in', task: 'T', input, queuedAt: tick() }, roomy));
      input.nested.n = 2;
      await claim();
      const result = { contracts: [1, 2] };
      await executions().transition(execution.id, { from: 'RUNNING', to: 'COMPLETED', at: tick(), attempt: 1, result });
      result.contracts.push(3);

      expect(await executions().get(execution.id)).toMatchObject({ input: { groupId: 'g', nested: { n: 1 } }, result: { contracts: [1, 2] } });
    });

    it('does not change stored settings when returned ones are mutated', async () => {
      const limits = { maxConcurrentExecutions: 1, maxQueueLength: 1, timeoutMinutes: 1 };
      await store.taskSettings.save('T', limits);
      limits.maxQueueLength = 99;
      (await store.taskSettings.get('T'))!.timeoutMinutes = 99;
      expect(await store.taskSettings.get('T')).toEqual({ maxConcurrentExecutions: 1, maxQueueLength: 1, timeoutMinutes: 1 });
    });
  });
});
