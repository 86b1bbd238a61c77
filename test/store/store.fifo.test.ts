import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { storeAdapters } from '../support/store-adapters.js';

/** FIFO per task holds even for executions queued in the same millisecond (ids are UUIDv7). */
const adapters = storeAdapters();

describe.each(adapters)('Store FIFO order: %s', (_, createStore) => {
  let store: Store;
  beforeEach(async () => {
    store = await createStore();
  });
  afterEach(async () => {
    await store.close();
  });

  it('claims executions admitted in the same millisecond in admission order, and positions agree', async () => {
    const sameInstant = new Date('2025-06-01T12:00:00.000Z');
    const ids = Array.from({ length: 12 }, () => uuidv7());
    for (const id of ids) {
      const admitted = await store.executions.admit({ id, task: 'T', input: {}, queuedAt: sameInstant }, { maxConcurrentExecutions: 1, maxQueueLength: 20 });
      expect(admitted.kind).toBe('admitted');
    }
    expect(await Promise.all(ids.map((id) => store.executions.queuePosition(id)))).toEqual(ids.map((_, i) => i + 1));

    const claimed: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const change = await store.executions.claimNext('T', { owner: 'o', at: sameInstant, leaseExpiresAt: sameInstant, maxConcurrentExecutions: 1 });
      claimed.push(change!.execution.id);
      await store.executions.transition(change!.execution.id, { from: 'RUNNING', to: 'COMPLETED', attempt: 1, at: sameInstant });
    }
    expect(claimed).toEqual(ids);
  });
});
