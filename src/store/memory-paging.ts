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
