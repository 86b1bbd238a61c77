import { InvalidCursorError, type Page, type PageRequest } from './store.js';

/**
 * Newest-first pages over an insertion-ordered list for the embedded store. The cursor is the
 * item's insertion number, so pages stay stable while new items arrive.
 */
export function pageNewestFirst<T>(
  items: ReadonlyArray<{ order: number; value: T }>,
  page: PageRequest,
): Page<T> {
  const after = page.after == null ? Number.POSITIVE_INFINITY : decodeCursor(page.after);
  // items are in ascending insertion order: binary-search the end of those older than the cursor
  let low = 0;
  let end = items.length;
  while (low < end) {
    const mid = (low + end) >>> 1;
    if (items[mid]!.order < after) low = mid + 1;
    else end = mid;
  }
  const start = Math.max(0, end - page.first);
  const edges = [];
  for (let i = end - 1; i >= start; i--) {
    const item = items[i]!;
    edges.push({ node: item.value, cursor: encodeCursor(item.order) });
  }
  return {
    edges,
    totalCount: items.length,
    hasNextPage: start > 0,
    hasPreviousPage: end < items.length,
  };
}

function encodeCursor(order: number): string {
  return Buffer.from(`o:${order}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new InvalidCursorError(cursor);
  return Number(match[1]);
}

/**
 * Items in insertion order, for newest-first listings of the embedded stores, with deletion:
 * a deleted item is marked (found by binary search on its order) and the list is compacted
 * before it is read or once half of it is marked, so deleting n items costs O(n log n) in all
 * instead of a splice (a memmove of the whole list) each. Orders keep increasing: cursors stay valid.
 */
export interface MemoryHistory<T> {
  /** Appends `value`; returns its order (its cursor). */
  add(value: T): number;
  remove(order: number): void;
  /** The items still there, in insertion order (for pageNewestFirst and filters). */
  items(): ReadonlyArray<{ order: number; value: T }>;
}

export function createMemoryHistory<T>(): MemoryHistory<T> {
  let items: Array<{ order: number; value: T; removed?: true }> = [];
  let nextOrder = 0;
  let removed = 0;

  function compact(): void {
    if (removed === 0) return;
    items = items.filter((item) => !item.removed);
    removed = 0;
  }

  return {
    add(value) {
      const order = nextOrder++;
      items.push({ order, value });
      return order;
    },
    remove(order) {
      let low = 0;
      let high = items.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (items[mid]!.order < order) low = mid + 1;
        else high = mid;
      }
      const item = items[low];
      if (!item || item.order !== order || item.removed) return;
      item.removed = true;
      removed++;
      if (removed > items.length / 2) compact();
    },
    items() {
      compact();
      return items;
    },
  };
}
