import type { Doc } from './bson-values.js';
import { collectionName, type CommandContext, type CommandDefinition } from './command-context.js';
import { commandError, FAILED_TO_PARSE } from './command-errors.js';
import { compileFilter, compileProjection, parseSort, requireDocument, sortDocuments, upsertSeed } from './query-engine.js';
import { applyUpdate, parseUpdate } from './update-documents.js';

/**
 * findAndModify (findOneAndUpdate / findOneAndReplace / findOneAndDelete): the first document
 * by `sort` is removed or updated and returned, before or after (`new`) the change. Unlike the
 * batch writes, a failure (e.g. E11000) is a command error: `{ ok: 0, code: 11000, … }`.
 * The whole command runs synchronously, so concurrent findAndModify calls never interleave.
 */
function findAndModify(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'findAndModify');
  const filter = requireDocument(command.query, 'query');
  const sort = parseSort(command.sort);
  const remove = command.remove === true;
  const hasUpdate = command.update !== undefined && command.update !== null;
  if (remove && hasUpdate) throw commandError(FAILED_TO_PARSE, 'Cannot specify both an update and remove=true');
  if (!remove && !hasUpdate) throw commandError(FAILED_TO_PARSE, 'Either an update or remove=true must be specified');
  if (remove && command.upsert === true) throw commandError(FAILED_TO_PARSE, 'Cannot specify both upsert=true and remove=true');
  const spec = hasUpdate ? parseUpdate(command.update, 'update') : undefined;
  const project = compileProjection(command.fields, 'fields');
  const shown = (doc: Doc | undefined) => (doc && project ? project(doc) : doc ?? null);

  const collection = context.store.collection(context.db, name);
  const predicate = compileFilter(filter, 'query');
  context.planner.check('findAndModify', context.db, name, collection, filter, sort, 1);
  const [target] = sortDocuments(collection ? collection.all().filter(predicate) : [], sort);

  if (remove) {
    if (target) collection!.remove(target);
    return { lastErrorObject: { n: target ? 1 : 0 }, value: shown(target), ok: 1 };
  }
  const returnNew = command.new === true;
  if (target) {
    const next = applyUpdate(spec!, target, {});
    collection!.replace(target, next, spec!.kind === 'replacement' ? 'replace' : 'update');
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: shown(returnNew ? next : target), ok: 1 };
  }
  if (command.upsert === true) {
    const doc = applyUpdate(spec!, undefined, upsertSeed(filter));
    context.store.ensureCollection(context.db, name).collection.insert(doc);
    return { lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id }, value: shown(returnNew ? doc : undefined), ok: 1 };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
}

export const findAndModifyCommand: CommandDefinition = {
  handler: findAndModify,
  options: ['query', 'sort', 'remove', 'update', 'new', 'fields', 'upsert', 'bypassDocumentValidation', 'hint'],
};
