import { ObjectId } from 'bson';
import { isPlainObject, normalizeDocument, optionalInt, sameBson, type Doc } from './bson-values.js';
import { collectionName, requireArray, type CommandContext, type CommandDefinition } from './command-context.js';
import { BAD_VALUE, commandError, FAILED_TO_PARSE, toCommandError, TYPE_MISMATCH, unsupported } from './command-errors.js';
import { compileFilter, parseSort, requireDocument, sortDocuments, upsertSeed } from './query-engine.js';
import { applyUpdate, checkId, parseUpdate } from './update-documents.js';

/**
 * insert / update / delete: batches of statements. A statement's failure (duplicate key,
 * $inc on a string…) is a `writeErrors` entry in an `ok: 1` reply, as in mongod; an ordered
 * batch stops at the first one, an unordered batch goes on. Statements are validated and
 * planned (requireIndexes) before any of them runs, so such failures are command errors.
 */

type Statement = Doc;

function statements(command: Doc, field: string, name: string, allowed: readonly string[]): Statement[] {
  return requireArray(command, field, name).map((statement, i) => {
    if (!isPlainObject(statement)) throw commandError(TYPE_MISMATCH, `BSON field '${name}.${field}.${i}' must be an object`);
    for (const key of Object.keys(statement)) {
      if (!allowed.includes(key)) throw unsupported(`${name} statement option '${key}'`);
    }
    return statement;
  });
}

/** Runs each statement, collecting write errors; returns them for the reply. */
function runBatch(items: unknown[], ordered: boolean, run: (item: unknown, index: number) => void): Doc {
  const writeErrors: Doc[] = [];
  for (let index = 0; index < items.length; index++) {
    try {
      run(items[index], index);
    } catch (error) {
      writeErrors.push(toCommandError(error).toWriteError(index));
      if (ordered) break;
    }
  }
  return writeErrors.length ? { writeErrors } : {};
}

function insert(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'insert');
  const documents = requireArray(command, 'documents', 'insert');
  const { collection } = context.store.ensureCollection(context.db, name);
  let n = 0;
  const errors = runBatch(documents, command.ordered !== false, (raw) => {
    if (!isPlainObject(raw)) throw commandError(TYPE_MISMATCH, 'insert documents must be objects');
    const doc = normalizeDocument('_id' in raw ? raw : { _id: new ObjectId(), ...raw });
    checkId(doc);
    collection.insert(doc);
    n++;
  });
  return { n, ...errors, ok: 1 };
}

const UPDATE_FIELDS = ['q', 'u', 'multi', 'upsert', 'hint', 'sort', 'upsertSupplied'] as const;

function update(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'update');
  const updates = statements(command, 'updates', 'update', UPDATE_FIELDS).map((statement) => {
    const filter = requireDocument(statement.q, 'q');
    const spec = parseUpdate(statement.u, 'u');
    const multi = statement.multi === true;
    if (multi && spec.kind === 'replacement') throw commandError(FAILED_TO_PARSE, 'multi update is not supported for replacement-style update');
    const sort = parseSort(statement.sort, 'sort');
    const collection = context.store.collection(context.db, name);
    context.planner.check('update', context.db, name, collection, filter, sort, multi ? undefined : 1);
    return { filter, predicate: compileFilter(filter, 'q'), spec, multi, sort, upsert: statement.upsert === true };
  });
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  const errors = runBatch(updates, command.ordered !== false, (item, index) => {
    const { filter, predicate, spec, multi, sort, upsert } = item as (typeof updates)[number];
    const collection = context.store.collection(context.db, name);
    let matches = sortDocuments(collection ? collection.all().filter(predicate) : [], sort);
    if (!multi) matches = matches.slice(0, 1);
    if (matches.length === 0) {
      if (!upsert) return;
      const doc = applyUpdate(spec, undefined, upsertSeed(filter));
      context.store.ensureCollection(context.db, name).collection.insert(doc);
      n++;
      upserted.push({ index, _id: doc._id });
      return;
    }
    for (const previous of matches) {
      const next = applyUpdate(spec, previous, {});
      n++;
      if (sameBson(previous, next)) continue;
      collection!.replace(previous, next, spec.kind === 'replacement' ? 'replace' : 'update');
      nModified++;
    }
  });
  return { n, nModified, ...(upserted.length ? { upserted } : {}), ...errors, ok: 1 };
}

function remove(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'delete');
  const deletes = statements(command, 'deletes', 'delete', ['q', 'limit', 'hint']).map((statement) => {
    const filter = requireDocument(statement.q, 'q');
    const limit = optionalInt(statement.limit) ?? 0;
    if (limit !== 0 && limit !== 1) throw commandError(BAD_VALUE, `The limit field in delete objects must be 0 or 1. Got ${limit}`);
    context.planner.check('delete', context.db, name, context.store.collection(context.db, name), filter, [], limit || undefined);
    return { predicate: compileFilter(filter, 'q'), limit };
  });
  let n = 0;
  const errors = runBatch(deletes, command.ordered !== false, (item) => {
    const { predicate, limit } = item as (typeof deletes)[number];
    const collection = context.store.collection(context.db, name);
    if (!collection) return;
    let matches = collection.all().filter(predicate);
    if (limit === 1) matches = matches.slice(0, 1);
    for (const doc of matches) collection.remove(doc);
    n += matches.length;
  });
  return { n, ...errors, ok: 1 };
}

const BATCH_OPTIONS = ['ordered', 'bypassDocumentValidation'] as const;

export const writeCommands: Record<string, CommandDefinition> = {
  insert: { handler: insert, options: ['documents', ...BATCH_OPTIONS] },
  update: { handler: update, options: ['updates', ...BATCH_OPTIONS] },
  delete: { handler: remove, options: ['deletes', ...BATCH_OPTIONS] },
};
