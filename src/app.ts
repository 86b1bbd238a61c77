import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { ExecutionArgs } from 'graphql';
import type { OperationResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga } from 'graphql-yoga';
import { pino, type Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { createAuthenticator } from './auth/api-tokens.js';
import { openAccess, type Principal } from './auth/principal.js';
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
import { handlePlainRoute } from './http-routes.js';
import { acceptRequestBody } from './request-body-limit.js';
import { createTasks } from './tasks.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';
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
  const services = { engine, contracts: store.contracts, contractService: createContractService(store.contracts) };
  const yoga = createYoga<{ principal: Principal }, GraphQLContext>({
    schema: createSchema(),
    graphqlEndpoint: graphqlPath,
    // The caller was authenticated before yoga runs (HTTP handler, WebSocket onConnect).
    context: ({ principal }) => ({ ...services, principal }),
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
  const server: Server = createServer((req, res) => {
    const principal = authenticator.authenticate(req.headers.authorization);
    handlePlainRoute(req, res, { store, contracts: store.contracts, isShuttingDown: () => shuttingDown, principal })
      .then(async (handled) => {
        if (handled) return;
        if (!principal && !isGraphiQLPage(req)) return sendUnauthorized(res);
        if (!(await acceptRequestBody(req, res, config.maxRequestBodyBytes))) return;
        return yoga(req, res, { principal: principal ?? openAccess });
      })
      .catch((error: unknown) => {
        logger.error({ err: error, url: req.url }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'Internal server error' }));
      });
  });

  const wsServer = new WebSocketServer({ server, path: graphqlPath, maxPayload: config.wsMaxPayloadBytes });
  const socketPrincipals = new WeakMap<object, Principal>();
  /** graphql-ws contexts of open sockets: at shutdown, their operations are let finish sending. */
  const openSockets = new Set<{ subscriptions: Record<string, unknown> }>();
  // One context for HTTP and WebSocket: yoga's envelop runs parse, validate and plugins for both.
  const wsHandle = useServer(
    withWebSocketLimits({
      // Tokens travel in connectionParams ({ authorization: "Bearer …" }); a refused socket is
      // closed with 4403 Forbidden by graphql-ws.
      onConnect: (ctx) => {
        const params = ctx.connectionParams ?? {};
        const principal = authenticator.authenticate(String(params.authorization ?? params.Authorization ?? ''));
        if (!principal) return false;
        socketPrincipals.set(ctx.extra.socket, principal);
        openSockets.add(ctx);
        return true;
      },
      onClose: (ctx) => {
        openSockets.delete(ctx);
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const principal = socketPrincipals.get(ctx.extra.socket) ?? openAccess;
        const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params, principal });
        let document;
        try {
          document = enveloped.parse(params.query);
        } catch (error) {
          return [error as never];
        }
        const args = {
          schema: enveloped.schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
        const errors = enveloped.validate(args.schema, args.document);
        return errors.length > 0 ? errors : args;
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
    // Ends every open subscription: each client gets its last events and "complete" before its
    // socket closes (graphql-ws drops an operation from ctx.subscriptions once that is sent).
    events.close();
    await waitUntil(() => [...openSockets].every((socket) => Object.keys(socket.subscriptions).length === 0), 2_000);
    await wsHandle.dispose();
    wsServer.close();
    server.closeAllConnections();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
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

function sendUnauthorized(res: ServerResponse): void {
  res.writeHead(401, { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' });
  res.end(JSON.stringify({ error: 'Missing or invalid API token: send "Authorization: Bearer <token>".' }));
}

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}
