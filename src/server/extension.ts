import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { AnyTaskDefinition } from '../engine/task-definition.js';
import type { WorkerModule } from '../engine/worker-pool.js';
import type { Builder } from '../graphql/builder.js';

/**
 * A server extension: what a team adds beside its tasks when they need more than tasks — GraphQL
 * types and fields, HTTP routes, data of their own — given to `createServer({ extensions })`.
 * The contract example is one (src/contracts/contracts-extension.ts): a server without it has no
 * contract types, routes or collections.
 *
 * `setup` runs once, when the server is created, after its store is open and before the schema
 * is built; what it returns is registered like the server's own parts.
 */
export interface ServerExtension {
  /** Unique among the server's extensions; listed by `Query.extensions`. Letters, digits, `-`, `_`. */
  name: string;
  setup(context: ExtensionContext): ExtensionParts | Promise<ExtensionParts>;
}

export interface ExtensionContext {
  /**
   * Where the server keeps its data: in process memory (the embedded store), or a MongoDB
   * database, where an extension keeps its collections beside the server's.
   */
  storage: { kind: 'memory' } | { kind: 'mongodb'; database: Db };
  /** The server's resolved settings. */
  config: Config;
  logger: Logger;
}

export interface ExtensionParts {
  /** Task definitions, registered like `createServer({ tasks })`. */
  tasks?: AnyTaskDefinition[];
  /** Worker modules, combined with the server's into one pool (job names must be unique). */
  workers?: WorkerModule[];
  /**
   * Adds to the GraphQL schema. Declare types with `builder.objectRef<T>('Name').implement(…)`,
   * fields with `builder.queryFields`, `builder.mutationFields`, `builder.subscriptionFields`;
   * the core's `Error` interface, `JSON` and `DateTime` scalars, `PageInfo`, `TaskExecution` and
   * `Forbidden` can be named as strings. Resolvers get the core's context (`principal`, `engine`).
   */
  schema?: (builder: Builder) => void;
  /** HTTP routes beside `/graphql`, tried in order before it (after the origin check). */
  routes?: Route[];
  /** At shutdown: after the engine has stopped and no request comes in, before the store closes. */
  close?: () => Promise<void>;
}

export interface Route {
  /** The exact path (`/status`), or a pattern matched against the whole path (groups end up in `match`). */
  path: string | RegExp;
  /** Methods it answers; default GET and HEAD. Other methods on its path get 405. */
  methods?: ReadonlyArray<string>;
  handle(req: IncomingMessage, res: ServerResponse, context: RouteContext): void | Promise<void>;
}

export interface RouteContext {
  /** The caller of a valid API token (open mode: the open caller), or null when there is none. */
  principal: Principal | null;
  /** The pattern's match, for a RegExp path. */
  match: RegExpExecArray | null;
}

/** Declares an extension, checking its name early (and giving its object a type). */
export function defineExtension(extension: ServerExtension): ServerExtension {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(extension.name)) {
    throw new Error(`Extension name "${extension.name}" must be 1-100 letters, digits, "_" or "-"`);
  }
  return extension;
}
