import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maxAttemptRecords } from '../../src/engine/execution.js';
import type { AdmissionLimits, NewExecution, Store } from '../../src/store/store.js';
import { admitted } from '../support/admission.js';
import { storeAdapters } from '../support/store-adapters.js';

/**
 * The Store port's delayed starts and retries (SCHEDULED executions, attempt records), over
 * every adapter: a SCHEDULED execution holds no queue place and no slot until its time comes.
 */
const adapters = storeAdapters();
const t0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(t0 + seconds * 1_000);
const roomy: AdmissionLimits = { maxConcurrentExecutions: 10, maxQueueLength: 100 };

describe.each(adapters)('Store scheduling: %s', (_, createStore) => {
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
  const admit = (fields: Partial<NewExecution> = {}, limits: AdmissionLimits = roomy) =>
    executions().admit({ id: randomUUID(), task: 'T', input: {}, queuedAt: tick(), ...fields }, limits);
  const queue = async (fields: Partial<NewExecution> = {}, limits: AdmissionLimits = roomy) => admitted(await admit(fields, limits)).execution;
  const schedule = async (runAt: Date, fields: Partial<NewExecution> = {}, limits: AdmissionLimits = roomy) =>
    admitted(await admit({ runAt, ...fields }, limits)).execution;
  async function claim(maxConcurrentExecutions = 10) {
    const now = tick();
    return executions().claimNext('T', { owner: 'o', at: now, leaseExpiresAt: at(10_000), maxConcurrentExecutions });
  }

  it('admits a start with runAt as SCHEDULED, first event SCHEDULED, taking no queue place', async () => {
    const full = { maxConcurrentExecutions: 0, maxQueueLength: 1 };
    const queued = await queue({}, full);
    expect(await admit({}, full)).toEqual({ kind: 'full', limit: 'queue' });

    const change = admitted(await admit({ id: 'later', runAt: at(600), priority: 3, retryOf: 'orig', scheduleId: 's-1' }, full));

    expect(change.execution).toMatchObject({
      id: 'later', status: 'SCHEDULED', priority: 3, retryOf: 'orig', scheduleId: 's-1', failedAttempts: 0, attempts: [],
      attempt: 0, startedAt: null, finishedAt: null, owner: null, lastSequence: 1,
    });
    expect(change.execution.runAt!.getTime()).toBe(at(600).getTime());
    expect(change.event).toMatchObject({ sequence: 1, kind: 'STATUS', status: 'SCHEDULED' });
    expect(await executions().get('later')).toEqual(change.execution);
    expect(await executions().counts('T')).toEqual({ scheduled: 1, queued: 1, running: 0 });
    expect(await executions().queuePosition('later')).toBeNull();
    expect(await executions().queuePosition(queued.id)).toBe(1);
    expect((await claim())!.execution.id).toBe(queued.id);
    expect(await claim()).toBeNull();
    const listed = await executions().list({ status: 'SCHEDULED' }, { first: 10 });
    expect(listed.edges.map((edge) => edge.node.id)).toEqual(['later']);
    expect(listed.totalCount).toBe(1);
  });

  it('refuses a scheduled start once the task has maxScheduled, per task, storing nothing', async () => {
    const limits = { ...roomy, maxScheduled: 2 };
    const first = await schedule(at(100), {}, limits);
    await schedule(at(200), {}, limits);

    expect(await admit({ id: 'refused', runAt: at(300) }, limits)).toEqual({ kind: 'full', limit: 'scheduled' });
    expect(await executions().get('refused')).toBeNull();
    expect(await schedule(at(300), { task: 'Other' }, limits)).toMatchObject({ task: 'Other', status: 'SCHEDULED' });
    // Starts without runAt are not bound by it…
    expect(await queue({}, limits)).toMatchObject({ status: 'QUEUED' });
    // …and one that left SCHEDULED makes room.
    await executions().transition(first.id, { from: 'SCHEDULED', to: 'QUEUED', at: tick() });
    expect(await schedule(at(400), {}, limits)).toMatchObject({ status: 'SCHEDULED' });
    expect(await executions().counts('T')).toEqual({ scheduled: 2, queued: 2, running: 0 });
  });

  it('answers what is due earliest first, at most limit, and the next runAt', async () => {
    expect(await executions().nextRunAt()).toBeNull();
    const c = await schedule(at(300));
    const a = await schedule(at(100), { task: 'Other' });
    const b = await schedule(at(200));
    const d = await schedule(at(400));
    await queue(); // QUEUED ones are never "due"

    expect((await executions().nextRunAt())!.getTime()).toBe(at(100).getTime());
    const ids = async (now: Date, limit: number) => (await executions().dueScheduled(now, limit)).map((execution) => execution.id);
    expect(await ids(at(250), 10)).toEqual([a.id, b.id]);
    expect(await ids(at(300), 10)).toEqual([a.id, b.id, c.id]);
    expect(await ids(at(1_000), 2)).toEqual([a.id, b.id]);
    expect(await ids(at(50), 10)).toEqual([]);
    expect((await executions().dueScheduled(at(150), 10))[0]).toMatchObject({ id: a.id, status: 'SCHEDULED', task: 'Other' });

    await executions().transition(a.id, { from: 'SCHEDULED', to: 'QUEUED', at: tick() });
    await executions().transition(b.id, { from: 'SCHEDULED', to: 'STOPPED', at: tick() });
    expect((await executions().nextRunAt())!.getTime()).toBe(at(300).getTime());
    expect(await ids(at(1_000), 10)).toEqual([c.id, d.id]);
    await executions().transition(c.id, { from: 'SCHEDULED', to: 'FAILED', at: tick(), error: 'store shut down' });
    await executions().transition(d.id, { from: 'SCHEDULED', to: 'QUEUED', at: tick() });
    expect(await executions().nextRunAt()).toBeNull();
    expect(await ids(at(1_000), 10)).toEqual([]);
  });

  it('ends a SCHEDULED execution as STOPPED or FAILED: terminal, with finishedAt', async () => {
    const stopped = await schedule(at(100));
    const failed = await schedule(at(100));
    const stop = await executions().transition(stopped.id, { from: 'SCHEDULED', to: 'STOPPED', at: tick(), message: 'stopped' });
    const fail = await executions().transition(failed.id, { from: 'SCHEDULED', to: 'FAILED', at: tick(), error: 'gone' });

    expect(stop!.execution).toMatchObject({ status: 'STOPPED', startedAt: null });
    expect(stop!.execution.finishedAt).toBeInstanceOf(Date);
    expect(stop!.event).toMatchObject({ sequence: 2, status: 'STOPPED', message: 'stopped' });
    expect(fail!.execution).toMatchObject({ status: 'FAILED', error: 'gone' });
    expect(await executions().transition(stopped.id, { from: 'SCHEDULED', to: 'QUEUED', at: tick() })).toBeNull();
    expect(await executions().transition(stopped.id, { from: 'STOPPED', to: 'QUEUED', at: tick() })).toBeNull();
    // only QUEUED, STOPPED and FAILED follow SCHEDULED
    const waiting = await schedule(at(100));
    expect(await executions().transition(waiting.id, { from: 'SCHEDULED', to: 'RUNNING', at: tick() })).toBeNull();
    expect(await executions().transition(waiting.id, { from: 'SCHEDULED', to: 'COMPLETED', at: tick() })).toBeNull();
    expect(await executions().counts('T')).toEqual({ scheduled: 1, queued: 0, running: 0 });
  });

  it('queues a SCHEDULED execution whose time came even beyond maxQueueLength, and claims it', async () => {
    const limits = { maxConcurrentExecutions: 0, maxQueueLength: 1 };
    const waiting = await queue({}, limits);
    const later = [await schedule(at(50), {}, limits), await schedule(at(60), {}, limits)];

    for (const execution of later) {
      const joined = await executions().transition(execution.id, { from: 'SCHEDULED', to: 'QUEUED', at: tick(), message: 'its time came' });
      expect(joined!.execution).toMatchObject({ status: 'QUEUED', finishedAt: null, owner: null });
      expect(joined!.execution.runAt).toEqual(execution.runAt); // the last time it was due
      expect(joined!.event).toMatchObject({ sequence: 2, status: 'QUEUED', message: 'its time came' });
    }

    expect(await executions().counts('T')).toEqual({ scheduled: 0, queued: 3, running: 0 });
    expect(await admit({}, limits)).toEqual({ kind: 'full', limit: 'queue' });
    const order = [waiting.id, ...later.map((execution) => execution.id)];
    expect(await Promise.all(order.map((id) => executions().queuePosition(id)))).toEqual([1, 2, 3]);
    const claimed = [await claim(), await claim(), await claim()].map((change) => change!.execution.id);
    expect(claimed).toEqual(order);
    expect(await executions().counts('T')).toEqual({ scheduled: 0, queued: 0, running: 3 });
  });

  it('moves a failed attempt to SCHEDULED for a retry: frees its run slot and queue place, records the attempt', async () => {
    const limits = { maxConcurrentExecutions: 1, maxQueueLength: 0 };
    const execution = await queue({}, limits);
    const run = (await claim(1))!.execution;
    expect(await admit({}, limits)).toEqual({ kind: 'full', limit: 'queue' });

    const endedAt = tick();
    const retry = await executions().transition(execution.id, {
      from: 'RUNNING', to: 'SCHEDULED', at: endedAt, attempt: 1, runAt: at(500), failedAttempts: 1,
      endedAttempt: { outcome: 'FAILED', error: 'boom' }, error: 'boom', message: 'retry in 8 minutes',
    });

    expect(retry!.execution).toMatchObject({
      status: 'SCHEDULED', attempt: 1, failedAttempts: 1, owner: null, leaseExpiresAt: null, finishedAt: null, error: 'boom',
      attempts: [{ attempt: 1, startedAt: run.startedAt, endedAt, outcome: 'FAILED', error: 'boom' }],
    });
    expect(retry!.execution.runAt!.getTime()).toBe(at(500).getTime());
    expect(retry!.event).toMatchObject({ sequence: 3, status: 'SCHEDULED', message: 'retry in 8 minutes' });
    expect(await executions().get(execution.id)).toEqual(retry!.execution);
    expect(await executions().counts('T')).toEqual({ scheduled: 1, queued: 0, running: 0 });
    expect(await executions().renewLease(execution.id, 1, at(9_000))).toBe(false);
    expect(await executions().recordFeedback(execution.id, 1, { message: 'late', mode: 'REPLACE', progress: null, at: tick() })).toBeNull();
    expect((await executions().dueScheduled(at(500), 10)).map((due) => due.id)).toEqual([execution.id]);

    // both freed: another start is admitted and runs at once
    const other = await queue({}, limits);
    expect((await claim(1))!.execution.id).toBe(other.id);
    await executions().transition(other.id, { from: 'RUNNING', to: 'COMPLETED', at: tick(), attempt: 1 });
    // the retry's time comes: attempt 2
    await executions().transition(execution.id, { from: 'SCHEDULED', to: 'QUEUED', at: tick() });
    expect((await claim(1))!.execution).toMatchObject({ id: execution.id, attempt: 2, failedAttempts: 1 });
  });

  it('keeps only the newest maxAttemptRecords attempt records', async () => {
    const execution = await queue();
    const runs = maxAttemptRecords + 3;
    for (let attempt = 1; attempt <= runs; attempt++) {
      await claim();
      const handedBack = await executions().transition(execution.id, {
        from: 'RUNNING', to: 'QUEUED', at: tick(), attempt, endedAttempt: { outcome: 'HANDED_BACK', error: null },
      });
      expect(handedBack!.execution.attempts.at(-1)).toMatchObject({ attempt, outcome: 'HANDED_BACK', error: null });
    }
    const { attempts } = (await executions().get(execution.id))!;
    expect(attempts).toHaveLength(maxAttemptRecords);
    expect(attempts.map((record) => record.attempt)).toEqual(Array.from({ length: maxAttemptRecords }, (_, i) => runs - maxAttemptRecords + 1 + i));
  });

  it('records no attempt unless asked to, and refuses a change to SCHEDULED without runAt', async () => {
    const execution = await queue();
    await claim();
    await expect(executions().transition(execution.id, { from: 'RUNNING', to: 'SCHEDULED', at: tick(), attempt: 1 })).rejects.toThrow(/runAt/);
    const done = await executions().transition(execution.id, { from: 'RUNNING', to: 'COMPLETED', at: tick(), attempt: 1 });
    expect(done!.execution).toMatchObject({ status: 'COMPLETED', attempts: [], failedAttempts: 0, runAt: null });
  });

  it('returns attempt records as copies', async () => {
    const execution = await queue();
    await claim();
    await executions().transition(execution.id, {
      from: 'RUNNING', to: 'SCHEDULED', at: tick(), attempt: 1, runAt: at(100), endedAttempt: { outcome: 'TIMED_OUT', error: 'late' },
    });
    const before = await executions().get(execution.id);
    const copy = (await executions().get(execution.id))!;
    copy.attempts[0]!.outcome = 'COMPLETED';
    copy.attempts[0]!.endedAt.setTime(0);
    copy.runAt!.setTime(0);
    expect(await executions().get(execution.id)).toEqual(before);
    expect((await executions().nextRunAt())!.getTime()).toBe(at(100).getTime());
  });
});
