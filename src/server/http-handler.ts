import type { IncomingMessage, ServerResponse } from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Authentication, Authenticator } from '../auth/authenticator.js';
import { openAccess, type Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { GraphQLContext } from '../graphql/builder.js';
import { StoreUnavailableError, type Store } from '../store/store.js';
import { callerKey } from './caller-limits.js';
import { handleCoreRoute, pathOf, sendJson, type LiveEventsHealth } from './core-routes.js';
import type { Route } from './extension.js';
import type { ServerContext } from './graphql-websocket.js';
import { refuseMalformedSearchParams } from './graphql-search-params.js';
import type { OriginPolicy } from './origin-policy.js';
import { acceptRequestBody } from './request-body-limit.js';
import { serveWebAsset } from './web-assets.js';

/**
 * Every HTTP request, in this order: the origin check (and CORS), the server's own routes
 * (/health, /ready), the extensions' routes, the web page, and GraphQL on `graphqlPath`
 * (authenticated, its body limited).
 */
export function createHttpHandler(deps: {
  graphqlPath: string;
  yoga: YogaServerInstance<ServerContext, GraphQLContext>;
  authenticator: Authenticator;
  originPolicy: OriginPolicy;
  routes: ReadonlyArray<Route>;
  store: Store;
  config: Config;
  logger: Logger;
  isShuttingDown: () => boolean;
  liveEvents: () => LiveEventsHealth;
}) {
  const { yoga, authenticator, originPolicy, config, logger } = deps;
  const routes = deps.routes.map(compileRoute);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Every answer depends on the Origin (refused, granted, or neither): caches must keep them apart.
    res.setHeader('vary', 'Origin');
    const origin = originPolicy.check(req);
    if (!origin.allowed) return sendJson(res, 403, { error: origin.reason });
    if (origin.corsOrigin) {
      for (const [name, value] of Object.entries(originPolicy.corsHeaders(origin.corsOrigin, req))) res.setHeader(name, value!);
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    }
    const path = pathOf(req.url ?? '/');
    if (path === null) return sendJson(res, 400, { error: 'The request target is not a valid URL path.' });
    if (await handleCoreRoute(req, res, path, deps)) return;

    const authentication = await authenticator.authenticate(req.headers.authorization);
    // A JWT that fails (or cannot be checked) is answered here, with why, for routes and GraphQL alike;
    // a missing or unknown token leaves the principal null, for each route to decide.
    if (!authentication.ok && (authentication.problem === 'invalid' || authentication.problem === 'unavailable')) {
      return refuseCredential(res, authentication, logger);
    }
    const principal = authentication.ok ? authentication.principal : null;
    for (const route of routes) {
      const match = route.pattern ? route.pattern.exec(path) : null;
      if (route.pattern ? match === null : route.path !== path) continue;
      if (!route.methods.includes(req.method ?? 'GET')) return void res.writeHead(405, { allow: route.methods.join(', ') }).end();
      return route.handle(req, res, { principal, match });
    }
    if (path !== deps.graphqlPath && (await serveWebAsset(req, res))) return;

    if (!principal && !isGraphiQLPage(req)) return sendUnauthorized(res);
    if (refuseMalformedSearchParams(req, res)) return;
    if (!(await acceptRequestBody(req, res, config.maxRequestBodyBytes))) return;
    const caller: Principal = principal ?? openAccess;
    await yoga(req, res, { principal: caller, caller: callerKey(caller, req.socket.remoteAddress) });
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof StoreUnavailableError) {
        // A plain route (a download, say) while the database is down: an outage, said as one.
        if (res.headersSent) return void res.end();
        return sendJson(res, 503, { error: error.message, code: error.code, maybeApplied: error.maybeApplied }, { 'retry-after': '2' });
      }
      logger.error({ err: error, url: req.url }, 'request failed');
      if (res.headersSent) return void res.end();
      sendJson(res, 500, { error: 'Internal server error' });
    });
  };
}

/**
 * A route as it is matched: a pattern anchored to the whole path (made once, not per request;
 * `^(?:…)$` rather than comparing a match's length, which misses `/\/a|\/ab/` on `/ab`), and its
 * methods in capitals.
 */
function compileRoute(route: Route) {
  const pattern = typeof route.path === 'string' ? null : new RegExp(`^(?:${route.path.source})$`, route.path.flags.replace(/[gy]/g, ''));
  return { ...route, pattern, methods: (route.methods ?? ['GET', 'HEAD']).map((method) => method.toUpperCase()) };
}

/** GraphiQL's page itself holds no data: it loads without a token (its requests need one). */
function isGraphiQLPage(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

/**
 * 401 with RFC 6750's `invalid_token` (the client should get a new token), or 503 when the issuer's
 * keys cannot be fetched: an outage on the server's side, which the caller may retry as it is.
 */
function refuseCredential(res: ServerResponse, refused: Extract<Authentication, { problem: 'invalid' | 'unavailable' }>, logger: Logger): void {
  if (refused.problem === 'unavailable') {
    logger.warn({ err: refused.cause }, 'a JSON Web Token could not be verified: the key set (JWT_JWKS_URL) cannot be fetched');
    return sendJson(res, 503, { error: refused.message, code: 'AUTH_UNAVAILABLE' }, { 'retry-after': '5' });
  }
  // error_description may hold no double quote or backslash (RFC 6750 §3).
  const description = refused.message.replace(/["\\]/g, "'");
  sendJson(res, 401, { error: refused.message, code: 'INVALID_TOKEN' }, { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` });
}

function sendUnauthorized(res: ServerResponse): void {
  sendJson(res, 401, { error: 'Missing or invalid API token: send "Authorization: Bearer <token>".' }, { 'www-authenticate': 'Bearer' });
}
