import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import type { OperationResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga } from 'graphql-yoga';
import { pino, type Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { createAuthenticator } from './auth/api-tokens.js';
import { openAccess, type Principal } from './auth/principal.js';
import { callerKey, createCallerCounter } from './caller-limits.js';
import type { Config } from './config.js';
import { createContractService } from './contracts/contract-service.js';
import { loadDemoData } from './contracts/demo-data-loader.js';
import { createEngine, type Engine } from './engine/engine.js';
import { createExecutionEvents } from './engine/events.js';
import type { AnyTaskDefinition } from './engine/task-definition.js';
import { createWorkerPool, type WorkerPool } from './engine/worker-pool.js';
import type { GraphQLContext } from './graphql/builder.js';
import { maskedErrors, yogaLogger } from './graphql/error-masking.js';
import { graphqlLimitPlugins } from './graphql/limits.js';
import { createSchema } from './graphql/schema.js';
import { refuseMalformedSearchParams } from './graphql-search-params.js';
import { handlePlainRoute } from './http-routes.js';
import { createOriginPolicy } from './origin-policy.js';
import { acceptRequestBody } from './request-body-limit.js';
import { createTasks } from './tasks.js';
import { openStore } from './store/open-store.js';
import { StoreUnavailableError, type Store } from './store/store.js';
import { withWebSocketLimits } from './websocket-limits.js';

export const graphqlPath = '/graphql';

export interface AppOptions {
  /** Defaults to the store the configuration names (MongoDB, or the embedded one). */
  store?: Store;
  logger?: Logger;
  /** The worker entry of the shared pool; defaults to src/worker-jobs. */
  workerEntry?: URL;
  /** More task definitions to register beside those of src/tasks.ts (tests use this). */
  extraTasks?: (deps: { store: Store }) => AnyTaskDefinition[];
}

export interface App {
  /** Listens on `port` (0 picks a free one); resolves with the base URL. */
  start(port?: number): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
  engine: Engine;
  store: Store;
  pool: WorkerPool;
}

/** Wires the server: store, worker pool, engine, tasks, GraphQL over HTTP and graphql-ws. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const store = options.store ?? (await openStore(config));
  const pool = createWorkerPool({
    filename: options.workerEntry ?? new URL(`./worker-jobs${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
    threads: config.workerThreads,
    resourceLimits: { maxYoungGenerationSizeMb: config.workerYoungGenerationMb, maxOldGenerationSizeMb: config.workerMaxOldGenerationMb },
    niceIncrement: config.workerNice,
  });
  const events = createExecutionEvents({ coalesceMs: config.updatesCoalesceMs, maxBuffered: config.subscriberBuffer });
  const engine = createEngine(
    { store, pool, events, logger },
    {
      leaseMs: config.leaseMs,
      abortGraceMs: config.abortGraceMs,
      maxInputBytes: config.maxTaskInputBytes,
      maxInputDepth: config.maxTaskInputDepth,
      sweepMs: config.sweepMs,
      maxAttempts: config.maxAttempts,
      handBackOnShutdown: store.durable,
    },
  );
  for (const task of [...createTasks({ store, config }), ...(options.extraTasks?.({ store }) ?? [])]) engine.register(task);

  if (config.demoData && (await loadDemoData(store.contracts)) > 0) logger.info('loaded the demo contract groups');

  const authenticator = createAuthenticator(config.apiTokens);
  if (authenticator.open) {
    logger.warn('No API tokens configured: the server is open to anyone who can reach it. For local use only.');
  }
  const subscriptionPlaces = createCallerCounter(config.maxSubscriptionsPerCaller);
  const socketPlaces = createCallerCounter(config.wsMaxSocketsPerCaller);
  const services = { engine, contracts: store.contracts, contractService: createContractService(store.contracts), subscriptionPlaces };
  const originPolicy = createOriginPolicy({ corsOrigins: config.corsOrigins, open: authenticator.open });
  const yoga = createYoga<{ principal: Principal; caller: string }, GraphQLContext>({
    schema: createSchema(),
    graphqlEndpoint: graphqlPath,
    // The caller was authenticated before yoga runs (HTTP handler, WebSocket onConnect).
    context: ({ principal, caller }) => ({ ...services, principal, caller }),
    // Origins are checked before yoga, for every route (origin-policy.ts): yoga's default CORS
    // would answer any origin.
    cors: false,
    graphiql: config.graphiql ? { subscriptionsProtocol: 'WS', title: 'async-task-server' } : false,
    // Self-contained GraphiQL: the default page loads from a CDN, which offline networks cannot reach.
    renderGraphiQL,
    plugins: [
      ...graphqlLimitPlugins(config),
      // A request must have a content type no HTML form can send (application/json, as every client
      // here sends) or an x-graphql-yoga-csrf header: either makes a cross-site browser request preflighted.
      useCSRFPrevention(),
    ],
    maskedErrors,
    logging: yogaLogger(logger),
  });

  let shuttingDown = false;
  const serverOptions = {
    // A client that trickles its request in is cut off (408) instead of holding a connection open.
    requestTimeout: config.httpRequestTimeoutMs,
    headersTimeout: config.httpHeadersTimeoutMs,
    // How often Node checks those timeouts (default 30 s, which would let a request run 30 s over).
    connectionsCheckingInterval: 1_000,
  };
  const server: Server = createServer(serverOptions, (req, res) => {
    // Every answer depends on the Origin (refused, granted, or neither): caches must keep them apart.
    res.setHeader('vary', 'Origin');
    const origin = originPolicy.check(req);
    if (!origin.allowed) return sendForbiddenOrigin(res, origin.reason);
    if (origin.corsOrigin) {
      for (const [name, value] of Object.entries(originPolicy.corsHeaders(origin.corsOrigin, req))) res.setHeader(name, value!);
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    }
    const principal = authenticator.authenticate(req.headers.authorization);
    handlePlainRoute(req, res, { store, contracts: store.contracts, isShuttingDown: () => shuttingDown, principal })
      .then(async (handled) => {
        if (handled) return;
        if (!principal && !isGraphiQLPage(req)) return sendUnauthorized(res);
        if (refuseMalformedSearchParams(req, res)) return;
        if (!(await acceptRequestBody(req, res, config.maxRequestBodyBytes))) return;
        return yoga(req, res, { principal: principal ?? openAccess, caller: callerKey(principal ?? openAccess, req.socket.remoteAddress) });
      })
      .catch((error: unknown) => {
        if (error instanceof StoreUnavailableError) {
          // The plain routes (a PDF download, say) while the database is down: an outage, said as one.
          if (!res.headersSent) res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '2' });
          res.end(JSON.stringify({ error: error.message, code: error.code, maybeApplied: error.maybeApplied }));
          return;
        }
        logger.error({ err: error, url: req.url }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'Internal server error' }));
      });
  });

  const wsServer = new WebSocketServer({
    server,
    path: graphqlPath,
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
  const socketCallers = new WeakMap<object, { principal: Principal; caller: string; release: () => void }>();
  // One context for HTTP and WebSocket: yoga's envelop runs parse, validate and plugins for both.
  const wsHandle = useServer(
    withWebSocketLimits({
      // Tokens travel in connectionParams ({ authorization: "Bearer …" }); a refused socket is
      // closed with 4403 Forbidden by graphql-ws.
      onConnect: (ctx) => {
        const params: Record<string, unknown> = ctx.connectionParams ?? {};
        const authorization = Object.hasOwn(params, 'authorization') ? params.authorization : params.Authorization;
        // Only a string is a token; anything else (null, an array, an object with a toString) is refused.
        if (authorization !== undefined && typeof authorization !== 'string') return false;
        const principal = authenticator.authenticate(authorization ?? '');
        if (!principal) return false;
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
        socketCallers.set(ctx.extra.socket, { principal, caller, release });
        return true;
      },
      onClose: (ctx) => {
        socketCallers.get(ctx.extra.socket)?.release();
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        // graphql-ws calls onSubscribe only on acknowledged sockets, which onConnect recorded.
        const { principal, caller } = socketCallers.get(ctx.extra.socket)!;
        const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params, principal, caller });
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
          return {
            schema: enveloped.schema,
            operationName: params.operationName,
            document,
            variableValues: params.variables,
            contextValue: await enveloped.contextFactory(),
            rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
          };
        } catch (error) {
          logger.error({ err: error }, 'a WebSocket operation failed before it ran');
          return [new GraphQLError(maskedErrors.errorMessage, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })];
        }
      },
    }, config),
    wsServer,
  );

  let stopping: Promise<void> | undefined;
  return {
    engine,
    store,
    pool,
    async start(port = config.port) {
      server.listen(port, config.host);
      await once(server, 'listening');
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const url = `http://${host}:${address.port}`;
      logger.info({ url: `${url}${graphqlPath}`, store: store.kind, workerThreads: pool.threads }, 'async-task-server listening');
      // Recovers executions of a crashed predecessor and claims work that waited in a durable store.
      await engine.startSweeping();
      return { url, port: address.port };
    },
    stop() {
      stopping ??= stopServer();
      return stopping;
    },
  };

  /** Graceful: refuse new work, let running work finish (SHUTDOWN_GRACE_MS), hand back the rest. */
  async function stopServer(): Promise<void> {
    // /ready answers 503 from now on, so load balancers stop sending work here.
    shuttingDown = true;
    // Running executions end first (their subscribers see the final status), then connections close.
    await engine.close(config.shutdownGraceMs);
    // Every stream whose execution ended gets its last events and "complete" before its socket
    // closes: wait (briefly) until the published events are taken and written to the sockets.
    await waitUntil(() => events.delivered(), 1_000);
    await waitUntil(() => [...wsServer.clients].every((socket) => socket.bufferedAmount === 0), 500);
    // The streams still open follow executions that go on elsewhere (handed back on MongoDB) or are
    // tracker feeds: they must not complete, which would tell a client there is nothing more.
    // graphql-ws closes every socket with 1001 Going Away, on which clients reconnect (through the
    // load balancer, to another instance) and resume with afterSequence.
    await wsHandle.dispose();
    server.closeAllConnections();
    events.close();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    // No request comes in any more: the last onFinished hooks (of stops during the drain) finish
    // before the store they use closes.
    await engine.settle();
    await pool.close();
    await store.close();
  }
}

/** Polls `done` until it holds or `timeoutMs` passes (a bounded wait at shutdown, never an error). */
async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** GraphiQL's page itself holds no data: it loads without a token (its requests need one). */
function isGraphiQLPage(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

function sendForbiddenOrigin(res: ServerResponse, reason: string): void {
  res.writeHead(403, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: reason }));
}

function sendUnauthorized(res: ServerResponse): void {
  res.writeHead(401, { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' });
  res.end(JSON.stringify({ error: 'Missing or invalid API token: send "Authorization: Bearer <token>".' }));
}

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}
