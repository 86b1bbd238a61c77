import { formatValue, isPlainObject, type Doc } from './bson-values.js';
import { commandError, FAILED_TO_PARSE, PATH_NOT_VIABLE, unsupported } from './command-errors.js';

/** Dotted field paths ("a.b.0.c") as mongod resolves them. */

const INDEX_SEGMENT = /^\d+$/;

export function splitPath(path: string): string[] {
  const segments = path.split('.');
  if (segments.some((s) => s === '')) throw commandError(FAILED_TO_PARSE, `The update path '${path}' contains an empty field name, which is not allowed.`);
  if (segments.some((s) => s.startsWith('$'))) throw unsupported(`positional update path '${path}'`);
  return segments;
}

/** The single value at a path, without array expansion (numeric segments index arrays). */
export function getPath(doc: unknown, segments: readonly string[]): unknown {
  let current: unknown = doc;
  for (const segment of segments) {
    if (Array.isArray(current) && INDEX_SEGMENT.test(segment)) current = current[Number(segment)];
    else if (isPlainObject(current)) current = current[segment];
    else return undefined;
  }
  return current;
}

/**
 * Every value a path reaches, expanding arrays the way indexes and sorts do ("multikey"):
 * `{ a: [{ b: 1 }, { b: 2 }] }` at "a.b" gives [1, 2], and a final array gives its elements.
 * Missing values and empty arrays give nothing; callers decide what "nothing" means.
 */
export function valuesAtPath(value: unknown, segments: readonly string[], from = 0): unknown[] {
  if (from === segments.length) return Array.isArray(value) ? value : value === undefined ? [] : [value];
  const segment = segments[from]!;
  if (Array.isArray(value)) {
    if (INDEX_SEGMENT.test(segment)) return valuesAtPath(value[Number(segment)], segments, from + 1);
    return value.flatMap((item) => (isPlainObject(item) ? valuesAtPath(item, segments, from) : []));
  }
  if (isPlainObject(value)) return valuesAtPath(value[segment], segments, from + 1);
  return [];
}

export interface Slot {
  parent: Doc | unknown[];
  key: string;
}

function notViable(segment: string, container: unknown): never {
  throw commandError(PATH_NOT_VIABLE, `Cannot create field '${segment}' in element ${formatValue(container)}`);
}

/**
 * The container and key that hold the value at `segments`. With `create`, missing intermediate
 * documents are created (like $set does); without it, a missing path gives undefined (like
 * $unset or $pull, which are no-ops then). Traversing a scalar, or an array with a field name,
 * is mongod's PathNotViable error.
 */
export function slotFor(doc: Doc, segments: readonly string[], create: boolean): Slot | undefined {
  let container: Doc | unknown[] = doc;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    let next: unknown;
    if (Array.isArray(container)) {
      if (!INDEX_SEGMENT.test(segment)) notViable(segment, container);
      next = container[Number(segment)];
    } else {
      next = container[segment];
    }
    if (next === undefined) {
      if (!create) return undefined;
      next = {};
      assign(container, segment, next);
    } else if (!isPlainObject(next) && !Array.isArray(next)) {
      if (!create) return undefined;
      notViable(segments[i + 1]!, next);
    }
    container = next as Doc | unknown[];
  }
  const key = segments[segments.length - 1]!;
  if (Array.isArray(container) && !INDEX_SEGMENT.test(key)) {
    if (!create) return undefined;
    notViable(key, container);
  }
  return { parent: container, key };
}

function assign(container: Doc | unknown[], key: string, value: unknown): void {
  if (Array.isArray(container)) {
    const index = Number(key);
    // mongod pads an array with nulls when setting past its end.
    while (container.length < index) container.push(null);
    container[index] = value;
  } else {
    container[key] = value;
  }
}

export function readSlot(slot: Slot): unknown {
  return Array.isArray(slot.parent) ? slot.parent[Number(slot.key)] : slot.parent[slot.key];
}

export function writeSlot(slot: Slot, value: unknown): void {
  assign(slot.parent, slot.key, value);
}

/** $unset semantics: removes a field; an array element is set to null instead (no shifting). */
export function clearSlot(slot: Slot): void {
  if (Array.isArray(slot.parent)) {
    const index = Number(slot.key);
    if (index < slot.parent.length) slot.parent[index] = null;
  } else {
    delete slot.parent[slot.key];
  }
}

export function setPath(doc: Doc, path: string, value: unknown): void {
  writeSlot(slotFor(doc, splitPath(path), true)!, value);
}

/** True when one path equals the other or is a prefix of it ("a" and "a.b"). */
export function pathsOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}
