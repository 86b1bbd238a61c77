import type { Config } from './config.js';
import { createContractCreator } from './contracts/contract-creator.js';
import type { AnyTaskDefinition } from './engine/task-definition.js';
import type { Store } from './store/store.js';

/**
 * Every task this server offers. Add yours here (and its worker jobs to worker-jobs.ts); the
 * README's "Add your own task" shows a complete example.
 */
export function createTasks(deps: { store: Store; config: Config }): AnyTaskDefinition[] {
  return [
    createContractCreator(deps.store.contracts, {
      batchSize: deps.config.contractBatchSize,
      fontFiles: deps.config.contractFontFiles,
    }),
  ];
}
