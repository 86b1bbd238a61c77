import { Aggregator, Query } from 'mingo';
import { compareValues, isPlainObject, retype, toNumber, toView, viewOf, type Doc } from './bson-values.js';
import { BAD_VALUE, commandError, TYPE_MISMATCH, unsupported } from './command-errors.js';
import { setPath, valuesAtPath } from './document-paths.js';

/**
 * Filters, sorts and projections. Matching and expressions are mingo's (over the view form);
 * sorting is done here because mongod orders by BSON type and sorts arrays by their smallest
 * (ascending) or largest (descending) element, which mingo's cursor sort does not.
 */

/** No server-side JavaScript ($where, $function, $accumulator), like a locked-down mongod. */
export const MINGO_OPTIONS = { scriptEnabled: false } as const;

export type Predicate = (doc: Doc) => boolean;

export function requireDocument(value: unknown, field: string): Doc | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw commandError(TYPE_MISMATCH, `BSON field '${field}' is the wrong type, expected type 'object'`);
  return value;
}

/** A predicate over stored (typed) documents. */
export function compileFilter(filter: unknown, field = 'filter'): Predicate {
  const doc = requireDocument(filter, field);
  if (!doc || Object.keys(doc).length === 0) return () => true;
  const query = new Query(toView(doc) as Doc, MINGO_OPTIONS);
  return (stored) => query.test(viewOf(stored));
}

export type SortSpec = Array<[path: string, direction: 1 | -1]>;

export function parseSort(sort: unknown, field = 'sort'): SortSpec {
  const doc = requireDocument(sort, field);
  if (!doc) return [];
  return Object.entries(doc).map(([path, direction]) => {
    if (isPlainObject(direction)) throw unsupported(`sort by ${JSON.stringify(toView(direction))} on '${path}'`);
    const n = toNumber(direction);
    if (n !== 1 && n !== -1) throw commandError(BAD_VALUE, '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    return [path, n] as [string, 1 | -1];
  });
}

function sortKey(view: Doc, path: string, direction: 1 | -1): unknown {
  const values = valuesAtPath(view, path.split('.'));
  if (values.length === 0) return null;
  return values.reduce((best, value) => (compareValues(value, best) * direction < 0 ? value : best));
}

/** A stable sort of stored documents; `$natural` keeps (or reverses) insertion order. */
export function sortDocuments(docs: Doc[], spec: SortSpec): Doc[] {
  if (spec.length === 0) return docs;
  if (spec.some(([path]) => path === '$natural')) {
    if (spec.length > 1) throw unsupported('$natural combined with other sort keys');
    return spec[0]![1] === -1 ? [...docs].reverse() : docs;
  }
  const keyed = docs.map((doc, position) => {
    const view = viewOf(doc);
    return { doc, position, keys: spec.map(([path, direction]) => sortKey(view, path, direction)) };
  });
  keyed.sort((a, b) => {
    for (let i = 0; i < spec.length; i++) {
      const order = compareValues(a.keys[i], b.keys[i]) * spec[i]![1];
      if (order) return order;
    }
    return a.position - b.position;
  });
  return keyed.map((entry) => entry.doc);
}

export function idFirst(doc: Doc): Doc {
  if (!('_id' in doc) || Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

export type Projector = (doc: Doc) => Doc;

/**
 * A find/findAndModify projection (inclusion, exclusion, or expressions) computed by mingo
 * over the view, then given back the stored document's BSON number types.
 */
export function compileProjection(projection: unknown, field = 'projection'): Projector | undefined {
  const doc = requireDocument(projection, field);
  if (!doc || Object.keys(doc).length === 0) return undefined;
  const pipeline = new Aggregator([{ $project: toView(doc) as Doc }], MINGO_OPTIONS);
  return (stored) => {
    const [result] = pipeline.run([toView(stored) as Doc]);
    return idFirst(retype(result ?? {}, stored) as Doc);
  };
}

/**
 * The document an upsert starts from: the filter's equality conditions (`{ a: 1 }`,
 * `{ a: { $eq: 1 } }`, inside top-level `$and` too), with dotted paths expanded.
 */
export function upsertSeed(filter: Doc | undefined, seed: Doc = {}): Doc {
  for (const [key, value] of Object.entries(filter ?? {})) {
    if (key === '$and' && Array.isArray(value)) {
      for (const part of value) if (isPlainObject(part)) upsertSeed(part, seed);
      continue;
    }
    if (key.startsWith('$')) continue;
    const isOperatorDoc = isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'));
    if (isOperatorDoc && !('$eq' in value)) continue;
    try {
      setPath(seed, key, isOperatorDoc ? value.$eq : value);
    } catch {
      // Conflicting equality paths ("a" and "a.b") cannot both seed the document; keep the first.
    }
  }
  return seed;
}
