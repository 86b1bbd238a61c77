import type { Doc } from './bson-values.js';
import { commandError, TYPE_MISMATCH } from './command-errors.js';
import type { CursorRegistry } from './cursors.js';
import type { MemoryStore } from './memory-store.js';
import type { QueryPlanner } from './query-planner.js';

/** What a command handler works with. Handlers are synchronous: a command is atomic. */
export interface CommandContext {
  /** The command's `$db`. */
  db: string;
  store: MemoryStore;
  cursors: CursorRegistry;
  planner: QueryPlanner;
  connectionId: number;
}

export type CommandHandler = (command: Doc, context: CommandContext) => Doc;

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
