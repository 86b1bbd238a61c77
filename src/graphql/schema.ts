import type { GraphQLSchema } from 'graphql';
import { createBuilder } from './builder.js';
import { addCommonTypes } from './common-types.js';
import { addContractOperations } from './contract-operations.js';
import { addContractTypes } from './contract-types.js';
import { addTaskOperations } from './task-operations.js';
import { addTaskResults } from './task-results.js';
import { addTaskTypes } from './task-types.js';

/** Builds the whole schema. Pothos sorts it, so the printed SDL is stable. */
export function createSchema(): GraphQLSchema {
  const builder = createBuilder();
  builder.queryType({});
  builder.mutationType({});
  builder.subscriptionType({});
  addCommonTypes(builder);
  const taskEnums = addTaskTypes(builder);
  const taskResults = addTaskResults(builder);
  addTaskOperations(builder, { ...taskEnums, ...taskResults });
  const contractRefs = addContractTypes(builder);
  addContractOperations(builder, contractRefs);
  return builder.toSchema();
}
