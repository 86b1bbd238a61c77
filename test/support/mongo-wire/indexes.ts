import { formatDocument, isPlainObject, keyString, toNumber, type Doc } from './bson-values.js';
import { BAD_VALUE, commandError, DUPLICATE_KEY, type CommandError, unsupported } from './command-errors.js';
import { valuesAtPath } from './document-paths.js';
import { compileFilter, type Predicate } from './query-engine.js';

/** A secondary (or the `_id_`) index: only what uniqueness and the query planner need. */
export interface IndexSpec {
  name: string;
  /** Key pattern in order: [field path, 1 | -1]. */
  key: Array<[string, 1 | -1]>;
  unique: boolean;
  sparse: boolean;
  partialFilterExpression?: Doc;
  /** Whether a stored document is in a partial index. */
  covers?: Predicate;
  /** What listIndexes reports. */
  description: Doc;
}

export const ID_INDEX: IndexSpec = {
  name: '_id_',
  key: [['_id', 1]],
  unique: true,
  sparse: false,
  description: { v: 2, key: { _id: 1 }, name: '_id_' },
};

/** Fields of a createIndexes entry this server understands; `background` and `v` are no-ops in mongod 4.2+ too. */
const KNOWN_OPTIONS = new Set(['key', 'name', 'unique', 'sparse', 'partialFilterExpression', 'background', 'v', 'ns']);

export function parseIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw)) throw commandError(BAD_VALUE, 'index specification must be an object');
  for (const option of Object.keys(raw)) {
    if (!KNOWN_OPTIONS.has(option)) throw unsupported(`createIndexes option '${option}'`);
  }
  const keyDoc = raw.key;
  if (!isPlainObject(keyDoc) || Object.keys(keyDoc).length === 0) throw commandError(BAD_VALUE, "Error in specification: 'key' must be a non-empty object");
  const key = Object.entries(keyDoc).map(([field, direction]): [string, 1 | -1] => {
    if (typeof direction === 'string') throw unsupported(`index type '${direction}' on '${field}'`);
    const n = toNumber(direction);
    if (!Number.isFinite(n) || n === 0) throw commandError(BAD_VALUE, `Values in the index key pattern must be 1 or -1, got ${String(direction)} for '${field}'`);
    return [field, n > 0 ? 1 : -1];
  });
  const name = raw.name === undefined ? key.map(([field, direction]) => `${field}_${direction}`).join('_') : raw.name;
  if (typeof name !== 'string' || name === '') throw commandError(BAD_VALUE, "Error in specification: 'name' must be a non-empty string");
  const unique = raw.unique === true;
  const sparse = raw.sparse === true;
  const partial = raw.partialFilterExpression;
  if (partial !== undefined && !isPlainObject(partial)) throw commandError(BAD_VALUE, 'partialFilterExpression must be an object');
  const description: Doc = { v: 2, key: keyDoc, name };
  if (unique) description.unique = true;
  if (sparse) description.sparse = true;
  if (partial) description.partialFilterExpression = partial;
  return {
    name,
    key,
    unique,
    sparse,
    ...(partial ? { partialFilterExpression: partial, covers: compileFilter(partial, 'partialFilterExpression') } : {}),
    description,
  };
}

export function sameKeyPattern(a: IndexSpec, b: IndexSpec): boolean {
  return keyString(a.key) === keyString(b.key);
}

/** Same key pattern and the same options that matter: createIndexes is then a no-op. */
export function sameIndex(a: IndexSpec, b: IndexSpec): boolean {
  return (
    sameKeyPattern(a, b) &&
    a.unique === b.unique &&
    a.sparse === b.sparse &&
    keyString(a.partialFilterExpression) === keyString(b.partialFilterExpression)
  );
}

export interface IndexEntry {
  /** Equal for two entries exactly when mongod sees the same key. */
  key: string;
  values: unknown[];
}

/**
 * The keys a document has in an index, or none if the index does not cover it (partial filter
 * not matched, or sparse and every key field missing). A missing field is a null key, and
 * array values give one key per element, as in mongod.
 */
export function indexEntries(spec: IndexSpec, doc: Doc): IndexEntry[] {
  if (spec.covers && !spec.covers(doc)) return [];
  const perField = spec.key.map(([field]) => valuesAtPath(doc, field.split('.')));
  if (spec.sparse && perField.every((values) => values.length === 0)) return [];
  let tuples: unknown[][] = [[]];
  for (const values of perField) {
    const options = values.length ? values : [null];
    tuples = tuples.flatMap((tuple) => options.map((value) => [...tuple, value]));
  }
  const entries = new Map<string, IndexEntry>();
  for (const values of tuples) {
    const key = values.map(keyString).join('|');
    if (!entries.has(key)) entries.set(key, { key, values });
  }
  return [...entries.values()];
}

export function duplicateKeyError(ns: string, spec: IndexSpec, values: unknown[]): CommandError {
  const keyPattern = Object.fromEntries(spec.key);
  const keyValue = Object.fromEntries(spec.key.map(([field], i) => [field, values[i] ?? null]));
  return commandError(
    DUPLICATE_KEY,
    `E11000 duplicate key error collection: ${ns} index: ${spec.name} dup key: ${formatDocument(keyValue)}`,
    { keyPattern, keyValue },
  );
}
