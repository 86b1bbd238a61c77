/**
 * `async-task-server/extension`: what an extension author uses beside the main entry — the
 * GraphQL builder and its helpers, who is calling, paging, and MongoDB helpers for collections of
 * their own. The contract example (src/contracts/) uses exactly this, and nothing internal.
 */
export { defineExtension, type ExtensionContext, type ExtensionParts, type Route, type RouteContext, type ServerExtension } from './server/extension.js';
/** For routes: a JSON answer that is never cached. */
export { sendJson } from './server/core-routes.js';

// GraphQL: the builder extensions add to, the context resolvers get, and the helpers of the core's types.
export {
  forbidden,
  orStoreUnavailable,
  type Builder,
  type ExtensionErrorOutcome,
  type Forbidden,
  type GraphQLContext,
  type PageInfo,
  type ResolverEngine,
  type StoreUnavailable,
} from './graphql/builder.js';
export { describeProblems, maxPageSize, pageArgs, pageInfoOf, pageRequestOf, withUserErrors } from './graphql/common-types.js';

// Who is calling.
export { canSee, ownedBy, openAccess, type Principal } from './auth/principal.js';

// Pages of newest-first listings, in memory and over a MongoDB `{ <time>: -1, _id: -1 }` index.
export { InvalidCursorError, StoreUnavailableError, type Page, type PageRequest } from './store/store.js';
export { createMemoryHistory, pageNewestFirst, type MemoryHistory } from './store/memory-paging.js';
export { afterCursorFilter, toPage } from './store/mongo-paging.js';
// MongoDB collections of one's own: unreachable-database errors as StoreUnavailableError, duplicate keys.
export { withStoreUnavailable } from './store/mongo-errors.js';
export { duplicateKeyIndexes, isDuplicateKey } from './store/mongo-execution-store.js';

export type { InputProblem } from './engine/task-definition.js';
