import { GraphQLError } from 'graphql';
import type { ConnectionInitMessage, ServerOptions } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import type { Config } from '../config.js';

/** The settings these limits read: units and defaults are documented in config.ts. */
export type WebSocketLimits = Pick<Config, 'wsMaxSubscriptionsPerSocket' | 'wsConnectionInitTimeoutMs'>;

/**
 * Adds the per-socket limits to graphql-ws server options. The largest message a socket may send
 * is the WebSocketServer's `maxPayload` (ws closes the socket with 1009): it is set where the
 * server is made, since ws enforces it before graphql-ws sees a message.
 *
 * An operation past the subscription limit is answered with an `error` message for its own id;
 * the socket and its other operations go on. graphql-ws keeps the operations of a socket in
 * `ctx.subscriptions` (an entry for this one included, added before onSubscribe runs, removed
 * when an operation ends or is refused), so counting that needs no bookkeeping of our own.
 */
export function withWebSocketLimits<P extends ConnectionInitMessage['payload'] = ConnectionInitMessage['payload'], E = Extra>(
  options: ServerOptions<P, E>,
  limits: WebSocketLimits,
): ServerOptions<P, E> {
  const { onSubscribe } = options;
  return {
    ...options,
    // A socket that never says connection_init is closed with 4408 after this long.
    connectionInitWaitTimeout: limits.wsConnectionInitTimeoutMs,
    onSubscribe: (ctx, id, payload) => {
      if (Object.keys(ctx.subscriptions).length > limits.wsMaxSubscriptionsPerSocket) {
        return [
          new GraphQLError(
            `Too many operations on this connection: at most ${limits.wsMaxSubscriptionsPerSocket} may run at once ` +
              '(WS_MAX_SUBSCRIPTIONS_PER_SOCKET). Complete one, or open another connection.',
            { extensions: { code: 'LIMIT_EXCEEDED', limit: 'subscriptionsPerSocket', max: limits.wsMaxSubscriptionsPerSocket } },
          ),
        ];
      }
      return onSubscribe?.(ctx, id, payload);
    },
  };
}
