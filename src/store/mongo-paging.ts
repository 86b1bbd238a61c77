import type { Collection, Document, Filter, Sort, WithId } from 'mongodb';
import { InvalidCursorError, type Page, type PageRequest } from './store.js';

/** Newest-first pages over a `{ <timeField>: -1, _id: -1 }` index; the cursor is (time, id). */
export function afterCursorFilter<T extends Document>(timeField: string, after: string | null | undefined): Filter<T> {
  if (after == null) return {};
  const { at, id } = decodeCursor(after);
  // The top-level range lets the index serve the query; the $or breaks ties on the same instant.
  return { [timeField]: { $lte: at }, $or: [{ [timeField]: { $lt: at } }, { _id: { $lt: id } }] } as Filter<T>;
}

export function toPage<D extends { _id: string }, T>(
  docs: D[],
  page: PageRequest,
  totalCount: number,
  time: (doc: D) => Date,
  toNode: (doc: D) => T,
): Page<T> {
  const visible = docs.slice(0, page.first);
  return {
    edges: visible.map((doc) => ({ node: toNode(doc), cursor: encodeCursor(time(doc), doc._id) })),
    totalCount,
    hasNextPage: docs.length > page.first,
    hasPreviousPage: page.after != null,
  };
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.getTime(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [ms, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown];
    if (typeof ms === 'number' && Number.isFinite(ms) && typeof id === 'string') return { at: new Date(ms), id };
  } catch {
    // fall through: any malformed cursor gets the same clear error
  }
  throw new InvalidCursorError(cursor);
}

/**
 * One newest-first page of a collection's documents matching `where`, over an index
 * `{ [timeField]: -1, _id: -1 }` (prefixed by the filtered fields), with the total count.
 */
export async function findPage<D extends { _id: string }, T>(
  collection: Collection<D>,
  where: Filter<D>,
  timeField: keyof D & string,
  page: PageRequest,
  toNode: (doc: D) => T,
): Promise<Page<T>> {
  const [docs, totalCount] = await Promise.all([
    collection
      .find({ ...where, ...afterCursorFilter<D>(timeField, page.after) })
      .sort({ [timeField]: -1, _id: -1 } as Sort)
      .limit(page.first + 1)
      .toArray(),
    // An unfiltered count reads the collection's metadata, not every document.
    Object.keys(where).length > 0 ? collection.countDocuments(where) : collection.estimatedDocumentCount(),
  ]);
  return toPage(docs as Array<WithId<D>> as D[], page, totalCount, (doc) => doc[timeField] as Date, toNode);
}
