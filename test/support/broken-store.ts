import { createMemoryStore } from '../../src/store/memory-store.js';

/**
 * The embedded store, except that reading the execution `id` fails with `error`, the way a broken
 * database would: for what clients are told of unexpected failures (masked) and what is logged.
 */
export function storeFailingToRead(id: string, error: Error) {
  const store = createMemoryStore();
  const get = store.executions.get.bind(store.executions);
  store.executions.get = async (executionId) => {
    if (executionId === id) throw error;
    return get(executionId);
  };
  return store;
}
