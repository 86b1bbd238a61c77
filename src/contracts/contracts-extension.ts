import { defineExtension, type ServerExtension } from '../extension.js';
import { ensureContractIndexes } from './contract-collections.js';
import { createContractCreator } from './contract-creator.js';
import { contractDownloadRoute } from './contract-download-route.js';
import { addContractOperations } from './contract-graphql-operations.js';
import { addContractTypes } from './contract-graphql-types.js';
import { createContractService } from './contract-service.js';
import { checkContractSettings, type ContractSettings } from './contract-settings.js';
import type { ContractStore } from './contract-store.js';
import { loadDemoData } from './demo-data-loader.js';
import { createMemoryContractStore } from './memory-contract-store.js';
import { createMongoContractStore } from './mongo-contract-store.js';

/**
 * The Contract Manager example as a server extension, built on the same extension points a team
 * has for its own: the ContractCreator task and its render worker module, the contract GraphQL
 * types and mutations, the `/contracts/{id}.pdf` route, its collections (or memory) and the demo
 * data. `createServer({ extensions: [createContractsExtension()] })`; one per server.
 *
 * The settings are checked here, before any server opens anything (a ConfigError names a bad one).
 */
export function createContractsExtension(
  options: Partial<ContractSettings> & {
    /** The store to use instead of the one the server's storage implies (benchmarks watch it). */
    store?: ContractStore;
  } = {},
): ServerExtension {
  const settings = checkContractSettings(options);
  let setUp = false;
  return defineExtension({
    name: 'contracts',
    async setup({ storage, logger }) {
      // Its store and demo data belong to one server: a second would share them unawares.
      if (setUp) throw new Error('This contracts extension is already part of a server: create one per server');
      setUp = true;
      const contracts =
        options.store ??
        (storage.kind === 'mongodb'
          ? (await ensureContractIndexes(storage.database), createMongoContractStore(storage.database))
          : createMemoryContractStore());
      if (settings.demoData && (await loadDemoData(contracts)) > 0) logger.info('loaded the demo contract groups');
      const contractService = createContractService(contracts);
      return {
        tasks: [createContractCreator(contracts, { batchSize: settings.batchSize, fontFiles: settings.fontFiles })],
        workers: [siblingModule('./workers')],
        schema: (builder) => addContractOperations(builder, addContractTypes(builder, contracts), { contracts, contractService }),
        routes: [contractDownloadRoute(contracts)],
      };
    },
  });
}

/** A module beside this one: `.ts` when the server runs from source (tests, tsx), `.js` once built. */
function siblingModule(path: string): URL {
  return new URL(`${path}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
}
