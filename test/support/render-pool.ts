import { Piscina } from 'piscina';
import { afterAll, beforeAll } from 'vitest';
import type { RenderContractsJob, RenderContractsResult } from '../../src/contracts/render-job.js';

/**
 * A one-thread Piscina pool on the contract render worker, as the server runs it (through tsx
 * here), for the tests of what crosses the thread boundary. Call it inside a `describe`: it
 * registers the hooks that start and destroy the pool.
 */
export function renderPoolForTests() {
  let pool: Piscina | undefined;
  beforeAll(() => {
    pool = new Piscina({
      filename: new URL('../../src/contracts/workers.ts', import.meta.url).href,
      name: 'renderContracts',
      minThreads: 1,
      maxThreads: 1,
      execArgv: [...process.execArgv, '--import', 'tsx'],
    });
  });
  afterAll(async () => {
    await pool?.destroy();
  });
  return {
    render: (job: RenderContractsJob): Promise<RenderContractsResult> => pool!.run(job),
    /** Runs any task on the pool (to check what piscina does with a given value). */
    run: (task: unknown): Promise<unknown> => pool!.run(task),
  };
}
