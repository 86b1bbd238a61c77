import type { Db, Filter } from 'mongodb';
import { collections } from './mongo-indexes.js';
import { findPage } from './mongo-paging.js';
import type { Schedule, ScheduleStore } from './store.js';

/** How a schedule is stored: its input as JSON text, like an execution's (mongo-execution-doc.ts). */
export type ScheduleDoc = Omit<Schedule, 'id' | 'input'> & { _id: string; inputJson: string };

function toDoc({ id, input, ...fields }: Schedule): ScheduleDoc {
  return { _id: id, ...fields, inputJson: JSON.stringify(input ?? null) };
}

function toSchedule({ _id, inputJson, ...fields }: ScheduleDoc): Schedule {
  return { id: _id, ...fields, input: JSON.parse(inputJson) as unknown };
}

/**
 * Schedules in MongoDB. Several instances fire the same schedules: `advance` is a
 * compare-and-set on the tick (`nextRunAt`), so exactly one of them moves a schedule on from a
 * tick, and only that one starts its execution.
 */
export function createMongoScheduleStore(db: Db): ScheduleStore {
  const schedules = db.collection<ScheduleDoc>(collections.schedules);

  return {
    async put(schedule) {
      const { _id, ...fields } = toDoc(schedule);
      await schedules.replaceOne({ _id }, fields, { upsert: true });
    },

    async get(id) {
      const doc = await schedules.findOne({ _id: id });
      return doc ? toSchedule(doc) : null;
    },

    async delete(id) {
      const { deletedCount } = await schedules.deleteOne({ _id: id });
      return deletedCount === 1;
    },

    async list(filter, page) {
      // `!= null`, not truthiness: an empty string is a value to match (it matches nothing), not "any".
      const where: Filter<ScheduleDoc> = {};
      if (filter.task != null) where.task = filter.task;
      if (filter.source != null) where.source = filter.source;
      if (filter.createdBy != null) where.createdBy = filter.createdBy;
      // served by newest, task_newest, source_newest or owner_newest
      return findPage(schedules, where, 'createdAt', page, toSchedule);
    },

    async count() {
      return schedules.estimatedDocumentCount();
    },

    async due(now, limit) {
      // served by next_run
      const docs = await schedules.find({ nextRunAt: { $lte: now } }).sort({ nextRunAt: 1 }).limit(limit).toArray();
      return docs.map(toSchedule);
    },

    async nextRunAt() {
      // served by next_run (it provides the sort: the first entry)
      const next = await schedules.findOne({}, { sort: { nextRunAt: 1 }, projection: { nextRunAt: 1 } });
      return next?.nextRunAt ?? null;
    },

    async advance(id, from, change) {
      const { matchedCount } = await schedules.updateOne(
        { _id: id, nextRunAt: from },
        { $set: { nextRunAt: change.to, lastRunAt: change.lastRunAt, lastExecutionId: change.lastExecutionId, lastError: change.lastError } },
      );
      return matchedCount === 1;
    },
  };
}
