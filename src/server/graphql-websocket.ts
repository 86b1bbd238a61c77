import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import type { OperationResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Authenticated, Authenticator } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { GraphQLContext } from '../graphql/builder.js';
import { maskedErrors } from '../graphql/error-masking.js';
import type { LiveDelivery } from '../graphql/feedback-fan-out.js';
import { callerKey, createCallerCounter } from './caller-limits.js';
import { SocketLiveDelivery } from './live-delivery.js';
import type { OriginPolicy } from './origin-policy.js';
import { withWebSocketLimits } from './websocket-limits.js';

/** What yoga's context is made from: over graphql-ws, with the operation's LiveDelivery. */
export type ServerContext = { principal: Principal; caller: string; liveDelivery?: LiveDelivery };

/**
 * GraphQL over WebSocket (graphql-ws) on the HTTP server's `path`: the same yoga instance, so
 * parse, validation, limits, plugins and the context are those of HTTP (yoga's graphql-ws recipe).
 * Checks, in order: the origin before the upgrade, the token in connection_init, the caller's
 * socket cap, then each operation's limits. A socket lives no longer than its credential: it is
 * closed with 4403 when its JWT expires, or when a reload removes its API token.
 */
export function attachGraphQLWebSocket(deps: {
  server: Server;
  path: string;
  yoga: YogaServerInstance<ServerContext, GraphQLContext>;
  authenticator: Authenticator;
  originPolicy: OriginPolicy;
  config: Config;
  logger: Logger;
}) {
  const { config, logger, yoga, authenticator, originPolicy } = deps;
  const socketPlaces = createCallerCounter(config.wsMaxSocketsPerCaller);
  const wsServer = new WebSocketServer({
    server: deps.server,
    path: deps.path,
    maxPayload: config.wsMaxPayloadBytes,
    // After the server closes a socket (4408, 4403, 1013, 1001 at shutdown, …), how long the
    // client may take to answer the close frame before the connection is cut; ws waits 30 s by
    // default. A ws 8.23 option that @types/ws 8.18 does not list yet.
    ...({ closeTimeout: 1_000 } as object),
    // Browsers apply no CORS to WebSockets: a page on another site is refused before the upgrade.
    verifyClient: ({ req }, done) => {
      const origin = originPolicy.check(req);
      if (origin.allowed) done(true);
      else done(false, 403, origin.reason);
    },
  });
  const socketCallers = new WeakMap<object, { principal: Principal; caller: string; release: () => void; authenticated: Authenticated; cancelExpiry: () => void }>();

  const handle = useServer(
    withWebSocketLimits(
      {
        // Tokens travel in connectionParams ({ authorization: "Bearer …" }); a refused socket is
        // closed with 4403 Forbidden by graphql-ws (a refused JWT says why in the close reason).
        onConnect: async (ctx) => {
          const params: Record<string, unknown> = ctx.connectionParams ?? {};
          const authorization = Object.hasOwn(params, 'authorization') ? params.authorization : params.Authorization;
          // Only a string is a token; anything else (null, an array, an object with a toString) is refused.
          if (authorization !== undefined && typeof authorization !== 'string') return false;
          const authentication = await authenticator.authenticate(authorization ?? '');
          const { socket } = ctx.extra;
          // Gone while a JWT was verified: onClose has run already, so nothing may be held for it now.
          if (socket.readyState !== socket.OPEN) return false;
          if (!authentication.ok) {
            if (authentication.problem === 'unavailable') {
              logger.warn({ err: authentication.cause }, 'a JSON Web Token could not be verified: the key set (JWT_JWKS_URL) cannot be fetched');
              // 1013 Try Again Later: an outage on the server's side, which graphql-ws clients retry.
              socket.close(1013, 'Token keys unavailable; try again later');
            } else if (authentication.problem === 'invalid') {
              socket.close(4403, closeReason(authentication.message));
            }
            return false;
          }
          const { principal } = authentication;
          const caller = callerKey(principal, ctx.extra.request.socket.remoteAddress);
          const release = socketPlaces.acquire(caller);
          if (!release) {
            // 1013 Try Again Later: graphql-ws clients retry it with back-off, and get in once a
            // socket of theirs closes (4429 is graphql-ws's own, and its clients never retry it).
            ctx.extra.socket.close(
              1013,
              `Too many WebSockets: each caller may hold ${config.wsMaxSocketsPerCaller} (WS_MAX_SOCKETS_PER_CALLER)`,
            );
            return false;
          }
          const cancelExpiry = authentication.expiresAt === null ? noop : closeAtExpiry(socket, authentication.expiresAt);
          socketCallers.set(socket, { principal, caller, release, authenticated: authentication, cancelExpiry });
          return true;
        },
        onClose: (ctx) => {
          const held = socketCallers.get(ctx.extra.socket);
          held?.release();
          held?.cancelExpiry();
        },
        execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
        subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
        onSubscribe: async (ctx, id, params) => {
          // graphql-ws calls onSubscribe only on acknowledged sockets, which onConnect recorded.
          const { principal, caller } = socketCallers.get(ctx.extra.socket)!;
          // Shared live events (graphql/feedback-fan-out.ts) are written to the socket through it.
          const liveDelivery = new SocketLiveDelivery(ctx.extra.socket, id, params, logger);
          const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params, principal, caller, liveDelivery });
          let document;
          try {
            document = enveloped.parse(params.query);
          } catch (error) {
            // A syntax error or a limit refusal: a GraphQLError meant for the client.
            if (error instanceof GraphQLError) return [error];
            logger.error({ err: error }, 'a WebSocket operation failed to parse');
            return [new GraphQLError(maskedErrors.errorMessage, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })];
          }
          // Anything thrown from here on would close the whole socket (4500) and end the client's
          // other operations: an unexpected failure refuses this operation only, masked like any other.
          try {
            const errors = enveloped.validate(enveloped.schema, document);
            if (errors.length > 0) return errors;
            const args: ExecutionArgs = {
              schema: enveloped.schema,
              operationName: params.operationName,
              document,
              variableValues: params.variables,
              contextValue: await enveloped.contextFactory(),
              rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
            };
            liveDelivery.args = args;
            return args;
          } catch (error) {
            logger.error({ err: error }, 'a WebSocket operation failed before it ran');
            return [new GraphQLError(maskedErrors.errorMessage, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })];
          }
        },
      },
      config,
    ),
    wsServer,
  );

  return {
    /** Bytes still waiting to be written to any socket (shutdown waits for 0 before closing them). */
    buffered(): number {
      let total = 0;
      for (const socket of wsServer.clients) total += socket.bufferedAmount;
      return total;
    },
    /** Closes every socket with 1001 Going Away (graphql-ws clients reconnect), then the server. */
    dispose: () => handle.dispose(),
    /** Closes with 4403 each acknowledged socket whose credential `stale` says no longer holds; returns how many. */
    closeSockets(stale: (authenticated: Authenticated) => boolean, reason: string): number {
      let closed = 0;
      for (const socket of wsServer.clients) {
        const held = socketCallers.get(socket);
        if (held && stale(held.authenticated)) {
          socket.close(4403, reason);
          closed += 1;
        }
      }
      return closed;
    },
  };
}

/** setTimeout's longest delay (about 24.8 days); a later expiry waits in steps. */
const maxTimerMs = 2 ** 31 - 1;

/** Closes `socket` with 4403 once `expiresAt` (epoch ms) has passed; returns the cancel function. */
function closeAtExpiry(socket: WebSocket, expiresAt: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) return socket.close(4403, 'Token expired');
    timer = setTimeout(check, Math.min(left, maxTimerMs)).unref();
  };
  check();
  return () => clearTimeout(timer);
}

/** A WebSocket close reason holds at most 123 bytes (RFC 6455 §5.5); ws throws on a longer one. */
function closeReason(message: string): string {
  let reason = message;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}

function noop(): void {}

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}
