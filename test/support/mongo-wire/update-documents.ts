import { ObjectId } from 'bson';
import { Aggregator } from 'mingo';
import { isPlainObject, keyString, normalizeDocument, retype, toView, type Doc } from './bson-values.js';
import { commandError, FAILED_TO_PARSE, IMMUTABLE_FIELD, INVALID_ID_FIELD, TYPE_MISMATCH, unsupported } from './command-errors.js';
import { MINGO_OPTIONS } from './query-engine.js';
import { applyUpdateOperators } from './update-operators.js';

/** The three forms of an update (`u` of update, `update` of findAndModify). */
export type UpdateSpec =
  | { kind: 'operators'; update: Doc }
  | { kind: 'replacement'; replacement: Doc }
  | { kind: 'pipeline'; stages: Doc[] };

/** Stages mongod allows in a pipeline-style update. */
const PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

export function parseUpdate(update: unknown, field: string): UpdateSpec {
  if (Array.isArray(update)) {
    for (const stage of update) {
      const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
      if (!name || Object.keys(stage as Doc).length !== 1) throw commandError(FAILED_TO_PARSE, 'A pipeline stage specification object must contain exactly one field.');
      if (!PIPELINE_STAGES.has(name)) throw unsupported(`update pipeline stage ${name}`);
    }
    return { kind: 'pipeline', stages: update as Doc[] };
  }
  if (!isPlainObject(update)) throw commandError(TYPE_MISMATCH, `BSON field '${field}' must be an object or a pipeline array`);
  const keys = Object.keys(update);
  const operators = keys.filter((key) => key.startsWith('$'));
  if (operators.length === 0) return { kind: 'replacement', replacement: update };
  if (operators.length === keys.length) return { kind: 'operators', update };
  const stray = keys.find((key) => !key.startsWith('$'));
  throw commandError(FAILED_TO_PARSE, `Unknown modifier: ${stray}. Expected a valid update modifier or pipeline-style update specified as an array`);
}

export function checkId(doc: Doc): void {
  const id = doc._id;
  if (Array.isArray(id)) throw commandError(INVALID_ID_FIELD, "The '_id' value cannot be of type array");
  if (id instanceof RegExp) throw commandError(INVALID_ID_FIELD, "The '_id' value cannot be of type regex");
}

const immutableId = () => commandError(IMMUTABLE_FIELD, "Performing an update on the path '_id' would modify the immutable field '_id'");

/**
 * The new version of a document. `previous` is the stored document, or undefined for an upsert
 * insert, which starts from `seed` (the filter's equality fields). The result is normalized
 * (BSON round trip, `_id` first) and has an `_id`.
 */
export function applyUpdate(spec: UpdateSpec, previous: Doc | undefined, seed: Doc): Doc {
  const base = previous ?? seed;
  let next: Doc;
  switch (spec.kind) {
    case 'operators':
      next = normalizeDocument(base);
      applyUpdateOperators(next, spec.update, previous === undefined);
      break;
    case 'replacement': {
      const { replacement } = spec;
      if (previous && '_id' in replacement && keyString(replacement._id) !== keyString(previous._id)) throw immutableId();
      next = { _id: '_id' in replacement ? replacement._id : base._id, ...replacement };
      if (next._id === undefined) delete next._id;
      break;
    }
    case 'pipeline': {
      const [result] = new Aggregator(toView(spec.stages) as Doc[], MINGO_OPTIONS).run([toView(base) as Doc]);
      next = retype(result ?? {}, base) as Doc;
      // mingo drops `_id` on an exclusion of it; mongod keeps the immutable `_id` of an existing document.
      if (previous && !('_id' in next)) next._id = previous._id;
      break;
    }
  }
  if (previous && keyString(next._id) !== keyString(previous._id)) throw immutableId();
  if (next._id === undefined) next = { _id: new ObjectId(), ...next };
  checkId(next);
  return normalizeDocument(next);
}
