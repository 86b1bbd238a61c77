import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidCursorError, type Schedule, type Store } from '../../src/store/store.js';
import { storeAdapters } from '../support/store-adapters.js';

/** The contract of the ScheduleStore port (src/store/store.ts), over every adapter. */
const adapters = storeAdapters();
const t0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(t0 + seconds * 1_000);

describe.each(adapters)('ScheduleStore contract: %s', (_, createStore) => {
  let store: Store;
  let created = 0;
  beforeEach(async () => {
    store = await createStore();
    created = 0;
  });
  afterEach(async () => {
    await store.close();
  });

  const schedules = () => store.schedules;
  /** Each new schedule is created a second after the previous one. */
  function scheduleOf(id: string, fields: Partial<Schedule> = {}): Schedule {
    return {
      id, task: 'T', cron: '*/5 * * * *', timezone: null, input: { n: 1 }, nextRunAt: at(300), createdBy: null,
      createdAt: at(++created), source: 'api', lastRunAt: null, lastExecutionId: null, lastError: null, ...fields,
    };
  }
  async function put(id: string, fields: Partial<Schedule> = {}) {
    const schedule = scheduleOf(id, fields);
    await schedules().put(schedule);
    return schedule;
  }

  it('stores a schedule and gives it back as stored, with its input', async () => {
    const schedule = await put('s-1', {
      cron: '*/2 * * * * *', timezone: 'Europe/Zurich', input: { groupId: 'g', nested: { $weird: 'a.b' } }, createdBy: 'alice', source: 'code',
    });
    expect(await schedules().get('s-1')).toEqual(schedule);
    expect(await schedules().get('unknown')).toBeNull();
    expect(await schedules().count()).toBe(1);
  });

  it('replaces a schedule put again with the same id', async () => {
    const first = await put('s-1');
    await schedules().put({ ...first, cron: '0 * * * *', nextRunAt: at(3_600), input: { n: 2 } });
    expect(await schedules().get('s-1')).toMatchObject({ cron: '0 * * * *', input: { n: 2 } });
    expect((await schedules().nextRunAt())!.getTime()).toBe(at(3_600).getTime());
    expect(await schedules().count()).toBe(1);
    expect((await schedules().list({}, { first: 10 })).totalCount).toBe(1);
  });

  it('deletes: true when it existed, and it is gone from every answer', async () => {
    await put('s-1', { nextRunAt: at(10) });
    await put('s-2', { nextRunAt: at(20) });
    expect(await schedules().delete('s-1')).toBe(true);
    expect(await schedules().delete('s-1')).toBe(false);
    expect(await schedules().get('s-1')).toBeNull();
    expect((await schedules().due(at(100), 10)).map((s) => s.id)).toEqual(['s-2']);
    expect((await schedules().nextRunAt())!.getTime()).toBe(at(20).getTime());
    expect((await schedules().list({}, { first: 10 })).edges.map((edge) => edge.node.id)).toEqual(['s-2']);
    expect(await schedules().count()).toBe(1);
  });

  it('lists newest first in pages, filtered by task, by source and by creator', async () => {
    for (let i = 0; i < 5; i++) await put(`a-${i}`, { task: 'A', source: i % 2 === 0 ? 'code' : 'api' });
    await put('b-0', { task: 'B', createdBy: 'alice' });

    const first = await schedules().list({}, { first: 4 });
    expect(first.edges.map((edge) => edge.node.id)).toEqual(['b-0', 'a-4', 'a-3', 'a-2']);
    expect(first).toMatchObject({ totalCount: 6, hasNextPage: true, hasPreviousPage: false });
    const second = await schedules().list({}, { first: 4, after: first.edges.at(-1)!.cursor });
    expect(second.edges.map((edge) => edge.node.id)).toEqual(['a-1', 'a-0']);
    expect(second).toMatchObject({ totalCount: 6, hasNextPage: false, hasPreviousPage: true });

    const ids = async (filter: Parameters<Store['schedules']['list']>[0]) => {
      const page = await schedules().list(filter, { first: 10 });
      return { ids: page.edges.map((edge) => edge.node.id), total: page.totalCount };
    };
    expect(await ids({ task: 'A' })).toEqual({ ids: ['a-4', 'a-3', 'a-2', 'a-1', 'a-0'], total: 5 });
    expect(await ids({ source: 'code' })).toEqual({ ids: ['a-4', 'a-2', 'a-0'], total: 3 });
    expect(await ids({ task: 'A', source: 'api' })).toEqual({ ids: ['a-3', 'a-1'], total: 2 });
    expect(await ids({ createdBy: 'alice' })).toEqual({ ids: ['b-0'], total: 1 });
    expect(await ids({ task: 'A', createdBy: 'alice' })).toEqual({ ids: [], total: 0 });
    expect(await ids({ task: '' })).toEqual({ ids: [], total: 0 });
    expect(await ids({ task: null, source: null })).toMatchObject({ total: 6 });
    await expect(schedules().list({}, { first: 2, after: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('answers the due schedules earliest first, at most limit, and the next tick', async () => {
    expect(await schedules().nextRunAt()).toBeNull();
    expect(await schedules().due(at(1_000), 10)).toEqual([]);
    await put('c', { nextRunAt: at(30) });
    await put('a', { nextRunAt: at(10) });
    await put('b', { nextRunAt: at(20), task: 'Other' });

    expect((await schedules().nextRunAt())!.getTime()).toBe(at(10).getTime());
    const ids = async (now: Date, limit: number) => (await schedules().due(now, limit)).map((s) => s.id);
    expect(await ids(at(20), 10)).toEqual(['a', 'b']);
    expect(await ids(at(100), 2)).toEqual(['a', 'b']);
    expect(await ids(at(100), 10)).toEqual(['a', 'b', 'c']);
    expect(await ids(at(5), 10)).toEqual([]);
  });

  it('advances from a tick only while the schedule is still at it, recording the outcome', async () => {
    await put('s-1', { nextRunAt: at(10) });
    expect(await schedules().advance('s-1', at(9), { to: at(20), lastRunAt: at(10), lastExecutionId: 'e-1', lastError: null })).toBe(false);
    expect(await schedules().advance('unknown', at(10), { to: at(20), lastRunAt: at(10), lastExecutionId: 'e-1', lastError: null })).toBe(false);

    expect(await schedules().advance('s-1', at(10), { to: at(20), lastRunAt: at(10), lastExecutionId: 'e-1', lastError: null })).toBe(true);
    expect(await schedules().get('s-1')).toMatchObject({ nextRunAt: at(20), lastRunAt: at(10), lastExecutionId: 'e-1', lastError: null });
    expect(await schedules().due(at(15), 10)).toEqual([]);
    expect((await schedules().nextRunAt())!.getTime()).toBe(at(20).getTime());

    expect(await schedules().advance('s-1', at(20), { to: at(30), lastRunAt: at(20), lastExecutionId: null, lastError: 'QueueFull' })).toBe(true);
    expect(await schedules().get('s-1')).toMatchObject({ nextRunAt: at(30), lastExecutionId: null, lastError: 'QueueFull' });
  });

  it('lets exactly one of two concurrent advances from the same tick through', async () => {
    await put('s-1', { nextRunAt: at(10) });
    const results = await Promise.all(
      ['e-a', 'e-b'].map((id) => schedules().advance('s-1', at(10), { to: at(20), lastRunAt: at(10), lastExecutionId: id, lastError: null })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? 'e-a' : 'e-b';
    expect(await schedules().get('s-1')).toMatchObject({ nextRunAt: at(20), lastExecutionId: winner });
  });

  it('keeps stored schedules apart from the objects passed in and returned', async () => {
    const schedule = await put('s-1', { input: { nested: { n: 1 } } });
    const before = structuredClone(schedule);
    (schedule.input as { nested: { n: number } }).nested.n = 2;
    schedule.nextRunAt.setTime(0);
    const copy = (await schedules().get('s-1'))!;
    copy.createdAt.setTime(0);
    (copy.input as { nested: { n: number } }).nested.n = 3;
    (await schedules().due(at(1_000), 1))[0]!.nextRunAt.setTime(0);
    expect(await schedules().get('s-1')).toEqual(before);
  });
});
