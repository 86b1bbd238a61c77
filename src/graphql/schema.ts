import type { GraphQLSchema } from 'graphql';
import { createBuilder, type Builder } from './builder.js';
import { addCommonTypes } from './common-types.js';
import { addScheduleOperations } from './schedule-operations.js';
import { addTaskOperations } from './task-operations.js';
import { addTaskResults } from './task-results.js';
import { addTaskTypes } from './task-types.js';

/** What an extension adds to the schema (see ExtensionParts.schema). */
export interface SchemaExtension {
  name: string;
  schema?: ((builder: Builder) => void) | undefined;
}

/** Builds the core schema and the extensions' additions. Pothos sorts it, so the printed SDL is stable. */
export function createSchema(extensions: ReadonlyArray<SchemaExtension> = []): GraphQLSchema {
  const builder = createBuilder();
  builder.queryType({});
  builder.mutationType({});
  builder.subscriptionType({});
  addCommonTypes(builder);
  const taskEnums = addTaskTypes(builder);
  const taskResults = addTaskResults(builder);
  addTaskOperations(builder, { ...taskEnums, ...taskResults });
  addScheduleOperations(builder);
  const names = extensions.map((extension) => extension.name);
  builder.queryField('extensions', (t) =>
    t.stringList({
      description: 'Names of the server extensions registered, such as "contracts" (the Contract Manager page shows its panels then).',
      resolve: () => names,
    }),
  );
  for (const extension of extensions) extension.schema?.(builder);
  return builder.toSchema();
}
