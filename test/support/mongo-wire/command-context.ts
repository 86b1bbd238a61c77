import type { ObjectId } from 'bson';
import type { Doc } from './bson-values.js';
import { commandError, TYPE_MISMATCH } from './command-errors.js';
import type { CursorRegistry } from './cursors.js';
import type { MemoryStore } from './memory-store.js';
import type { QueryPlanner } from './query-planner.js';
import type { ReplicaSetMember } from './replica-set.js';

/**
 * What a command handler works with. Handlers are synchronous: a command is atomic. The
 * exceptions are a change stream's getMore, which may wait for events (it answers with a
 * promise, and still reads everything it returns synchronously when it wakes up), and an
 * awaitable hello, which waits for its maxAwaitTimeMS.
 */
export interface CommandContext {
  /** The command's `$db`. */
  db: string;
  store: MemoryStore;
  cursors: CursorRegistry;
  planner: QueryPlanner;
  connectionId: number;
  /** Set when the server runs as a one-member replica set (the `replicaSet` option). */
  replicaSet: ReplicaSetMember | undefined;
  /** This server's `topologyVersion.processId` (hello), one per started server. */
  processId: ObjectId;
  /** Aborted when the client's connection closes. */
  closed: AbortSignal;
}

export type CommandHandler = (command: Doc, context: CommandContext) => Doc | Promise<Doc>;

export interface CommandDefinition {
  handler: CommandHandler;
  /**
   * The command's own fields (besides its name and the generic session / concern fields).
   * Any other field is refused as unsupported, so an option the server would silently ignore
   * (collation, arrayFilters, let…) fails a test instead. '*' accepts anything (hello).
   */
  options: readonly string[] | '*';
}

/** The collection named by the command's first field (`{ find: 'tasks', … }`). */
export function collectionName(command: Doc, name: string): string {
  const value = command[name];
  if (typeof value !== 'string' || value === '') {
    throw commandError(TYPE_MISMATCH, `collection name has invalid type ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

export function requireArray(command: Doc, field: string, commandName: string): unknown[] {
  const value = command[field];
  if (!Array.isArray(value)) throw commandError(TYPE_MISMATCH, `BSON field '${commandName}.${field}' is missing or is not an array`);
  return value;
}
