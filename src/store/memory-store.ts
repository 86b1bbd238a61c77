import { createMemoryExecutionStore, type MemoryExecutionStoreOptions } from './memory-execution-store.js';
import { createMemoryScheduleStore } from './memory-schedule-store.js';
import type { Store, TaskLimits } from './store.js';

/** The embedded default store: zero setup, data lives as long as the process. */
export function createMemoryStore(options: MemoryExecutionStoreOptions = {}): Store {
  const settings = new Map<string, TaskLimits>();
  return {
    kind: 'memory',
    durable: false,
    executions: createMemoryExecutionStore(options),
    schedules: createMemoryScheduleStore(),
    database: null,
    cluster: null,
    taskSettings: {
      async get(task) {
        const limits = settings.get(task);
        return limits ? { ...limits } : null;
      },
      async save(task, limits) {
        settings.set(task, { ...limits });
      },
    },
    async ping() {},
    async close() {},
  };
}
