import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedbackTrimmedNote } from '../../src/store/feedback-text.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { AdmissionLimits, NewExecution, Store } from '../../src/store/store.js';
import { admitted } from '../support/admission.js';
import { storeAdapters } from '../support/store-adapters.js';

/**
 * The Store port's retention (expiresAt, expired, delete), the feedback text limit and the
 * per-caller queue limit, over every adapter.
 */
const adapters = storeAdapters();
const t0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(t0 + seconds * 1_000);
const roomy: AdmissionLimits = { maxConcurrentExecutions: 10, maxQueueLength: 100 };
const hour = 3_600_000;
/** The tasks whose executions `expired` may offer: these tests' own. */
const onlyT: ReadonlySet<string> = new Set(['T']);

describe.each(adapters)('Store retention, feedback text and fair queues: %s', (_, createStore) => {
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
  const claim = () => executions().claimNext('T', { owner: 'o', at: tick(), leaseExpiresAt: at(10_000), maxConcurrentExecutions: 10 });
  /** Runs a new execution to COMPLETED at `finishedAt`, kept `retainForMs`. */
  async function finished(retainForMs: number | null, fields: Partial<NewExecution> = {}) {
    const execution = await queue(fields);
    const run = (await claim())!.execution;
    expect(run.id).toBe(execution.id);
    const done = await executions().transition(execution.id, {
      from: 'RUNNING',
      to: 'COMPLETED',
      attempt: 1,
      at: tick(),
      ...(retainForMs === null ? {} : { retainFor: (task: string) => (task === 'T' ? retainForMs : -1) }),
    });
    return done!.execution;
  }

  it('dates the expiry of a finished execution by its task\'s retention; waiting and running ones have none', async () => {
    const done = await finished(2 * hour);
    expect(done.expiresAt!.getTime()).toBe(done.finishedAt!.getTime() + 2 * hour);
    expect((await executions().get(done.id))!.expiresAt).toEqual(done.expiresAt);
    // Without a retention (a change that does not say) it is kept until deleted.
    const kept = await finished(null);
    expect(kept.expiresAt).toBeNull();
    // The retention it was admitted with wins over the one of the change that ends it.
    const admittedWith = await finished(1_000, { retainForMs: 5 * hour });
    expect(admittedWith.expiresAt!.getTime()).toBe(admittedWith.finishedAt!.getTime() + 5 * hour);
    const waiting = await queue();
    expect(waiting.expiresAt).toBeNull();
    expect((await claim())!.execution.expiresAt).toBeNull();
  });

  it('finds what expired by `now`, earliest first, and deletes it with its events', async () => {
    const short = await finished(10_000);
    const long = await finished(hour);
    const shorter = await finished(1_000);
    const expiry = (execution: { expiresAt: Date | null }) => execution.expiresAt!.getTime();

    expect(await executions().expired(new Date(expiry(shorter) - 1), 10, onlyT)).toEqual([]);
    const due = await executions().expired(new Date(expiry(short)), 10, onlyT);
    expect(due.map((execution) => execution.id)).toEqual([shorter.id, short.id]);
    expect(await executions().expired(new Date(expiry(long)), 1, onlyT)).toHaveLength(1);
    // Only the tasks asked for: another instance's tasks are left to it.
    expect(await executions().expired(new Date(expiry(long)), 10, new Set(['Other']))).toEqual([]);

    expect(await executions().delete(shorter.id)).toBe(true);
    expect(await executions().get(shorter.id)).toBeNull();
    expect(await executions().eventsAfter(shorter.id, 0)).toEqual([]);
    expect(await executions().delete(shorter.id)).toBe(false);
    const listed = await executions().list({}, { first: 10 });
    expect(listed.edges.map((edge) => edge.node.id)).toEqual([long.id, short.id]);
    expect(listed.totalCount).toBe(2);
    expect((await executions().expired(new Date(expiry(long)), 10, onlyT)).map((execution) => execution.id)).toEqual([short.id, long.id]);
    // The events of the others are untouched.
    expect((await executions().eventsAfter(short.id, 0)).map((event) => event.status)).toEqual(['QUEUED', 'RUNNING', 'COMPLETED']);
  });

  it('deletes only finished executions', async () => {
    const waiting = await queue();
    const running = await queue();
    await claim();
    expect(await executions().delete(waiting.id)).toBe(false);
    expect(await executions().delete(running.id)).toBe(false);
    expect(await executions().delete('unknown')).toBe(false);
    expect(await executions().get(waiting.id)).not.toBeNull();
    expect(await executions().counts('T')).toEqual({ scheduled: 0, queued: 1, running: 1 });
  });

  it('gives up the idempotency key of a deleted execution: a new start with it is a new execution', async () => {
    const idempotency = { key: 'k', expiresAt: at(1_000_000) };
    const first = await finished(1_000, { idempotency });
    expect(await admit({ idempotency })).toMatchObject({ kind: 'duplicate', execution: { id: first.id } });
    expect(await executions().delete(first.id)).toBe(true);
    const again = admitted(await admit({ idempotency })).execution;
    expect(again.id).not.toBe(first.id);
  });

  it('keeps the newest feedback lines within maxTextBytes and every message in the event log', async () => {
    const execution = await queue();
    await claim();
    const lines = Array.from({ length: 600 }, (_, i) => `Created contract ${i + 1} of 600 for Client ${i + 1} — «${'é'.repeat(20)}»`);
    for (const line of lines) {
      await executions().recordFeedback(execution.id, 1, { message: line, mode: 'APPEND', progress: null, at: tick(), maxTextBytes: 16 * 1024 });
    }
    const { feedback } = (await executions().get(execution.id))!;
    expect(Buffer.byteLength(feedback)).toBeLessThanOrEqual(16 * 1024);
    const kept = feedback.split('\n');
    expect(kept[0]).toBe(feedbackTrimmedNote);
    // Whole lines, the newest ones, in order: the text ends with the last line written.
    expect(kept.slice(1)).toEqual(lines.slice(lines.length - (kept.length - 1)));
    expect(kept.length - 1).toBeGreaterThan(100);
    const logged = await executions().eventsAfter(execution.id, 0);
    expect(logged.filter((event) => event.kind === 'FEEDBACK').map((event) => event.message)).toEqual(lines);
  });

  it('refuses a caller beyond maxQueuedPerCaller while others go on, and counts what comes back to the queue', async () => {
    const limits = { ...roomy, maxConcurrentExecutions: 0, maxQueuedPerCaller: 2 };
    const alice = { startedBy: 'alice' };
    await queue(alice, limits);
    const second = await queue(alice, limits);
    expect(await admit(alice, limits)).toEqual({ kind: 'full', limit: 'caller' });
    await queue({ startedBy: 'bob' }, limits);
    await queue({ startedBy: null }, limits);
    expect(await admit({ startedBy: null }, limits)).toMatchObject({ kind: 'admitted' });
    expect(await admit({ startedBy: null }, limits)).toEqual({ kind: 'full', limit: 'caller' });

    // Running, an execution no longer waits: its place is the caller's again.
    const run = (await claim())!.execution;
    expect(run.startedBy).toBe('alice');
    const third = await queue(alice, limits);
    expect(await admit(alice, limits)).toEqual({ kind: 'full', limit: 'caller' });
    // Back in the queue (recovered, handed back) it is counted again, beyond the limit.
    expect(await executions().transition(run.id, { from: 'RUNNING', to: 'QUEUED', attempt: 1, at: tick() })).not.toBeNull();
    // Stopped while waiting, one frees its place: with three waiting, it takes two.
    await executions().transition(second.id, { from: 'QUEUED', to: 'STOPPED', at: tick() });
    expect(await admit(alice, limits)).toEqual({ kind: 'full', limit: 'caller' });
    await executions().transition(third.id, { from: 'QUEUED', to: 'STOPPED', at: tick() });
    expect(await admit(alice, limits)).toMatchObject({ kind: 'admitted' });
    expect(await admit(alice, limits)).toEqual({ kind: 'full', limit: 'caller' });
    // A start with runAt waits for its time without a queue place: the per-caller limit is for the queue.
    expect(await admit({ ...alice, runAt: at(5_000) }, limits)).toMatchObject({ kind: 'admitted' });
  });
});

describe('Embedded store: the cap on finished executions', () => {
  it('offers the oldest finished beyond MAX_FINISHED_EXECUTIONS for deletion, whatever their retention', async () => {
    const store = createMemoryStore({ maxFinishedExecutions: 3 });
    const ids: string[] = [];
    let second = 0;
    for (let i = 0; i < 5; i++) {
      const { execution } = admitted(await store.executions.admit({ id: `e${i}`, task: 'T', input: {}, queuedAt: at(++second) }, roomy));
      await store.executions.claimNext('T', { owner: 'o', at: at(++second), leaseExpiresAt: at(10_000), maxConcurrentExecutions: 1 });
      await store.executions.transition(execution.id, { from: 'RUNNING', to: 'COMPLETED', attempt: 1, at: at(++second), retainFor: () => 1_000 * hour });
      ids.push(execution.id);
    }
    // A waiting one is never offered.
    await store.executions.admit({ id: 'waiting', task: 'T', input: {}, queuedAt: at(++second) }, roomy);

    const offered = await store.executions.expired(at(++second), 10, onlyT);
    expect(offered.map((execution) => execution.id)).toEqual(['e0', 'e1']);
    for (const execution of offered) expect(await store.executions.delete(execution.id)).toBe(true);
    expect(await store.executions.expired(at(++second), 10, onlyT)).toEqual([]);
    expect((await store.executions.list({}, { first: 10 })).edges.map((edge) => edge.node.id)).toEqual(['waiting', 'e4', 'e3', 'e2']);
  });
});
