import { canSee, ownedBy, type Principal } from '../auth/principal.js';
import type { Schedule } from '../store/store.js';
import { orStoreUnavailable, type Builder, type ResolverEngine as Engine } from './builder.js';
import { pageArgs, pageInfoOf, pageRequestOf, withUserErrors } from './common-types.js';

/**
 * Cron schedules: recurring starts of a task. A schedule belongs to whoever created it (its
 * executions are started as that caller), so it is seen and deleted like an execution: by its
 * creator and by admins. Schedules declared in code belong to no caller: admins see them.
 */
export function addScheduleOperations(builder: Builder): void {
  const ScheduleSource = builder.enumType('ScheduleSource', {
    values: { API: { value: 'api' as const }, CODE: { value: 'code' as const } },
    description: "API: made with createSchedule. CODE: declared in the task's definition (defineTask's schedules); delete it there.",
  });

  builder.objectType('Schedule', {
    description: 'A recurring start of a task on a cron pattern. On several instances each tick starts exactly one execution.',
    fields: (t) => ({
      id: t.exposeID('id'),
      task: t.exposeString('task'),
      cron: t.exposeString('cron', { description: 'Five fields (minute hour day month weekday), or six with seconds first.' }),
      timezone: t.exposeString('timezone', { nullable: true, description: 'IANA time zone the pattern is read in; null: UTC.' }),
      input: t.field({ type: 'JSON', nullable: true, description: 'The input of every start, validated at each tick.', resolve: (s) => s.input }),
      nextRunAt: t.field({ type: 'DateTime', description: 'The next tick.', resolve: (s) => s.nextRunAt }),
      source: t.field({ type: ScheduleSource, resolve: (s) => s.source }),
      createdBy: t.exposeString('createdBy', { nullable: true, description: "The token whose starts its executions are; null when open or in code." }),
      createdAt: t.field({ type: 'DateTime', resolve: (s) => s.createdAt }),
      lastRunAt: t.field({ type: 'DateTime', nullable: true, description: 'When its last tick fired.', resolve: (s) => s.lastRunAt }),
      lastExecution: t.field({
        type: 'TaskExecution',
        nullable: true,
        description: 'The execution its last tick started (null if that tick started none: see lastError).',
        resolve: (s, _, { engine }) => (s.lastExecutionId ? engine.status(s.lastExecutionId) : null),
      }),
      lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last tick started nothing (QueueFull, invalid input), else null.' }),
    }),
  });
  builder.objectType('ScheduleEdge', {
    fields: (t) => ({ cursor: t.exposeString('cursor'), node: t.field({ type: 'Schedule', resolve: (edge) => edge.node }) }),
  });
  builder.objectType('ScheduleConnection', {
    fields: (t) => ({
      edges: t.field({ type: ['ScheduleEdge'], resolve: (page) => page.edges }),
      pageInfo: t.field({ type: 'PageInfo', resolve: pageInfoOf }),
      totalCount: t.exposeInt('totalCount'),
    }),
  });

  builder.objectType('InvalidSchedule', {
    description: 'The cron pattern or the time zone is not valid; nothing was stored.',
    interfaces: ['Error'],
    fields: (t) => ({ problems: t.field({ type: ['InputProblem'], resolve: (outcome) => outcome.problems }) }),
  });
  builder.objectType('TooManySchedules', {
    description: 'The server keeps MAX_SCHEDULES schedules already; delete one first.',
    interfaces: ['Error'],
    fields: (t) => ({ maxSchedules: t.exposeInt('maxSchedules') }),
  });
  builder.objectType('ScheduleDeleted', { fields: (t) => ({ id: t.exposeID('id') }) });
  builder.objectType('ScheduleNotFound', { interfaces: ['Error'], fields: (t) => ({ id: t.exposeID('id') }) });
  builder.objectType('ScheduleInCode', {
    description: "The schedule is declared in its task's code (defineTask's schedules): it goes when the code drops it.",
    interfaces: ['Error'],
    fields: (t) => ({ id: t.exposeID('id'), task: t.exposeString('task') }),
  });

  const byKind = (value: unknown) => (value as { kind: string }).kind;
  const CreateScheduleResult = builder.unionType('CreateScheduleResult', {
    types: ['Schedule', 'TaskNotFound', 'InvalidTaskInput', 'InvalidSchedule', 'TooManySchedules', 'StoreUnavailable'],
    // A Schedule carries no `kind`: it is the success case.
    resolveType: (value) => ('kind' in value ? byKind(value) : 'Schedule'),
  });
  const DeleteScheduleResult = builder.unionType('DeleteScheduleResult', {
    types: ['ScheduleDeleted', 'ScheduleNotFound', 'ScheduleInCode', 'StoreUnavailable'],
    resolveType: byKind,
  });

  builder.queryFields((t) => ({
    schedules: t.field({
      type: 'ScheduleConnection',
      description: "Schedules, newest first, optionally of one task: the caller's own (an admin's: all).",
      args: { task: t.arg.string({ required: false }), ...pageArgs(t) },
      resolve: (_, args, { engine, principal }) =>
        withUserErrors(() => engine.listSchedules({ task: args.task, createdBy: ownedBy(principal) }, pageRequestOf(args))),
    }),
    schedule: t.field({
      type: 'Schedule',
      nullable: true,
      args: { id: t.arg.id({ required: true }) },
      resolve: (_, { id }, { engine, principal }) => visibleSchedule(engine, principal, String(id)),
    }),
  }));

  builder.mutationFields((t) => ({
    createSchedule: t.field({
      type: CreateScheduleResult,
      description:
        'A recurring start of a task: its executions are started as the caller at every tick of the cron pattern, with this input. ' +
        'A tick missed while no server ran fires once when one does; the ticks in between are skipped.',
      args: {
        task: t.arg.string({ required: true }),
        cron: t.arg.string({ required: true }),
        input: t.arg({ type: 'JSON', required: false }),
        timezone: t.arg.string({ required: false, description: 'IANA time zone, such as Europe/Amsterdam; default UTC.' }),
      },
      resolve: async (_, { task, cron, input, timezone }, { engine, principal }) => {
        const outcome = await orStoreUnavailable(() =>
          engine.createSchedule({ task, cron, input, timezone: timezone ?? null, createdBy: principal.name }),
        );
        return outcome.kind === 'Schedule' ? outcome.schedule : outcome;
      },
    }),
    deleteSchedule: t.field({
      type: DeleteScheduleResult,
      description:
        'Deletes a schedule: no tick due after this returns fires (a tick being fired at that very moment may still start its ' +
        'execution); executions it started go on.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_, { id }, { engine, principal }) =>
        orStoreUnavailable(async () => {
          const scheduleId = String(id);
          if (!(await visibleSchedule(engine, principal, scheduleId))) return { kind: 'ScheduleNotFound' as const, id: scheduleId };
          return engine.deleteSchedule(scheduleId);
        }),
    }),
  }));
}

/** The schedule if the caller may see it, else null (exactly as if it did not exist). */
async function visibleSchedule(engine: Engine, principal: Principal, id: string): Promise<Schedule | null> {
  const schedule = await engine.schedule(id);
  return schedule && canSee(principal, schedule.createdBy) ? schedule : null;
}
