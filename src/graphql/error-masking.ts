import { GraphQLError } from 'graphql';
import { maskError, type YogaLogger } from 'graphql-yoga';
import type { Logger } from 'pino';
import { StoreUnavailableError } from '../store/store.js';

/**
 * Unexpected errors reach clients as "Unexpected error." only (with extensions.code
 * INTERNAL_SERVER_ERROR), over HTTP and WebSocket alike. A GraphQLError thrown on purpose, with
 * its extensions.code, is shown as it is.
 *
 * `isDev: false` whatever NODE_ENV says: yoga would otherwise copy the original message and
 * stack into the response when NODE_ENV=development. The full error goes to the server log
 * instead (yoga logs every error it masks, through `yogaLogger`).
 */
export const maskedErrors = {
  errorMessage: 'Unexpected error.',
  isDev: false,
  /**
   * An unreachable database is an outage, not a bug: the client gets a clear, retryable
   * STORE_UNAVAILABLE error (HTTP 503 when it is the only answer) instead of "Unexpected error.".
   */
  maskError(error: unknown, message: string, isDev?: boolean) {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original instanceof StoreUnavailableError) {
      return new GraphQLError(original.message, {
        nodes: error instanceof GraphQLError ? error.nodes : undefined,
        path: error instanceof GraphQLError ? error.path : undefined,
        extensions: { code: original.code, maybeApplied: original.maybeApplied, http: { status: 503 } },
      });
    }
    return withoutOriginalError(maskError(error, message, isDev));
  },
};

/**
 * yoga copies the parser's own error into `extensions.originalError` of some errors it raises on
 * purpose (a body that is not JSON): its message echoes part of the body and says how the
 * server parses, which clients have no use for. The error keeps its message and code.
 */
function withoutOriginalError<E extends Error>(error: E): E | GraphQLError {
  if (!(error instanceof GraphQLError) || error.extensions.originalError === undefined) return error;
  const { originalError: _dropped, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
}

/**
 * yoga's logger calls (`logger.error(error)`, `logger.debug('text', details)`) in pino's shape:
 * an Error becomes `err`, so pino writes its message, stack, GraphQL path and original error.
 * Passed straight through, pino would write an Error inside the argument list as `{}`.
 */
export function yogaLogger(logger: Logger): YogaLogger {
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]): void => {
      const err = args.find((arg): arg is Error => arg instanceof Error);
      const text = args.filter((arg): arg is string => typeof arg === 'string').join(' ');
      const details = args.filter((arg) => arg !== err && typeof arg !== 'string');
      const fields = { ...(err ? { err } : {}), ...(details.length > 0 ? { details } : {}) };
      logger[level](fields, text || err?.message || 'graphql-yoga');
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
