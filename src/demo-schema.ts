import type { GraphQLSchema } from 'graphql';
import { pino } from 'pino';
import { defaultConfig } from './config.js';
import { createSchema } from './graphql/schema.js';
import { createContractsExtension } from './contracts/contracts-extension.js';

/**
 * The schema `npm start` serves (the core with the contract example), built without a server:
 * for printing it (schema/demo.graphql) and for tests that check operations against it.
 */
export async function createDemoSchema(): Promise<GraphQLSchema> {
  const contracts = createContractsExtension();
  const parts = await contracts.setup({ storage: { kind: 'memory' }, config: defaultConfig(), logger: pino({ level: 'silent' }) });
  return createSchema([{ name: contracts.name, schema: parts.schema }]);
}
