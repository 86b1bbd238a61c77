import { defineExtension, type ServerExtension } from '../extension.js';
import { ensureContractIndexes } from './contract-collections.js';
import { createContractCreator } from './contract-creator.js';
import { contractDownloadRoute } from './contract-download-route.js';
import { addContractOperations } from './contract-graphql-operations.js';
import { addContractTypes } from './contract-graphql-types.js';
import { createContractService } from './contract-service.js';
import { checkFontFiles, type ContractSettings } from './contract-settings.js';
import type { ContractStore } from './contract-store.js';
import { loadDemoData } from './demo-data-loader.js';
import { createMemoryContractStore } from './memory-contract-store.js';
import { createMongoContractStore } from './mongo-contract-store.js';

export interface ContractsExtension extends ServerExtension {
  /** The example's store, once the server has set the extension up (for tests and tooling). */
  readonly contracts: ContractStore;
}

/**
 * The Contract Manager example as a server extension, built on the same extension points a team
 * has for its own: the ContractCreator task and its render worker module, the contract GraphQL
 * types and mutations, the `/contracts/{id}.pdf` route, its collections (or memory) and the demo
 * data. `createServer({ extensions: [createContractsExtension()] })`.
 */
export function createContractsExtension(
  settings: Partial<ContractSettings> & {
    /** The store to use instead of the one the server's storage implies (benchmarks watch it). */
    store?: ContractStore;
  } = {},
): ContractsExtension {
  let store: ContractStore | null = null;
  const extension = defineExtension({
    name: 'contracts',
    async setup({ storage, logger }) {
      const fontFiles = checkFontFiles(settings.fontFiles ?? []);
      const contracts =
        settings.store ??
        (storage.kind === 'mongodb'
          ? (await ensureContractIndexes(storage.database), createMongoContractStore(storage.database))
          : createMemoryContractStore());
      store = contracts;
      if ((settings.demoData ?? false) && (await loadDemoData(contracts)) > 0) logger.info('loaded the demo contract groups');
      const contractService = createContractService(contracts);
      return {
        tasks: [createContractCreator(contracts, { batchSize: settings.batchSize ?? 8, fontFiles })],
        // `.ts` when the server runs from source (tests, tsx), `.js` once built.
        workers: [new URL(`./workers${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)],
        schema: (builder) => addContractOperations(builder, addContractTypes(builder, contracts), { contracts, contractService }),
        routes: [contractDownloadRoute(contracts)],
      };
    },
  });
  return {
    ...extension,
    get contracts(): ContractStore {
      if (!store) throw new Error('The contracts extension has not been set up by a server yet');
      return store;
    },
  };
}
