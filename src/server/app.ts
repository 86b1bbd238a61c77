import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga } from 'graphql-yoga';
import { pino, type Logger } from 'pino';
import type { ApiTokenEntry } from '../auth/api-tokens.js';
import { createAuthenticator } from '../auth/authenticator.js';
import type { Config } from '../config.js';
import { createEngine, type Engine } from '../engine/engine.js';
import { createExecutionEvents } from '../engine/events.js';
import type { AnyTaskDefinition } from '../engine/task-definition.js';
import { createWorkerPool, type WorkerModule, type WorkerPool } from '../engine/worker-pool.js';
import type { GraphQLContext } from '../graphql/builder.js';
import { createFeedbackFanOut } from '../graphql/feedback-fan-out.js';
import { maskedErrors, yogaLogger } from '../graphql/error-masking.js';
import { graphqlLimitPlugins } from '../graphql/limits.js';
import { createSchema } from '../graphql/schema.js';
import { subscriptionExecution } from '../graphql/subscription-execution.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { createCallerCounter } from './caller-limits.js';
import type { ExtensionParts, Route, ServerExtension } from './extension.js';
import { attachGraphQLWebSocket, type ServerContext } from './graphql-websocket.js';
import { createHttpHandler } from './http-handler.js';
import { metricsRoute } from './metrics-route.js';
import { createMetrics } from './metrics.js';
import { createOriginPolicy } from './origin-policy.js';

export const graphqlPath = '/graphql';

export interface AppOptions {
  /** Defaults to the store the configuration names (MongoDB, or the embedded one). */
  store?: Store;
  logger?: Logger;
  tasks?: AnyTaskDefinition[];
  /** Worker modules of the tasks' jobs; an extension's are added to them. */
  workers?: WorkerModule[];
  extensions?: ServerExtension[];
}

export interface App {
  /** Listens on `port` (0 picks a free one; default the configured one); resolves with the base URL. */
  start(port?: number, host?: string): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
  /**
   * Swaps the static API tokens (SIGHUP) and closes, with 4403, the WebSockets of tokens that are
   * gone (or whose name or role changed). Throws, keeping the old tokens, if the server would turn
   * open or closed by it.
   */
  reloadTokens(tokens: ApiTokenEntry[]): { tokens: number; closedSockets: number };
  engine: Engine;
  store: Store;
  pool: WorkerPool;
}

/**
 * Wires the server: store, extensions, worker pool, engine, tasks, GraphQL over HTTP and
 * graphql-ws. Internal: the package's `createServer` (create-server.ts) is the public face.
 */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const store = options.store ?? (await openStore(config));
  // What is open so far, closed in reverse if the server cannot be put together (an extension's
  // setup that throws, a task name used twice, a GraphQL type that clashes): nothing is left
  // running behind the error, no MongoDB connection keeping the process alive.
  const opened: Array<() => Promise<void>> = options.store ? [] : [() => store.close()];
  try {
    return await assemble(config, options, { logger, store, opened });
  } catch (error) {
    for (const close of opened.reverse()) await close().catch((closeError: unknown) => logger.error({ err: closeError }, 'cleanup failed'));
    throw error;
  }
}

async function assemble(
  config: Config,
  options: AppOptions,
  { logger, store, opened }: { logger: Logger; store: Store; opened: Array<() => Promise<void>> },
): Promise<App> {
  const extensions = await setUpExtensions(options.extensions ?? [], { store, config, logger, opened });
  const parts = extensions.map((extension) => extension.parts);

  const pool = createWorkerPool({
    modules: [...(options.workers ?? []), ...parts.flatMap((part) => part.workers ?? [])],
    threads: config.workerThreads,
    resourceLimits: { maxYoungGenerationSizeMb: config.workerYoungGenerationMb, maxOldGenerationSizeMb: config.workerMaxOldGenerationMb },
    niceIncrement: config.workerNice,
  });
  opened.push(() => pool.close());
  const events = createExecutionEvents({ coalesceMs: config.updatesCoalesceMs, maxBuffered: config.subscriberBuffer });
  const tasks = [...(options.tasks ?? []), ...parts.flatMap((part) => part.tasks ?? [])];
  const taskNames = tasks.map((task) => task.name);
  const metrics = createMetrics({
    taskNames: () => taskNames,
    executions: store.executions,
    pool,
    events,
    sharedFeedback: () => services.feedbackFanOut.counts(),
    logger,
  });
  const engine = createEngine(
    { store, pool, events, logger, metrics: metrics.observer },
    {
      ownerId: config.instanceId,
      leaseMs: config.leaseMs,
      abortGraceMs: config.abortGraceMs,
      maxInputBytes: config.maxTaskInputBytes,
      maxInputDepth: config.maxTaskInputDepth,
      sweepMs: config.sweepMs,
      maxAttempts: config.maxAttempts,
      idempotencyWindowMs: config.idempotencyWindowMs,
      maxScheduledExecutions: config.maxScheduledExecutions,
      maxSchedules: config.maxSchedules,
      retentionHours: config.retentionHours,
      feedbackTextMaxBytes: config.feedbackTextMaxBytes,
      maxQueuedPerCaller: config.maxQueuedPerCaller,
      handBackOnShutdown: store.durable,
      clusterEventsLostMs: config.clusterEventsLostMs,
    },
  );
  for (const task of tasks) engine.register(task);

  const authenticator = createAuthenticator(config.apiTokens, config.jwt);
  if (authenticator.open) {
    logger.warn('No API tokens configured: the server is open to anyone who can reach it (no JWT_* either). For local use only.');
  }
  const services = {
    engine,
    subscriptionPlaces: createCallerCounter(config.maxSubscriptionsPerCaller),
    feedbackFanOut: createFeedbackFanOut(engine),
  };
  const originPolicy = createOriginPolicy({ corsOrigins: config.corsOrigins, open: authenticator.open });
  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema: createSchema(extensions.map(({ name, parts: { schema } }) => ({ name, schema }))),
    graphqlEndpoint: graphqlPath,
    // The caller was authenticated before yoga runs (HTTP handler, WebSocket onConnect).
    context: ({ principal, caller, liveDelivery }) => ({ ...services, principal, caller, liveDelivery }),
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
      // Subscriptions in one iterator each, instead of graphql-tools' several (issue 14: memory per idle subscriber).
      subscriptionExecution(),
    ],
    maskedErrors,
    logging: yogaLogger(logger),
  });

  let shuttingDown = false;
  const routes: Route[] = [metricsRoute(metrics, config.metricsTokenSha256), ...parts.flatMap((part) => part.routes ?? [])];
  const server: Server = createHttpServer(
    {
      // A client that trickles its request in is cut off (408) instead of holding a connection open.
      requestTimeout: config.httpRequestTimeoutMs,
      headersTimeout: config.httpHeadersTimeoutMs,
      // How often Node checks those timeouts (default 30 s, which would let a request run 30 s over).
      connectionsCheckingInterval: 1_000,
    },
    createHttpHandler({
      graphqlPath,
      yoga,
      authenticator,
      originPolicy,
      routes,
      store,
      config,
      logger,
      isShuttingDown: () => shuttingDown,
      liveEvents: engine.liveEvents,
    }),
  );
  const websocket = attachGraphQLWebSocket({ server, path: graphqlPath, yoga, authenticator, originPolicy, config, logger });

  let stopping: Promise<void> | undefined;
  /** The one run of stopServer, whether a stop() or a failed start asked for it. */
  let closing: Promise<void> | undefined;
  /** The start in progress: a stop (a SIGTERM right after launch) waits for it, then drains. */
  let starting: Promise<unknown> | undefined;
  return {
    engine,
    store,
    pool,
    start(port = config.port, host = config.host) {
      const started = startServer(port, host);
      starting = started;
      return started;
    },
    stop() {
      stopping ??= (starting ?? Promise.resolve()).then(noop, noop).then(closeOnce);
      return stopping;
    },
    reloadTokens(tokens) {
      authenticator.replaceTokens(tokens);
      return { tokens: tokens.length, closedSockets: websocket.closeSockets((held) => !authenticator.stillAccepts(held), 'Token revoked') };
    },
  };

  async function startServer(port: number, host: string): Promise<{ url: string; port: number }> {
    // A worker module that does not load stops the server here, not at its first job.
    let jobs: string[];
    try {
      jobs = await pool.ready();
    } catch (error) {
      // Through the latch: a stop() after this failed start is then a no-op, as it promises.
      await closeOnce();
      throw new Error(`The worker modules could not be loaded: ${(error as Error).message}`, { cause: error });
    }
    server.listen(port, host);
    await once(server, 'listening');
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${shownHost}:${address.port}`;
    logger.info(
      {
        url: `${url}${graphqlPath}`,
        store: store.kind,
        instance: config.instanceId,
        liveEvents: store.cluster ? `${store.cluster.mechanism} (${store.cluster.reason})` : 'in-process',
        workerThreads: pool.threads,
        tasks: (await engine.tasks()).map((task) => task.name),
        workerJobs: jobs,
        extensions: extensions.map((extension) => extension.name),
      },
      'async-task-server listening',
    );
    // Recovers executions of a crashed predecessor and claims work that waited in a durable store.
    await engine.startSweeping();
    return { url, port: address.port };
  }

  function closeOnce(): Promise<void> {
    closing ??= stopServer();
    return closing;
  }

  /** Graceful: refuse new work, let running work finish (SHUTDOWN_GRACE_MS), hand back the rest. */
  async function stopServer(): Promise<void> {
    // /ready answers 503 from now on, so load balancers stop sending work here.
    shuttingDown = true;
    // Running executions end first (their subscribers see the final status), then connections close.
    await engine.close(config.shutdownGraceMs);
    // Every stream whose execution ended gets its last events and "complete" before its socket
    // closes: wait (briefly) until the published events are taken and written to the sockets.
    await waitUntil(() => events.delivered(), 1_000);
    // A stream that has just ended (its terminal event sent as a shared frame, graphql/feedback-fan-out.ts)
    // reaches graphql-ws's `complete` through a chain of promise callbacks: one turn of the event
    // loop lets them all run, so the complete is written before its socket closes.
    await new Promise((resolve) => setImmediate(resolve));
    await waitUntil(() => websocket.buffered() === 0, 500);
    // The streams still open follow executions that go on elsewhere (handed back on MongoDB) or are
    // tracker feeds: they must not complete, which would tell a client there is nothing more.
    // graphql-ws closes every socket with 1001 Going Away, on which clients reconnect (through the
    // load balancer, to another instance) and resume with afterSequence.
    await websocket.dispose();
    server.closeAllConnections();
    events.close();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    // No request comes in any more: the last onFinished hooks (of stops during the drain) finish
    // before the store they use closes.
    await engine.settle();
    // Last set up, first closed: an extension may rely on one before it.
    for (const part of [...parts].reverse()) {
      await Promise.resolve()
        .then(() => part.close?.())
        .catch((error: unknown) => logger.error({ err: error }, 'an extension failed to close'));
    }
    await pool.close();
    await store.close();
  }
}

/** Runs each extension's setup, in order; names must be unique. */
async function setUpExtensions(
  extensions: ServerExtension[],
  deps: { store: Store; config: Config; logger: Logger; opened: Array<() => Promise<void>> },
): Promise<Array<{ name: string; parts: ExtensionParts }>> {
  const names = new Set<string>();
  const setUp: Array<{ name: string; parts: ExtensionParts }> = [];
  for (const extension of extensions) {
    if (names.has(extension.name)) throw new Error(`Two extensions are named "${extension.name}"`);
    names.add(extension.name);
    const storage = deps.store.database ? { kind: 'mongodb' as const, database: deps.store.database } : { kind: 'memory' as const };
    const parts = await extension.setup({ storage, config: deps.config, logger: deps.logger.child({ extension: extension.name }) });
    setUp.push({ name: extension.name, parts });
    if (parts.close) deps.opened.push(async () => parts.close?.());
  }
  return setUp;
}

function noop(): void {}

/** Polls `done` until it holds or `timeoutMs` passes (a bounded wait at shutdown, never an error). */
async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}
