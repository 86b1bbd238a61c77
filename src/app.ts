import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { ExecutionArgs } from 'graphql';
import type { OperationResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga } from 'graphql-yoga';
import { pino, type Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { Config } from './config.js';
import { createContractService } from './contracts/contract-service.js';
import { loadDemoData } from './contracts/demo-data-loader.js';
import { createEngine, type Engine } from './engine/engine.js';
import { createExecutionEvents } from './engine/events.js';
import type { AnyTaskDefinition } from './engine/task-definition.js';
import { createWorkerPool, type WorkerPool } from './engine/worker-pool.js';
import type { GraphQLContext } from './graphql/builder.js';
import { createSchema } from './graphql/schema.js';
import { handlePlainRoute } from './http-routes.js';
import { createTasks } from './tasks.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

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
    resourceLimits: { maxYoungGenerationSizeMb: config.workerYoungGenerationMb },
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

  const services: GraphQLContext = { engine, contracts: store.contracts, contractService: createContractService(store.contracts) };
  const yoga = createYoga<Record<string, unknown>, GraphQLContext>({
    schema: createSchema(),
    graphqlEndpoint: graphqlPath,
    context: () => services,
    graphiql: { subscriptionsProtocol: 'WS', title: 'async-task-server' },
    // Self-contained GraphiQL: the default page loads from a CDN, which offline networks cannot reach.
    renderGraphiQL,
    logging: {
      debug: (...args) => logger.debug(args),
      info: (...args) => logger.info(args),
      warn: (...args) => logger.warn(args),
      error: (...args) => logger.error(args),
    },
  });

  let shuttingDown = false;
  const server: Server = createServer((req, res) => {
    handlePlainRoute(req, res, { store, contracts: store.contracts, isShuttingDown: () => shuttingDown })
      .then((handled) => (handled ? undefined : yoga(req, res)))
      .catch((error: unknown) => {
        logger.error({ err: error, url: req.url }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'Internal server error' }));
      });
  });

  const wsServer = new WebSocketServer({ server, path: graphqlPath });
  // One context for HTTP and WebSocket: yoga's envelop runs parse, validate and plugins for both.
  const wsHandle = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params });
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
    },
    wsServer,
  );

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
    async stop() {
      shuttingDown = true;
      // Running executions end first (their subscribers see the final status), then connections close.
      await engine.close();
      events.close();
      await wsHandle.dispose();
      wsServer.close();
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
      await store.close();
    },
  };
}

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}
