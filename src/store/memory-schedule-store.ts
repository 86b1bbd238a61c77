import { pageNewestFirst } from './memory-paging.js';
import { createTimeIndex } from './memory-time-index.js';
import type { Schedule, ScheduleStore } from './store.js';

/** A copy the caller may change freely (input and dates are copied, as an execution's are). */
function copy(schedule: Schedule): Schedule {
  return {
    id: schedule.id,
    task: schedule.task,
    cron: schedule.cron,
    timezone: schedule.timezone,
    input: structuredClone(schedule.input),
    nextRunAt: new Date(schedule.nextRunAt),
    createdBy: schedule.createdBy,
    createdAt: new Date(schedule.createdAt),
    source: schedule.source,
    lastRunAt: schedule.lastRunAt && new Date(schedule.lastRunAt),
    lastExecutionId: schedule.lastExecutionId,
    lastError: schedule.lastError,
  };
}

/**
 * Schedules in process memory. Listings are newest first by when a schedule was first put (a
 * schedule put again, as code schedules are at every start, keeps its place); `due` and
 * `nextRunAt` read the front of an index by nextRunAt, not every schedule.
 */
export function createMemoryScheduleStore(): ScheduleStore {
  const entries = new Map<string, { order: number; value: Schedule }>();
  /** Every schedule in the order first put, for newest-first listings. */
  const history: Array<{ order: number; value: Schedule }> = [];
  let nextOrder = 0;
  const byNextRun = createTimeIndex();

  return {
    async put(schedule) {
      const stored = copy(schedule);
      const existing = entries.get(schedule.id);
      if (existing) {
        byNextRun.remove(schedule.id, existing.value.nextRunAt);
        existing.value = stored;
      } else {
        const entry = { order: nextOrder++, value: stored };
        entries.set(schedule.id, entry);
        history.push(entry);
      }
      byNextRun.add(schedule.id, stored.nextRunAt);
    },

    async get(id) {
      const entry = entries.get(id);
      return entry ? copy(entry.value) : null;
    },

    async delete(id) {
      const entry = entries.get(id);
      if (!entry) return false;
      entries.delete(id);
      history.splice(history.indexOf(entry), 1);
      byNextRun.remove(id, entry.value.nextRunAt);
      return true;
    },

    async list(filter, page) {
      // `== null`, not falsiness: an empty string is a value to match (it matches nothing), not "any".
      const matching = history.filter(
        ({ value }) =>
          (filter.task == null || value.task === filter.task) &&
          (filter.source == null || value.source === filter.source) &&
          (filter.createdBy == null || value.createdBy === filter.createdBy),
      );
      const result = pageNewestFirst(matching, page);
      return { ...result, edges: result.edges.map((edge) => ({ ...edge, node: copy(edge.node) })) };
    },

    async count() {
      return entries.size;
    },

    async due(now, limit) {
      return byNextRun.due(now, limit).map((id) => copy(entries.get(id)!.value));
    },

    async nextRunAt() {
      return byNextRun.first();
    },

    async advance(id, from, change) {
      const entry = entries.get(id);
      if (!entry || entry.value.nextRunAt.getTime() !== from.getTime()) return false;
      const schedule = entry.value;
      byNextRun.remove(id, schedule.nextRunAt);
      schedule.nextRunAt = new Date(change.to);
      schedule.lastRunAt = new Date(change.lastRunAt);
      schedule.lastExecutionId = change.lastExecutionId;
      schedule.lastError = change.lastError;
      byNextRun.add(id, schedule.nextRunAt);
      return true;
    },
  };
}
