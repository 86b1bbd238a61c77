import { isPlainObject, toNumber, type Doc } from './bson-values.js';
import { commandError, NO_QUERY_EXECUTION_PLANS } from './command-errors.js';
import { ID_INDEX, type IndexSpec } from './indexes.js';
import type { Collection } from './memory-store.js';
import type { SortSpec } from './query-engine.js';

/** A query that a real mongod would answer with a collection scan, or with an in-memory sort. */
export interface UnindexedQuery {
  db: string;
  collection: string;
  command: string;
  /** Top-level fields of the filter (and of a top-level $and). */
  filterKeys: string[];
  /** Sort fields with direction, e.g. ['createdAt:-1']. */
  sortKeys: string[];
  /** 'filter': no index serves the filter (refused in requireIndexes mode); 'sort': recorded only. */
  reason: 'filter' | 'sort';
}

/** An empty filter is a full scan; tolerated on collections this small (mongod's default first batch). */
export const TINY_COLLECTION_DOCS = 101;

const RANGE_OPERATORS = new Set(['$eq', '$in', '$gt', '$gte', '$lt', '$lte']);

interface FilterShape {
  keys: string[];
  /** Fields an index can seek on: equality or range at top level. */
  seekable: Set<string>;
  /** Fields bound to one value: they may be skipped in an index prefix before the sort fields. */
  equalities: Set<string>;
}

function shapeOf(filter: Doc | undefined, shape: FilterShape = { keys: [], seekable: new Set(), equalities: new Set() }): FilterShape {
  for (const [key, condition] of Object.entries(filter ?? {})) {
    if (key === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainObject(part)) shapeOf(part, shape);
      continue;
    }
    if (key.startsWith('$')) continue;
    shape.keys.push(key);
    const operators = isPlainObject(condition) ? Object.keys(condition).filter((k) => k.startsWith('$')) : [];
    if (operators.length === 0) {
      shape.seekable.add(key);
      shape.equalities.add(key);
      continue;
    }
    const ops = condition as Doc;
    if (operators.some((op) => RANGE_OPERATORS.has(op))) shape.seekable.add(key);
    if ('$eq' in ops || (Array.isArray(ops.$in) && ops.$in.length === 1)) shape.equalities.add(key);
  }
  return shape;
}

/**
 * mongod only uses a partial index when the query implies its filter; approximated here as
 * "the query constrains every top-level field of the partial filter".
 */
function usable(index: IndexSpec, shape: FilterShape): boolean {
  const partialFields = Object.keys(index.partialFilterExpression ?? {});
  return partialFields.every((field) => field.startsWith('$') || shape.keys.includes(field));
}

/** Whether an index provides the sort order, after skipping key fields bound by equality. */
function providesSort(index: IndexSpec, sort: SortSpec, equalities: Set<string>): boolean {
  const wanted = sort.filter(([field]) => !equalities.has(field));
  if (wanted.length === 0) return true;
  let matched = 0;
  let flip = 0;
  for (const [field, direction] of index.key) {
    const next = wanted[matched];
    if (!next) break;
    if (next[0] === field) {
      const relative = next[1] === direction ? 1 : -1;
      if (flip !== 0 && relative !== flip) return false;
      flip = relative;
      matched++;
    } else if (!equalities.has(field)) {
      break;
    }
  }
  return matched === wanted.length;
}

/**
 * The `requireIndexes` check. A filter is served when some index's FIRST key field appears at
 * top level with an equality or range condition (or the filter is empty and the collection
 * tiny). Conditions only inside $or, $expr, $nor or $not do not count. Unserved queries are
 * recorded and, in requireIndexes mode, refused with NoQueryExecutionPlans (291); sorts that no
 * index provides are recorded only.
 */
export class QueryPlanner {
  readonly unindexedQueries: UnindexedQuery[] = [];
  private readonly recorded = new Set<string>();

  constructor(private readonly requireIndexes: boolean) {}

  /** `limit`: the most documents the operation can touch (1 for findOne, updateOne…), if bounded. */
  check(
    command: string,
    db: string,
    name: string,
    collection: Collection | undefined,
    filter: Doc | undefined,
    sort: SortSpec = [],
    limit?: number,
  ): void {
    const indexes = collection?.indexes ?? [ID_INDEX];
    const shape = shapeOf(filter);
    const sortKeys = sort.map(([field, direction]) => `${field}:${toNumber(direction)}`);
    const record = (reason: UnindexedQuery['reason']) => {
      const entry: UnindexedQuery = { db, collection: name, command, filterKeys: shape.keys, sortKeys, reason };
      const key = JSON.stringify(entry);
      if (!this.recorded.has(key)) {
        this.recorded.add(key);
        this.unindexedQueries.push(entry);
      }
    };
    const emptyFilter = Object.keys(filter ?? {}).length === 0;
    // With a filter, only an index that serves it counts for the sort too: equality fields, then sort fields.
    const serving = indexes.filter((index) => usable(index, shape) && (emptyFilter || shape.seekable.has(index.key[0]![0])));
    const ordered = sort.filter(([field]) => field !== '$natural');
    const sortServed = ordered.length === 0 || serving.some((index) => providesSort(index, ordered, shape.equalities));
    // An empty filter with a limit and no sort stops at the first documents: no full scan.
    const stopsEarly = ordered.length === 0 && limit !== undefined && limit > 0;
    const served = emptyFilter
      ? (collection?.size ?? 0) <= TINY_COLLECTION_DOCS || stopsEarly || (ordered.length > 0 && sortServed)
      : serving.length > 0;
    if (!served) {
      record('filter');
      if (this.requireIndexes) {
        throw commandError(
          NO_QUERY_EXECUTION_PLANS,
          `test server: query not served by an index: ${command} on ${db}.${name} filter keys [${shape.keys.join(', ')}]` +
            ` sort [${sortKeys.join(', ')}]; indexes: ${indexes.map((i) => i.name).join(', ')}`,
        );
      }
      return;
    }
    if (!sortServed) record('sort');
  }
}
