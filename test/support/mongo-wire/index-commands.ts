import { formatDocument, isPlainObject, keyString, optionalInt, type Doc } from './bson-values.js';
import { collectionName, requireArray, type CommandContext, type CommandDefinition } from './command-context.js';
import {
  BAD_VALUE,
  commandError,
  INDEX_KEY_SPECS_CONFLICT,
  INDEX_NOT_FOUND,
  INDEX_OPTIONS_CONFLICT,
  INVALID_OPTIONS,
  NAMESPACE_NOT_FOUND,
} from './command-errors.js';
import { parseIndexSpec, sameIndex, sameKeyPattern, type IndexSpec } from './indexes.js';
import type { Collection } from './memory-store.js';
import { requireDocument } from './query-engine.js';

/**
 * The index an identical request would duplicate (createIndexes is then a no-op), or an error
 * when the request clashes with an existing index the way mongod reports it.
 */
function existingEquivalent(collection: Collection, spec: IndexSpec): IndexSpec | undefined {
  const byName = collection.indexes.find((index) => index.name === spec.name);
  if (byName) {
    if (sameIndex(byName, spec)) return byName;
    const both = `Requested index: ${formatDocument(spec.description)}, existing index: ${formatDocument(byName.description)}`;
    if (sameKeyPattern(byName, spec)) {
      throw commandError(INDEX_OPTIONS_CONFLICT, `An equivalent index already exists with the same name but different options. ${both}`);
    }
    throw commandError(
      INDEX_KEY_SPECS_CONFLICT,
      'An existing index has the same name as the requested index. When index names are not specified, ' +
        `they are auto generated and can cause conflicts. ${both}`,
    );
  }
  const byKey = collection.indexes.find(
    (index) => sameKeyPattern(index, spec) && keyString(index.partialFilterExpression) === keyString(spec.partialFilterExpression),
  );
  if (byKey) {
    const detail = sameIndex(byKey, spec)
      ? 'Index already exists with a different name'
      : 'An equivalent index already exists with a different name and options';
    throw commandError(INDEX_OPTIONS_CONFLICT, `${detail}: ${byKey.name}`);
  }
  return undefined;
}

function createIndexes(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'createIndexes');
  const specs = requireArray(command, 'indexes', 'createIndexes').map(parseIndexSpec);
  if (specs.length === 0) throw commandError(BAD_VALUE, 'Must specify at least one index to create');
  const { collection, created } = context.store.ensureCollection(context.db, name);
  const before = collection.indexes.length;
  const added: IndexSpec[] = [];
  try {
    for (const spec of specs) {
      if (existingEquivalent(collection, spec)) continue;
      collection.addIndex(spec);
      added.push(spec);
    }
  } catch (error) {
    // createIndexes is all or nothing.
    for (const spec of added) collection.dropIndex(spec);
    throw error;
  }
  const after = collection.indexes.length;
  return {
    numIndexesBefore: before,
    numIndexesAfter: after,
    createdCollectionAutomatically: created,
    ...(added.length === 0 ? { note: 'all indexes already exist' } : {}),
    ok: 1,
  };
}

function listIndexes(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'listIndexes');
  const collection = context.store.collection(context.db, name);
  if (!collection) throw commandError(NAMESPACE_NOT_FOUND, `ns does not exist: ${context.db}.${name}`);
  const batchSize = optionalInt((requireDocument(command.cursor, 'cursor') ?? {}).batchSize);
  return context.cursors.open(collection.ns, collection.indexes.map((index) => index.description), batchSize);
}

function dropIndexes(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'dropIndexes');
  const collection = context.store.collection(context.db, name);
  if (!collection) throw commandError(NAMESPACE_NOT_FOUND, `ns not found ${context.db}.${name}`);
  const nIndexesWas = collection.indexes.length;
  const target = command.index;
  const find = (wanted: unknown): IndexSpec => {
    if (wanted === '_id_') throw commandError(INVALID_OPTIONS, 'cannot drop _id index');
    if (typeof wanted === 'string') {
      const index = collection.indexes.find((i) => i.name === wanted);
      if (!index) throw commandError(INDEX_NOT_FOUND, `index not found with name [${wanted}]`);
      return index;
    }
    if (isPlainObject(wanted)) {
      const index = collection.indexes.find((i) => keyString(i.description.key) === keyString(wanted));
      if (!index) throw commandError(INDEX_NOT_FOUND, `can't find index with key: ${formatDocument(wanted)}`);
      if (index.name === '_id_') throw commandError(INVALID_OPTIONS, 'cannot drop _id index');
      return index;
    }
    throw commandError(BAD_VALUE, "dropIndexes 'index' must be a name, a key pattern, an array of names or '*'");
  };
  const toDrop =
    target === '*' ? collection.indexes.filter((i) => i.name !== '_id_') : Array.isArray(target) ? target.map(find) : [find(target)];
  for (const index of toDrop) collection.dropIndex(index);
  return { nIndexesWas, ok: 1 };
}

export const indexCommands: Record<string, CommandDefinition> = {
  createIndexes: { handler: createIndexes, options: ['indexes', 'commitQuorum'] },
  listIndexes: { handler: listIndexes, options: ['cursor'] },
  dropIndexes: { handler: dropIndexes, options: ['index'] },
};
