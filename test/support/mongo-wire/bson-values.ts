import {
  Binary,
  Decimal128,
  deserialize,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  serialize,
  Timestamp,
} from 'bson';

/** A BSON document as deserialized here. */
export type Doc = Record<string, unknown>;

/**
 * Two forms of every value live in this server:
 * - the TYPED form, deserialized with `promoteValues: false`: Int32, Int64 (Long) and Double
 *   stay wrapper objects, so what a client stored round-trips with its exact BSON type;
 * - the VIEW form (`toView`), where those three are plain JS numbers, which is what mingo
 *   understands for matching, sorting and aggregation expressions.
 * Stored documents are typed and never mutated once stored (writes replace them), so a view
 * can be cached per stored document and cursors can hold references safely.
 */
export const TYPED = { promoteValues: false, promoteBuffers: false, bsonRegExp: false } as const;

export function isPlainObject(value: unknown): value is Doc {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export type NumericKind = 'int' | 'long' | 'double';

export function numericKind(value: unknown): NumericKind | undefined {
  if (value instanceof Int32) return 'int';
  if (value instanceof Long) return 'long';
  if (value instanceof Double) return 'double';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff ? 'int' : 'double';
  return undefined;
}

export function toNumber(value: unknown): number {
  if (value instanceof Int32 || value instanceof Double) return value.value;
  if (value instanceof Long) return value.toNumber();
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Number.NaN;
}

/** Reads an integer option (limit, skip, batchSize…) whatever its BSON number type. */
export function optionalInt(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = toNumber(value);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

export function toView(value: unknown): unknown {
  if (value instanceof Int32 || value instanceof Double || value instanceof Long) return toNumber(value);
  if (Array.isArray(value)) return value.map(toView);
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const [key, item] of Object.entries(value)) out[key] = toView(item);
    return out;
  }
  return value;
}

const viewCache = new WeakMap<Doc, Doc>();

/** The cached view of a stored (immutable) document. Callers must not mutate it. */
export function viewOf(doc: Doc): Doc {
  let view = viewCache.get(doc);
  if (!view) {
    view = toView(doc) as Doc;
    viewCache.set(doc, view);
  }
  return view;
}

/**
 * Gives a view-form result (from mingo) back its BSON number types, taking them from the
 * document it was computed from: an unchanged number keeps its wrapper, a changed one keeps
 * its type family (Long stays Long, Double stays Double); new numbers get the driver's default
 * inference (int32 when integral and in range, else double).
 */
export function retype(next: unknown, previous: unknown): unknown {
  if (typeof next === 'number') {
    const kind = numericKind(previous);
    if (kind && typeof previous === 'object' && Object.is(toNumber(previous), next)) return previous;
    if (kind === 'long' && Number.isSafeInteger(next)) return Long.fromNumber(next);
    if (kind === 'double') return new Double(next);
    return next;
  }
  if (Array.isArray(next)) return next.map((item, i) => retype(item, Array.isArray(previous) ? previous[i] : undefined));
  if (isPlainObject(next)) {
    const out: Doc = {};
    for (const [key, item] of Object.entries(next)) out[key] = retype(item, isPlainObject(previous) ? previous[key] : undefined);
    return out;
  }
  return next;
}

/** BSON round trip: a deep copy in typed form, with `_id` moved first (as mongod stores it). */
export function normalizeDocument(doc: Doc): Doc {
  const copy = deserialize(serialize(doc, { ignoreUndefined: true }), TYPED);
  if (!('_id' in copy) || Object.keys(copy)[0] === '_id') return copy;
  const { _id, ...rest } = copy;
  return { _id, ...rest };
}

export function sameBson(a: Doc, b: Doc): boolean {
  return Buffer.from(serialize(a)).equals(Buffer.from(serialize(b)));
}

/** mongod's canonical sort order of BSON types (missing and null sort together). */
function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 1;
  if (value instanceof MinKey) return 0;
  if (numericKind(value) || value instanceof Decimal128) return 2;
  if (typeof value === 'string') return 3;
  if (isPlainObject(value)) return 4;
  if (Array.isArray(value)) return 5;
  if (value instanceof Binary) return 6;
  if (value instanceof ObjectId) return 7;
  if (typeof value === 'boolean') return 8;
  if (value instanceof Date) return 9;
  if (value instanceof Timestamp) return 10;
  if (value instanceof RegExp) return 11;
  if (value instanceof MaxKey) return 13;
  return 12;
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Compares two values the way mongod orders them in sorts, indexes, $min and $max. */
export function compareValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return sign(rankA - rankB);
  switch (rankA) {
    case 2: {
      const x = toNumber(a);
      const y = toNumber(b);
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
      return sign(x - y);
    }
    case 3:
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
    case 4: {
      const ea = Object.entries(a as Doc);
      const eb = Object.entries(b as Doc);
      for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
        const [ka, va] = ea[i]!;
        const [kb, vb] = eb[i]!;
        const byType = sign(typeRank(va) - typeRank(vb));
        if (byType) return byType;
        if (ka !== kb) return ka < kb ? -1 : 1;
        const byValue = compareValues(va, vb);
        if (byValue) return byValue;
      }
      return sign(ea.length - eb.length);
    }
    case 5: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
        const c = compareValues(xa[i], xb[i]);
        if (c) return c;
      }
      return sign(xa.length - xb.length);
    }
    case 6: {
      const ba = a as Binary;
      const bb = b as Binary;
      return sign(ba.length() - bb.length()) || sign(ba.sub_type - bb.sub_type) || Buffer.compare(ba.value(), bb.value());
    }
    case 7:
      return Buffer.compare((a as ObjectId).id, (b as ObjectId).id);
    case 8:
      return sign(Number(a) - Number(b));
    case 9:
      return sign((a as Date).getTime() - (b as Date).getTime());
    case 10:
      return (a as Timestamp).compare(b as Timestamp);
    default:
      return sign(String(a).localeCompare(String(b)));
  }
}

/**
 * A string that is equal for two values exactly when mongod considers them the same index key
 * or the same `$addToSet` element: numbers compare by value whatever their BSON type,
 * missing equals null, embedded documents compare field by field in order.
 */
export function keyString(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (numericKind(value)) {
    if (value instanceof Long && !Number.isSafeInteger(value.toNumber())) return `n${value.toString()}`;
    const n = toNumber(value);
    return `n${Object.is(n, -0) ? 0 : n}`;
  }
  if (typeof value === 'string') return `s${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return `b${value}`;
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof ObjectId) return `o${value.toHexString()}`;
  if (value instanceof Binary) return `x${value.sub_type}:${Buffer.from(value.value()).toString('base64')}`;
  if (value instanceof RegExp) return `r${String(value)}`;
  if (Array.isArray(value)) return `[${value.map(keyString).join(',')}]`;
  if (isPlainObject(value)) return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${keyString(v)}`).join(',')}}`;
  return `?${value.constructor?.name}:${String(value)}`;
}

/** mongod's shell-like rendering of a value, used in E11000 messages. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (numericKind(value)) return String(toNumber(value));
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof Binary) return `BinData(${value.sub_type}, ${Buffer.from(value.value()).toString('hex').toUpperCase()})`;
  if (Array.isArray(value)) return `[ ${value.map(formatValue).join(', ')} ]`;
  if (isPlainObject(value)) return formatDocument(value);
  return String(value);
}

export function formatDocument(doc: Doc): string {
  const entries = Object.entries(doc);
  return entries.length ? `{ ${entries.map(([k, v]) => `${k}: ${formatValue(v)}`).join(', ')} }` : '{}';
}

/** The BSON type name mongod uses in error messages. */
export function bsonTypeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  const kind = numericKind(value);
  if (kind) return kind;
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'array';
  if (isPlainObject(value)) return 'object';
  if (value instanceof ObjectId) return 'objectId';
  if (value instanceof Date) return 'date';
  if (value instanceof Binary) return 'binData';
  return value.constructor?.name ?? typeof value;
}
