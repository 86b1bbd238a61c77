import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { PageRequest, Schedule, ScheduleStore } from '../store/store.js';
import { nextTick, validateCron } from './cron.js';
import type { InputLimits } from './input-validation.js';
import { validateInput } from './input-validation.js';
import type { AnyTaskDefinition, InputProblem } from './task-definition.js';

export type CreateScheduleOutcome =
  | { kind: 'Schedule'; schedule: Schedule }
  | { kind: 'TaskNotFound'; task: string }
  | { kind: 'InvalidTaskInput'; task: string; problems: InputProblem[] }
  | { kind: 'InvalidSchedule'; problems: InputProblem[] }
  | { kind: 'TooManySchedules'; maxSchedules: number };

export type DeleteScheduleOutcome =
  | { kind: 'ScheduleDeleted'; id: string }
  | { kind: 'ScheduleNotFound'; id: string }
  | { kind: 'ScheduleInCode'; id: string; task: string };

/** What one tick did: the execution it started (or found started already), or why it started none. */
export type TickOutcome = { executionId: string; error: null } | { executionId: null; error: string };

export interface SchedulesDeps {
  store: ScheduleStore;
  logger: Logger;
  clock: () => Date;
  definition(task: string): AnyTaskDefinition | undefined;
  /**
   * Starts the execution of one tick. It must be idempotent per (schedule, tick): instances that
   * fire the same tick at once, or one that fires it again after a crash, start it once. Null:
   * this instance cannot fire it now (it is shutting down); the tick stays for another one.
   */
  startTick(schedule: Schedule, tick: Date): Promise<TickOutcome | null>;
}

export interface SchedulesOptions {
  /** Most schedules in all (MAX_SCHEDULES). */
  maxSchedules: number;
  inputLimits: InputLimits;
}

/** Most due schedules fired in one round; the rest go in the next one, at once. */
const batchSize = 100;

/**
 * Cron schedules: recurring starts of a task. Every instance fires the schedules that are due;
 * the tick's start is de-duplicated (startTick) and the move to the next tick is a
 * compare-and-set, so each tick starts exactly one execution however many instances fire it.
 *
 * Missed ticks (every instance was down, or busy past a tick): the schedule fires once, for the
 * first tick it missed, as soon as an instance runs, and then goes on from the next tick after
 * now; the ticks in between are skipped, and the log says from when.
 */
export function createSchedules(deps: SchedulesDeps, options: SchedulesOptions) {
  const { store, logger, clock } = deps;

  function checkPattern(cron: unknown, timezone: unknown, now: Date): { problems: InputProblem[]; next: Date | null } {
    const problems = validateCron(cron, timezone ?? null);
    if (problems.length > 0) return { problems, next: null };
    return { problems, next: nextTick(cron as string, (timezone as string | null) ?? null, now) };
  }

  async function fire(schedule: Schedule, now: Date): Promise<void> {
    const tick = schedule.nextRunAt;
    const outcome = await deps.startTick(schedule, tick);
    if (!outcome) return;
    const next = nextTick(schedule.cron, schedule.timezone, now);
    const log = logger.child({ scheduleId: schedule.id, task: schedule.task, tick });
    if (!next) {
      // Only a pattern pinned to dates that are all past can end; nothing is left to fire.
      await store.delete(schedule.id);
      log.info('schedule has no ticks left: deleted');
      return;
    }
    const moved = await store.advance(schedule.id, tick, {
      to: next,
      lastRunAt: now,
      lastExecutionId: outcome.executionId,
      lastError: outcome.error,
    });
    if (!moved) return; // another instance fired this tick: its start and ours are the same one
    const missed = nextTick(schedule.cron, schedule.timezone, tick);
    if (missed && missed < now) log.warn({ skippedFrom: missed, next }, 'schedule missed ticks while no server ran it: fired once, skipped the rest');
    if (outcome.error) log.warn({ reason: outcome.error }, 'schedule tick started nothing');
    else log.info({ executionId: outcome.executionId }, 'schedule tick started an execution');
  }

  return {
    async create(
      request: { task: string; cron: string; timezone: string | null; input: unknown; createdBy: string | null },
    ): Promise<CreateScheduleOutcome> {
      const definition = deps.definition(request.task);
      if (!definition) return { kind: 'TaskNotFound', task: request.task };
      const now = clock();
      const pattern = checkPattern(request.cron, request.timezone, now);
      if (pattern.problems.length > 0) return { kind: 'InvalidSchedule', problems: pattern.problems };
      const validated = await validateInput(definition, request.input, options.inputLimits);
      if (!validated.ok) return { kind: 'InvalidTaskInput', task: request.task, problems: validated.problems };
      if ((await store.count()) >= options.maxSchedules) return { kind: 'TooManySchedules', maxSchedules: options.maxSchedules };
      const schedule: Schedule = {
        id: uuidv7(),
        task: request.task,
        cron: request.cron.trim(),
        timezone: request.timezone,
        // The input as given: every tick validates it and takes its own snapshot then.
        input: request.input ?? null,
        nextRunAt: pattern.next!,
        createdBy: request.createdBy,
        createdAt: now,
        source: 'api',
        lastRunAt: null,
        lastExecutionId: null,
        lastError: null,
      };
      await store.put(schedule);
      logger.info({ scheduleId: schedule.id, task: schedule.task, cron: schedule.cron, nextRunAt: schedule.nextRunAt }, 'schedule created');
      return { kind: 'Schedule', schedule };
    },

    async delete(id: string): Promise<DeleteScheduleOutcome> {
      const schedule = await store.get(id);
      if (!schedule) return { kind: 'ScheduleNotFound', id };
      if (schedule.source === 'code') return { kind: 'ScheduleInCode', id, task: schedule.task };
      if (!(await store.delete(id))) return { kind: 'ScheduleNotFound', id };
      logger.info({ scheduleId: id, task: schedule.task }, 'schedule deleted');
      return { kind: 'ScheduleDeleted', id };
    },

    get: (id: string) => store.get(id),
    list: (filter: { task?: string | null; createdBy?: string | null }, page: PageRequest) => store.list(filter, page),
    nextRunAt: () => store.nextRunAt(),

    /**
     * Stores the schedules declared in code (`defineTask({ schedules })`) of these tasks, and
     * deletes code schedules of theirs that the code no longer declares. An unchanged schedule
     * keeps its next tick, so a restart neither skips nor repeats one.
     */
    async syncCodeSchedules(definitions: Iterable<AnyTaskDefinition>): Promise<void> {
      const now = clock();
      for (const definition of definitions) {
        const declared = new Map((definition.schedules ?? []).map((schedule) => [`${definition.name}:${schedule.name}`, schedule]));
        for (const [id, declaredSchedule] of declared) {
          const timezone = declaredSchedule.timezone ?? null;
          const input = declaredSchedule.input ?? null;
          const stored = await store.get(id);
          if (stored && stored.cron === declaredSchedule.cron && stored.timezone === timezone && sameJson(stored.input, input)) continue;
          await store.put({
            id,
            task: definition.name,
            cron: declaredSchedule.cron,
            timezone,
            input,
            nextRunAt: nextTick(declaredSchedule.cron, timezone, now)!,
            createdBy: null,
            createdAt: stored?.createdAt ?? now,
            source: 'code',
            lastRunAt: stored?.lastRunAt ?? null,
            lastExecutionId: stored?.lastExecutionId ?? null,
            lastError: stored?.lastError ?? null,
          });
        }
        for (let after: string | null = null; ; ) {
          const page = await store.list({ task: definition.name, source: 'code' }, { first: 100, after });
          for (const { node } of page.edges) if (!declared.has(node.id)) await store.delete(node.id);
          if (!page.hasNextPage) break;
          after = page.edges.at(-1)!.cursor;
        }
      }
    },

    /** Fires every schedule due now whose task runs here. */
    async fireDue(): Promise<void> {
      // Bounded: a store that keeps failing must not turn this into a busy loop (the sweep retries).
      for (let round = 0; round < 10; round++) {
        const now = clock();
        const due = (await store.due(now, batchSize)).filter((schedule) => deps.definition(schedule.task));
        for (const schedule of due) {
          try {
            await fire(schedule, now);
          } catch (error) {
            logger.error({ err: error, scheduleId: schedule.id }, 'schedule tick failed; retrying at the next sweep');
          }
        }
        if (due.length < batchSize) return;
      }
    },
  };
}

export type Schedules = ReturnType<typeof createSchedules>;

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
