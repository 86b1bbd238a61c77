import type { ResourceLimits } from 'node:worker_threads';
import { pino } from 'pino';
import { createEngine, type EngineOptions } from '../../src/engine/engine.js';
import { createExecutionEvents } from '../../src/engine/events.js';
import type { AnyTaskDefinition } from '../../src/engine/task-definition.js';
import { createWorkerPool } from '../../src/engine/worker-pool.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/store.js';

/**
 * A real engine with a real worker pool running test/support/test-workers, on the embedded store
 * unless the test passes one (several engines on one store act as several server instances).
 */
export function createTestEngine(options: {
  tasks: (store: Store) => AnyTaskDefinition[];
  threads?: number;
  /** Per worker thread; small heap limits make out-of-memory tests fast. */
  resourceLimits?: ResourceLimits;
  engine?: Partial<EngineOptions>;
  store?: Store;
  /** The engine's clock; the real one by default. */
  clock?: () => Date;
}) {
  const store = options.store ?? createMemoryStore();
  const pool = createWorkerPool({
    modules: [new URL('./test-workers.ts', import.meta.url)],
    threads: options.threads ?? 2,
    resourceLimits: options.resourceLimits,
  });
  const events = createExecutionEvents({ coalesceMs: 50, maxBuffered: 1_000 });
  const engine = createEngine(
    { store, pool, events, logger: pino({ level: 'silent' }), clock: options.clock },
    { leaseMs: 30_000, abortGraceMs: 500, maxInputBytes: 64 * 1024, maxInputDepth: 32, ...options.engine },
  );
  for (const task of options.tasks(store)) engine.register(task);
  return {
    engine,
    store,
    pool,
    events,
    async dispose() {
      await engine.close();
      events.close();
      await pool.close();
    },
  };
}

export type TestEngine = ReturnType<typeof createTestEngine>;
