import type { YogaLogger } from 'graphql-yoga';
import type { Logger } from 'pino';

/**
 * Unexpected errors reach clients as "Unexpected error." only (with extensions.code
 * INTERNAL_SERVER_ERROR), over HTTP and WebSocket alike. A GraphQLError thrown on purpose, with
 * its extensions.code, is shown as it is.
 *
 * `isDev: false` whatever NODE_ENV says: yoga would otherwise copy the original message and
 * stack into the response when NODE_ENV=development. The full error goes to the server log
 * instead (yoga logs every error it masks, through `yogaLogger`).
 */
export const maskedErrors = { errorMessage: 'Unexpected error.', isDev: false };

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
