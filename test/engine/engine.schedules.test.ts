import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask, type CodeSchedule } from '../../src/engine/task-definition.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { waitFor } from '../support/wait-for.js';

/** A task that completes at once and remembers the inputs of its runs. */
function quickTask(schedules: CodeSchedule[] = []) {
  const inputs: unknown[] = [];
  return {
    inputs,
    task: defineTask({
      name: 'Report',
      description: 'Completes at once.',
      input: z.strictObject({ region: z.string() }),
      limits: { maxConcurrentExecutions: 2, maxQueueLength: 10, timeoutMinutes: 1 },
      schedules,
      async run(ctx) {
        inputs.push(ctx.input);
        return { ok: true };
      },
    }),
  };
}

async function executionsOf(harness: TestEngine, scheduleId: string) {
  const page = await harness.engine.list({ task: 'Report' }, { first: 100 });
  return page.edges.map((edge) => edge.node).filter((execution) => execution.scheduleId === scheduleId);
}

describe('schedules', () => {
  let harness: TestEngine | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  it('starts one execution per tick of a seconds cron with its input, until it is deleted', async () => {
    const quick = quickTask();
    harness = createTestEngine({ tasks: () => [quick.task] });
    await harness.engine.startSweeping();
    const created = await harness.engine.createSchedule({ task: 'Report', cron: '* * * * * *', timezone: null, input: { region: 'EU' }, createdBy: 'ops' });
    if (created.kind !== 'Schedule') throw new Error(JSON.stringify(created));
    const { schedule } = created;
    expect(schedule.nextRunAt.getTime() % 1_000).toBe(0);

    const runs = await waitFor(async () => {
      const found = await executionsOf(harness!, schedule.id);
      return found.filter((execution) => execution.status === 'COMPLETED').length >= 2 && found;
    }, { what: 'two ticks to run', timeoutMs: 10_000 });
    expect(runs.every((execution) => execution.startedBy === 'ops')).toBe(true);
    expect(quick.inputs.slice(0, 2)).toEqual([{ region: 'EU' }, { region: 'EU' }]);
    const seconds = runs.map((execution) => Math.floor(execution.queuedAt.getTime() / 1_000));
    expect(new Set(seconds).size).toBe(seconds.length);
    const stored = (await harness.engine.schedule(schedule.id))!;
    expect(stored.lastExecutionId).not.toBeNull();
    expect(stored.nextRunAt.getTime()).toBeGreaterThan(schedule.nextRunAt.getTime());

    expect(await harness.engine.deleteSchedule(schedule.id)).toEqual({ kind: 'ScheduleDeleted', id: schedule.id });
    expect(await harness.engine.deleteSchedule(schedule.id)).toEqual({ kind: 'ScheduleNotFound', id: schedule.id });
  });

  it('refuses a bad pattern, time zone, task or input, with what is wrong', async () => {
    harness = createTestEngine({ tasks: () => [quickTask().task], engine: { maxSchedules: 1 } });
    const { engine } = harness;
    const create = (cron: string, timezone: string | null = null, input: unknown = { region: 'EU' }, task = 'Report') =>
      engine.createSchedule({ task, cron, timezone, input, createdBy: null });
    expect(await create('61 * * * *')).toMatchObject({ kind: 'InvalidSchedule', problems: [{ path: 'cron' }] });
    expect(await create('* * *')).toMatchObject({ kind: 'InvalidSchedule', problems: [{ path: 'cron', message: expect.stringContaining('5 fields') }] });
    expect(await create('0 2 * * *', 'Mars/Base')).toMatchObject({ kind: 'InvalidSchedule', problems: [{ path: 'timezone' }] });
    expect(await create('0 0 30 2 *')).toMatchObject({ kind: 'InvalidSchedule', problems: [{ message: expect.stringContaining('never') }] });
    expect(await create('0 2 * * *', null, { region: 3 })).toMatchObject({ kind: 'InvalidTaskInput', problems: [{ path: 'region' }] });
    expect(await create('0 2 * * *', null, {}, 'Nope')).toEqual({ kind: 'TaskNotFound', task: 'Nope' });
    const made = await create('0 2 * * *', 'Europe/Amsterdam');
    expect(made).toMatchObject({ kind: 'Schedule', schedule: { timezone: 'Europe/Amsterdam' } });
    // 02:00 in Amsterdam is 01:00 or 00:00 UTC, by the season.
    expect(made.kind === 'Schedule' && [0, 1]).toContain(made.kind === 'Schedule' && made.schedule.nextRunAt.getUTCHours());
    expect(await create('0 3 * * *')).toEqual({ kind: 'TooManySchedules', maxSchedules: 1 });
  });

  it('fires a tick missed while no server ran once, skips the rest, and goes on from now', async () => {
    let now = Date.parse('2026-06-01T12:00:30Z');
    const store: Store = createMemoryStore();
    await store.schedules.put({
      id: 'hourly', task: 'Report', cron: '0 * * * *', timezone: null, input: { region: 'US' },
      nextRunAt: new Date('2026-06-01T09:00:00Z'), createdBy: null, createdAt: new Date('2026-06-01T08:00:00Z'),
      source: 'api', lastRunAt: null, lastExecutionId: null, lastError: null,
    });
    harness = createTestEngine({ tasks: () => [quickTask().task], store, clock: () => new Date(now) });
    await harness.engine.startSweeping();
    const runs = await waitFor(async () => {
      const found = await executionsOf(harness!, 'hourly');
      return found.length > 0 && found;
    }, { what: 'the missed tick to fire' });
    expect(runs).toHaveLength(1);
    expect((await store.schedules.get('hourly'))!.nextRunAt.toISOString()).toBe('2026-06-01T13:00:00.000Z');
    // Another round at the same moment fires nothing more.
    now += 1_000;
    await harness.engine.startSweeping();
    expect(await executionsOf(harness, 'hourly')).toHaveLength(1);
  });

  it('stores the schedules declared in code, keeps their next tick over a restart, and refuses to delete them', async () => {
    const store = createMemoryStore();
    const declared: CodeSchedule[] = [{ name: 'nightly', cron: '0 2 * * *', input: { region: 'EU' } }];
    harness = createTestEngine({ tasks: () => [quickTask(declared).task], store });
    await harness.engine.startSweeping();
    const stored = (await store.schedules.get('Report:nightly'))!;
    expect(stored).toMatchObject({ source: 'code', cron: '0 2 * * *', input: { region: 'EU' } });
    expect(await harness.engine.deleteSchedule('Report:nightly')).toEqual({ kind: 'ScheduleInCode', id: 'Report:nightly', task: 'Report' });
    await harness.dispose();

    // The same code again keeps the stored tick; code that dropped the schedule deletes it.
    harness = createTestEngine({ tasks: () => [quickTask(declared).task], store });
    await harness.engine.startSweeping();
    expect((await store.schedules.get('Report:nightly'))!.nextRunAt).toEqual(stored.nextRunAt);
    await harness.dispose();
    harness = createTestEngine({ tasks: () => [quickTask([]).task], store });
    await harness.engine.startSweeping();
    expect(await store.schedules.get('Report:nightly')).toBeNull();
  });

  it('refuses a task definition with a bad schedule or retry policy when it is declared', () => {
    expect(() => quickTask([{ name: 'x', cron: 'every day' }])).toThrow(/schedules\.0\.cron/);
    expect(() =>
      defineTask({ ...quickTask().task, retry: { attempts: 0, jitter: 2 } }),
    ).toThrow(/retry\.attempts.*retry\.jitter/);
  });
});
