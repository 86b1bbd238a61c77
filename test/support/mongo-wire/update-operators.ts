import { Double, Int32, Long, Timestamp } from 'bson';
import { Query } from 'mingo';
import {
  bsonTypeName,
  compareValues,
  formatValue,
  isPlainObject,
  keyString,
  numericKind,
  toNumber,
  toView,
  type Doc,
} from './bson-values.js';
import { BAD_VALUE, commandError, CONFLICTING_UPDATE_OPERATORS, FAILED_TO_PARSE, TYPE_MISMATCH, unsupported } from './command-errors.js';
import { clearSlot, pathsOverlap, readSlot, slotFor, splitPath, writeSlot, type Slot } from './document-paths.js';
import { MINGO_OPTIONS, parseSort } from './query-engine.js';

/**
 * Update operators applied to a private copy of a typed document, so BSON number types follow
 * mongod's rules ($inc of two int32 stays int32 unless it overflows to int64, anything with a
 * double is a double) and a failing operator leaves the stored document untouched.
 */

type Apply = (doc: Doc, path: string, operand: unknown) => void;

function add(a: unknown, b: unknown): unknown {
  const kinds = [numericKind(a), numericKind(b)];
  if (kinds.includes('double')) return new Double(toNumber(a) + toNumber(b));
  const sum = toLongish(a).add(toLongish(b));
  if (kinds.includes('long') || sum.greaterThan(0x7fffffff) || sum.lessThan(-0x80000000)) return sum;
  return new Int32(sum.toInt());
}

function multiply(a: unknown, b: unknown): unknown {
  const kinds = [numericKind(a), numericKind(b)];
  if (kinds.includes('double')) return new Double(toNumber(a) * toNumber(b));
  const product = toLongish(a).multiply(toLongish(b));
  if (kinds.includes('long') || product.greaterThan(0x7fffffff) || product.lessThan(-0x80000000)) return product;
  return new Int32(product.toInt());
}

function toLongish(value: unknown): Long {
  return value instanceof Long ? value : Long.fromNumber(toNumber(value));
}

function arithmetic(name: '$inc' | '$mul', combine: (a: unknown, b: unknown) => unknown): Apply {
  const verb = name === '$inc' ? 'increment' : 'multiply';
  return (doc, path, operand) => {
    if (!numericKind(operand)) throw commandError(TYPE_MISMATCH, `Cannot ${verb} with non-numeric argument: {${path}: ${formatValue(operand)}}`);
    const slot = slotFor(doc, splitPath(path), true)!;
    const current = readSlot(slot);
    if (current === undefined) return writeSlot(slot, name === '$inc' ? operand : combine(operand, 0));
    if (!numericKind(current)) {
      throw commandError(TYPE_MISMATCH, `Cannot apply ${name} to a value of non-numeric type. {_id: ${formatValue(doc._id)}} has the field '${path}' of non-numeric type ${bsonTypeName(current)}`);
    }
    writeSlot(slot, combine(current, operand));
  };
}

function extreme(keep: 1 | -1): Apply {
  return (doc, path, operand) => {
    const slot = slotFor(doc, splitPath(path), true)!;
    const current = readSlot(slot);
    if (current === undefined || compareValues(operand, current) * keep > 0) writeSlot(slot, operand);
  };
}

function existingArray(doc: Doc, path: string, slot: Slot, operator: string): unknown[] {
  const current = readSlot(slot);
  if (current === undefined) return [];
  if (!Array.isArray(current)) {
    throw commandError(BAD_VALUE, `The field '${path}' must be an array but is of type ${bsonTypeName(current)} in document {_id: ${formatValue(doc._id)}} (${operator})`);
  }
  return [...current];
}

function eachOf(operand: unknown): { items: unknown[]; modifiers: Doc } {
  if (isPlainObject(operand) && '$each' in operand) {
    const { $each, ...modifiers } = operand;
    if (!Array.isArray($each)) throw commandError(BAD_VALUE, `The argument to $each must be an array but it was a ${bsonTypeName($each)}`);
    return { items: $each, modifiers };
  }
  return { items: [operand], modifiers: {} };
}

const push: Apply = (doc, path, operand) => {
  const slot = slotFor(doc, splitPath(path), true)!;
  let array = existingArray(doc, path, slot, '$push');
  const { items, modifiers } = eachOf(operand);
  for (const modifier of Object.keys(modifiers)) {
    if (!['$position', '$slice', '$sort'].includes(modifier)) throw commandError(BAD_VALUE, `Unrecognized clause in $push: ${modifier}`);
  }
  const position = modifiers.$position === undefined ? array.length : toNumber(modifiers.$position);
  const at = position < 0 ? Math.max(0, array.length + position) : Math.min(position, array.length);
  array.splice(at, 0, ...items);
  if (modifiers.$sort !== undefined) {
    const spec = isPlainObject(modifiers.$sort) ? parseSort(modifiers.$sort, '$push.$sort') : [['', toNumber(modifiers.$sort)] as const];
    array.sort((a, b) => {
      for (const [field, direction] of spec) {
        const x = field ? toView((a as Doc | undefined)?.[field]) : toView(a);
        const y = field ? toView((b as Doc | undefined)?.[field]) : toView(b);
        const order = compareValues(x, y) * direction;
        if (order) return order;
      }
      return 0;
    });
  }
  if (modifiers.$slice !== undefined) {
    const limit = toNumber(modifiers.$slice);
    array = limit >= 0 ? array.slice(0, limit) : array.slice(limit);
  }
  writeSlot(slot, array);
};

const addToSet: Apply = (doc, path, operand) => {
  const slot = slotFor(doc, splitPath(path), true)!;
  const array = existingArray(doc, path, slot, '$addToSet');
  const present = new Set(array.map(keyString));
  for (const item of eachOf(operand).items) {
    if (present.has(keyString(item))) continue;
    present.add(keyString(item));
    array.push(item);
  }
  writeSlot(slot, array);
};

/** $pull's condition: a value (equality), an operator document, or a query on embedded documents. */
function pullMatcher(condition: unknown): (item: unknown) => boolean {
  if (isPlainObject(condition)) {
    const view = toView(condition) as Doc;
    if (Object.keys(view).every((key) => key.startsWith('$'))) {
      const query = new Query({ item: view }, MINGO_OPTIONS);
      return (item) => query.test({ item: toView(item) });
    }
    const query = new Query(view, MINGO_OPTIONS);
    return (item) => isPlainObject(item) && query.test(toView(item) as Doc);
  }
  const wanted = keyString(condition);
  return (item) => keyString(item) === wanted;
}

function removeMatching(matcherFor: (operand: unknown) => (item: unknown) => boolean, operator: string): Apply {
  return (doc, path, operand) => {
    const slot = slotFor(doc, splitPath(path), false);
    if (!slot || readSlot(slot) === undefined) return;
    const matches = matcherFor(operand);
    writeSlot(slot, existingArray(doc, path, slot, operator).filter((item) => !matches(item)));
  };
}

const pullAll = removeMatching((operand) => {
  if (!Array.isArray(operand)) throw commandError(BAD_VALUE, `$pullAll requires an array argument but was given a ${bsonTypeName(operand)}`);
  const unwanted = new Set(operand.map(keyString));
  return (item) => unwanted.has(keyString(item));
}, '$pullAll');

const pop: Apply = (doc, path, operand) => {
  const slot = slotFor(doc, splitPath(path), false);
  if (!slot || readSlot(slot) === undefined) return;
  const array = existingArray(doc, path, slot, '$pop');
  if (toNumber(operand) === -1) array.shift();
  else array.pop();
  writeSlot(slot, array);
};

const set: Apply = (doc, path, operand) => writeSlot(slotFor(doc, splitPath(path), true)!, operand);

const unset: Apply = (doc, path) => {
  const slot = slotFor(doc, splitPath(path), false);
  if (slot) clearSlot(slot);
};

const rename: Apply = (doc, path, operand) => {
  if (typeof operand !== 'string') throw commandError(BAD_VALUE, `The 'to' field for $rename must be a string: ${path}: ${formatValue(operand)}`);
  const from = slotFor(doc, splitPath(path), false);
  if (!from || Array.isArray(from.parent) || readSlot(from) === undefined) return;
  const value = readSlot(from);
  clearSlot(from);
  writeSlot(slotFor(doc, splitPath(operand), true)!, value);
};

const currentDate: Apply = (doc, path, operand) => {
  const wantsTimestamp = isPlainObject(operand) && operand.$type === 'timestamp';
  const now = Date.now();
  const value = wantsTimestamp ? new Timestamp({ t: Math.floor(now / 1000), i: 1 }) : new Date(now);
  writeSlot(slotFor(doc, splitPath(path), true)!, value);
};

const OPERATORS: Record<string, Apply> = {
  $set: set,
  $setOnInsert: set,
  $unset: unset,
  $inc: arithmetic('$inc', add),
  $mul: arithmetic('$mul', multiply),
  $min: extreme(-1),
  $max: extreme(1),
  $push: push,
  $addToSet: addToSet,
  $pull: removeMatching(pullMatcher, '$pull'),
  $pullAll: pullAll,
  $pop: pop,
  $rename: rename,
  $currentDate: currentDate,
};

export const SUPPORTED_UPDATE_OPERATORS = Object.keys(OPERATORS);

/**
 * Applies an update-operator document (`{ $set: …, $inc: … }`) to `doc` in place. `doc` must be
 * a private copy. `$setOnInsert` only applies when the update inserts (upsert).
 */
export function applyUpdateOperators(doc: Doc, update: Doc, isInsert: boolean): void {
  const steps: Array<[Apply, string, unknown]> = [];
  const touched: string[] = [];
  for (const [operator, fields] of Object.entries(update)) {
    const apply = OPERATORS[operator];
    if (!apply) {
      if (operator.startsWith('$')) throw unsupported(`update operator ${operator}`);
      throw commandError(FAILED_TO_PARSE, `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (!isPlainObject(fields)) throw commandError(FAILED_TO_PARSE, `Modifiers operate on fields but we found type ${bsonTypeName(fields)} instead.`);
    // mongod (5.0+) applies an operator's fields in lexicographic order, which is also the order new fields are added in.
    for (const path of Object.keys(fields).sort()) {
      const paths = operator === '$rename' ? [path, String(fields[path])] : [path];
      for (const p of paths) {
        const clash = touched.find((other) => pathsOverlap(other, p));
        if (clash !== undefined) throw commandError(CONFLICTING_UPDATE_OPERATORS, `Updating the path '${p}' would create a conflict at '${clash}'`);
        touched.push(p);
      }
      if (operator !== '$setOnInsert' || isInsert) steps.push([apply, path, fields[path]]);
    }
  }
  for (const [apply, path, operand] of steps) apply(doc, path, operand);
}
