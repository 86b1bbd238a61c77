import { UUID } from 'bson';
import { keyString, type Doc } from './bson-values.js';
import type { AppliedWrite } from './change-log.js';
import { BAD_VALUE, commandError, INVALID_NAMESPACE } from './command-errors.js';
import { duplicateKeyError, ID_INDEX, indexEntries, type IndexSpec } from './indexes.js';

/** Told of every write once it is applied (the replica-set server's oplog listens here). */
export type WriteObserver = (write: AppliedWrite) => void;

/**
 * One collection: documents in insertion ("natural") order keyed by `_id`, its indexes, and for
 * every unique secondary index a map from key to the document holding it, so uniqueness is
 * checked in O(keys) per write. Stored documents are never mutated: a write builds a new
 * document and swaps it in, so a failed write leaves nothing behind and cursors keep a
 * consistent snapshot of what they already selected. insert / replace / remove are the only
 * ways documents change, so they are where applied writes are reported, in the order applied.
 */
export class Collection {
  readonly uuid = new UUID();
  private readonly docs = new Map<string, Doc>();
  private readonly secondary: IndexSpec[] = [];
  private readonly uniqueKeys = new Map<IndexSpec, Map<string, Doc>>();

  constructor(
    readonly db: string,
    readonly name: string,
    private readonly observe: WriteObserver = () => {},
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get size(): number {
    return this.docs.size;
  }

  get indexes(): IndexSpec[] {
    return [ID_INDEX, ...this.secondary];
  }

  /** A snapshot of the documents in natural order. */
  all(): Doc[] {
    return [...this.docs.values()];
  }

  /** The current document with this `_id`, if any. */
  get(id: unknown): Doc | undefined {
    return this.docs.get(keyString(id));
  }

  /** Inserts a normalized document (with `_id`); throws E11000 and changes nothing on a duplicate. */
  insert(doc: Doc): void {
    const id = keyString(doc._id);
    if (this.docs.has(id)) throw duplicateKeyError(this.ns, ID_INDEX, [doc._id]);
    const claims = this.claimsFor(doc, undefined);
    this.docs.set(id, doc);
    for (const [keys, key] of claims) keys.set(key, doc);
    this.observe({ kind: 'insert', db: this.db, coll: this.name, doc });
  }

  /**
   * Replaces a stored document by a new version with the same `_id`. `kind` is how the client
   * asked for it: update operators or a pipeline ('update') or a replacement document ('replace').
   */
  replace(previous: Doc, next: Doc, kind: 'update' | 'replace'): void {
    const id = keyString(previous._id);
    if (this.docs.get(id) !== previous) throw commandError(BAD_VALUE, 'test server: replaced document is no longer current');
    const claims = this.claimsFor(next, previous);
    this.release(previous);
    this.docs.set(id, next);
    for (const [keys, key] of claims) keys.set(key, next);
    this.observe({ kind, db: this.db, coll: this.name, previous, next });
  }

  remove(doc: Doc): void {
    const id = keyString(doc._id);
    if (this.docs.get(id) !== doc) return;
    this.release(doc);
    this.docs.delete(id);
    this.observe({ kind: 'delete', db: this.db, coll: this.name, doc });
  }

  /** Adds an index; a unique one is refused (E11000) if the documents already break it. */
  addIndex(spec: IndexSpec): void {
    if (spec.unique) {
      const keys = new Map<string, Doc>();
      for (const doc of this.docs.values()) {
        for (const entry of indexEntries(spec, doc)) {
          if (keys.has(entry.key)) throw duplicateKeyError(this.ns, spec, entry.values);
          keys.set(entry.key, doc);
        }
      }
      this.uniqueKeys.set(spec, keys);
    }
    this.secondary.push(spec);
  }

  dropIndex(spec: IndexSpec): void {
    const at = this.secondary.indexOf(spec);
    if (at >= 0) this.secondary.splice(at, 1);
    this.uniqueKeys.delete(spec);
  }

  /** The unique keys `doc` would take; throws E11000 if another document holds one of them. */
  private claimsFor(doc: Doc, replacing: Doc | undefined): Array<[Map<string, Doc>, string]> {
    const claims: Array<[Map<string, Doc>, string]> = [];
    for (const [spec, keys] of this.uniqueKeys) {
      for (const entry of indexEntries(spec, doc)) {
        const holder = keys.get(entry.key);
        if (holder && holder !== replacing) throw duplicateKeyError(this.ns, spec, entry.values);
        claims.push([keys, entry.key]);
      }
    }
    return claims;
  }

  private release(doc: Doc): void {
    for (const [spec, keys] of this.uniqueKeys) {
      for (const entry of indexEntries(spec, doc)) if (keys.get(entry.key) === doc) keys.delete(entry.key);
    }
  }
}

/** Databases → collections, all in memory; a database exists while it has a collection. */
export class MemoryStore {
  private readonly databases = new Map<string, Map<string, Collection>>();

  constructor(private readonly observe?: WriteObserver) {}

  collection(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** The collection, created (empty, with its `_id` index) if needed, as mongod does on first write. */
  ensureCollection(db: string, name: string): { collection: Collection; created: boolean } {
    const existing = this.collection(db, name);
    if (existing) return { collection: existing, created: false };
    validateCollectionName(name);
    const collections = this.databases.get(db) ?? new Map<string, Collection>();
    this.databases.set(db, collections);
    const collection = new Collection(db, name, this.observe);
    collections.set(name, collection);
    return { collection, created: true };
  }

  collections(db: string): Collection[] {
    return [...(this.databases.get(db)?.values() ?? [])];
  }

  dropCollection(db: string, name: string): Collection | undefined {
    const collections = this.databases.get(db);
    const collection = collections?.get(name);
    if (!collections || !collection) return undefined;
    collections.delete(name);
    if (collections.size === 0) this.databases.delete(db);
    return collection;
  }

  dropDatabase(db: string): void {
    this.databases.delete(db);
  }
}

function validateCollectionName(name: string): void {
  if (name === '' || name.includes('\0') || name.startsWith('.') || name.includes('$')) {
    throw commandError(INVALID_NAMESPACE, `Invalid collection name: ${name}`);
  }
}
