import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { parseApiTokens, type ApiTokenEntry } from './auth/api-tokens.js';
import { parseCorsOrigins } from './server/origin-policy.js';
import type { ClusterEventsSetting } from './store/mongo-cluster-feed.js';

/**
 * Every setting of the server: environment variable, default and unit in one place, validated
 * at start. A bad value stops the server with a message that names the variable.
 */
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const environmentSchema = z.object({
  /** `production` turns on the safe defaults of a server other people can reach (see README). */
  NODE_ENV: z.string().default('development'),
  /** API tokens as "name:role:token" entries separated by commas (role: user or admin). */
  API_TOKENS: z.string().optional(),
  /** A JSON file of API tokens: [{ "name", "role", "token" }]. */
  API_TOKENS_FILE: z.string().optional(),
  /**
   * On SIGTERM, how long running executions may take to finish before they are handed back, in ms.
   * The whole drain takes at most this + ABORT_GRACE_MS + about a second (README: Shutdown); the
   * default keeps it well inside the 10 s a container runtime waits before it sends SIGKILL.
   */
  SHUTDOWN_GRACE_MS: integer(0, 3_600_000).default(5_000),
  /** TCP port for HTTP and WebSocket. 0 picks a free one. */
  PORT: integer(0, 65_535).default(4000),
  /** Listen address. Loopback by default; set 0.0.0.0 to expose the server. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Worker threads in the shared pool; defaults to the available cores. */
  WORKER_THREADS: integer(1, 256).default(availableParallelism()),
  /**
   * Young-generation size of each worker thread, in MiB. Rendering allocates heavily; a larger
   * young generation means fewer scavenges, which is what lets two threads scale on two cores.
   */
  WORKER_YOUNG_GENERATION_MB: integer(1, 1024).default(64),
  /**
   * Heap limit of each worker thread (V8 old generation), in MiB; default 512. A job that goes
   * over it fails its execution with OUT_OF_MEMORY and its thread is replaced, instead of the
   * whole server running out of memory. A thread needs about 12 MiB just to start, hence the floor.
   */
  WORKER_MAX_OLD_GENERATION_MB: integer(32, 65_536).default(512),
  /**
   * How much lower the worker threads' CPU priority is than the event loop's (a nice increment,
   * 0-19; Linux and macOS). With every core rendering, an event loop at the same priority waits
   * for a render thread's time slice before it can answer: 10 lets it in at once, and the renders
   * lose only what the loop actually uses. 0 turns it off.
   */
  WORKER_NICE: integer(0, 19).default(10),
  /** Largest task input accepted by startTask, as JSON, in bytes. */
  MAX_TASK_INPUT_BYTES: integer(2, 16 * 1024 * 1024).default(64 * 1024),
  /** Deepest nesting of objects and arrays in a task input (the input itself is level 1). */
  MAX_TASK_INPUT_DEPTH: integer(1, 1_000).default(32),
  /** MongoDB connection string; unset means the embedded store. The database is the URL's path. */
  MONGODB_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL').optional(),
  /** Database name, overriding the one in MONGODB_URL (default "async-task-server"). */
  MONGODB_DB: z.string().regex(/^[^/\\. "$]{1,63}$/, 'must be a valid MongoDB database name').optional(),
  /** How long to wait for MongoDB at start before giving up, in ms. */
  MONGODB_CONNECT_TIMEOUT_MS: integer(100, 600_000).default(10_000),
  /**
   * Once running: how long an operation waits for a reachable MongoDB server before it fails
   * with StoreUnavailable, in ms. Short, so clients get a typed answer fast while the database is down.
   */
  MONGODB_OPERATION_TIMEOUT_MS: integer(100, 600_000).default(2_000),
  /**
   * How instances on one MongoDB database learn of each other's writes (README: Several instances):
   * `change-stream` (replica sets and sharded clusters), `polling` (any server, standalone
   * included), or `auto` (change streams where the deployment offers them, else polling).
   */
  CLUSTER_EVENTS: z.enum(['auto', 'change-stream', 'polling']).default('auto'),
  /** With polling: how often each instance reads what changed, in ms (its latency and its database load). */
  CLUSTER_POLL_MS: integer(10, 60_000).default(200),
  /**
   * How long the cluster's event source may be unreachable before live streams end with
   * EVENTS_UNAVAILABLE (clients subscribe again) instead of waiting for events that may never come, in ms.
   */
  CLUSTER_EVENTS_LOST_MS: integer(100, 3_600_000).default(10_000),
  /**
   * This instance's name: the owner recorded on the executions it runs, and in its log. Must be
   * unique among the instances on one database; default host name, process id and a random suffix.
   */
  INSTANCE_ID: z.string().regex(/^[\w.:@-]{1,200}$/, 'must be 1-200 letters, digits or . : @ _ -').optional(),
  /** How long a claim holds a running execution before another instance may recover it, in ms. */
  LEASE_MS: integer(200, 24 * 3_600_000).default(30_000),
  /** How often each instance recovers expired leases and picks up waiting work, in ms. */
  SWEEP_MS: integer(50, 3_600_000).default(5_000),
  /** Runs an execution gets in all when its server dies; then it ends FAILED. */
  MAX_ATTEMPTS: integer(1, 100).default(2),
  /**
   * How long an idempotency key of startTask names its first execution, in ms; default a day.
   * Within it a start with the same key (same task and caller) returns that execution.
   */
  IDEMPOTENCY_WINDOW_MS: integer(1_000, 366 * 24 * 3_600_000).default(24 * 3_600_000),
  /** Most SCHEDULED executions (delayed starts and retries waiting their backoff) per task; default 10000. */
  MAX_SCHEDULED_EXECUTIONS: integer(1, 10_000_000).default(10_000),
  /** Most cron schedules in all; default 1000. */
  MAX_SCHEDULES: integer(1, 1_000_000).default(1_000),
  /** After a stop or timeout, how long a flow may take to notice its signal, in ms. */
  ABORT_GRACE_MS: integer(0, 600_000).default(2_000),
  /** Tracker feed: at most one progress update per execution per this many ms. */
  UPDATES_COALESCE_MS: integer(0, 60_000).default(250),
  /** Events buffered per feedback subscriber before it catches up from the store instead. */
  SUBSCRIBER_BUFFER: integer(1, 1_000_000).default(1_000),

  // --- Limits on what a client may send (README: "Running in production → Limits") ---
  /**
   * Largest HTTP request body, in bytes; default 1 MiB. A larger one is refused with 413 before
   * it is parsed. Keep it well above MAX_TASK_INPUT_BYTES, so an oversized task input still gets
   * startTask's typed answer.
   */
  MAX_REQUEST_BODY_BYTES: integer(1024, 64 * 1024 * 1024).default(1024 * 1024),
  /** Most tokens (names, punctuation, values) in one GraphQL document; default 1000. */
  GRAPHQL_MAX_TOKENS: integer(50, 100_000).default(1_000),
  /** Deepest field nesting of an operation, fragments flattened; default 7. */
  GRAPHQL_MAX_DEPTH: integer(2, 100).default(7),
  /** Most aliased fields in one operation; default 10. */
  GRAPHQL_MAX_ALIASES: integer(0, 1_000).default(10),
  /**
   * Highest GraphQL Armor cost of one operation; default 50000. Each field costs 1 (2 with a
   * selection), times 1.5 per level of nesting, times a literal `first` argument.
   */
  GRAPHQL_MAX_COST: integer(10, 100_000_000).default(50_000),
  /** Answer introspection (`__schema`, `__type`) and field suggestions; default on, off when NODE_ENV=production. */
  GRAPHQL_INTROSPECTION: flag.optional(),
  /** Serve GraphiQL at /graphql to browsers; default on, off when NODE_ENV=production. */
  GRAPHIQL: flag.optional(),
  /** Largest WebSocket message, in bytes; default 1 MiB. A larger one closes the socket with 1009. */
  WS_MAX_PAYLOAD_BYTES: integer(1024, 64 * 1024 * 1024).default(1024 * 1024),
  /** Most operations (subscriptions, queries, mutations) running at once on one WebSocket; default 100. */
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: integer(1, 10_000).default(100),
  /** How long a new WebSocket may take to send connection_init, in ms; default 3000. Then it is closed with 4408. */
  WS_CONNECTION_INIT_TIMEOUT_MS: integer(100, 600_000).default(3_000),
  /** Most WebSockets one caller (API token; in open mode, remote address) may hold open; default 50. */
  WS_MAX_SOCKETS_PER_CALLER: integer(1, 1_000_000).default(50),
  /** Most subscriptions one caller may hold open over WebSocket and server-sent events together; default 500. */
  MAX_SUBSCRIPTIONS_PER_CALLER: integer(1, 1_000_000).default(500),
  /** How long a client may take to send a whole HTTP request (headers and body), in ms; default 15000. Then 408. */
  HTTP_REQUEST_TIMEOUT_MS: integer(1_000, 3_600_000).default(15_000),
  /** How long a client may take to send the headers of an HTTP request, in ms; default 10000. */
  HTTP_HEADERS_TIMEOUT_MS: integer(1_000, 3_600_000).default(10_000),
  /**
   * Web origins besides the server's own that browsers may call it from (CORS and WebSocket), as
   * a comma-separated list such as "https://app.example.com,http://localhost:5173". Default: none,
   * so only pages served by the server itself. Without API tokens only loopback origins are allowed.
   */
  CORS_ORIGINS: z.string().optional(),
});

export interface Config {
  /** NODE_ENV is `production`. */
  production: boolean;
  /** Configured API tokens (hashed); empty means the server runs open, for local use only. */
  apiTokens: ApiTokenEntry[];
  shutdownGraceMs: number;
  port: number;
  host: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  workerThreads: number;
  workerYoungGenerationMb: number;
  workerMaxOldGenerationMb: number;
  workerNice: number;
  maxTaskInputBytes: number;
  maxTaskInputDepth: number;
  mongodbUrl: string | null;
  mongodbDb: string | null;
  mongodbConnectTimeoutMs: number;
  mongodbOperationTimeoutMs: number;
  clusterEvents: ClusterEventsSetting;
  clusterPollMs: number;
  clusterEventsLostMs: number;
  instanceId: string;
  leaseMs: number;
  sweepMs: number;
  maxAttempts: number;
  idempotencyWindowMs: number;
  maxScheduledExecutions: number;
  maxSchedules: number;
  abortGraceMs: number;
  updatesCoalesceMs: number;
  subscriberBuffer: number;
  // Limits on what a client may send: see the environment variables above for units and defaults.
  maxRequestBodyBytes: number;
  graphqlMaxTokens: number;
  graphqlMaxDepth: number;
  graphqlMaxAliases: number;
  graphqlMaxCost: number;
  graphqlIntrospection: boolean;
  graphiql: boolean;
  wsMaxPayloadBytes: number;
  wsMaxSubscriptionsPerSocket: number;
  wsConnectionInitTimeoutMs: number;
  wsMaxSocketsPerCaller: number;
  maxSubscriptionsPerCaller: number;
  httpRequestTimeoutMs: number;
  httpHeadersTimeoutMs: number;
  /** Origins allowed besides the server's own, normalised (`scheme://host[:port]`). */
  corsOrigins: string[];
}

/**
 * The settings as options of `createServer`: each one overrides its environment variable (given
 * here in brackets in the README's table; units and defaults are those of the variables above),
 * and is validated by the same rules. `null` for a string setting means "unset", whatever the
 * environment says (`mongodbUrl: null` runs on the embedded store).
 */
export interface ServerSettings {
  /** NODE_ENV=production: tokens required, GraphiQL and introspection off by default. */
  production?: boolean;
  /** API tokens: `"name:role:token,…"` as in API_TOKENS, or a list of `{ name, role, token }`. */
  apiTokens?: string | ReadonlyArray<{ name: string; role: 'user' | 'admin'; token: string }>;
  apiTokensFile?: string | null;
  shutdownGraceMs?: number;
  port?: number;
  host?: string;
  logLevel?: Config['logLevel'];
  workerThreads?: number;
  workerYoungGenerationMb?: number;
  workerMaxOldGenerationMb?: number;
  workerNice?: number;
  maxTaskInputBytes?: number;
  maxTaskInputDepth?: number;
  mongodbUrl?: string | null;
  mongodbDb?: string | null;
  mongodbConnectTimeoutMs?: number;
  mongodbOperationTimeoutMs?: number;
  clusterEvents?: ClusterEventsSetting;
  clusterPollMs?: number;
  clusterEventsLostMs?: number;
  instanceId?: string;
  leaseMs?: number;
  sweepMs?: number;
  maxAttempts?: number;
  idempotencyWindowMs?: number;
  maxScheduledExecutions?: number;
  maxSchedules?: number;
  abortGraceMs?: number;
  updatesCoalesceMs?: number;
  subscriberBuffer?: number;
  maxRequestBodyBytes?: number;
  graphqlMaxTokens?: number;
  graphqlMaxDepth?: number;
  graphqlMaxAliases?: number;
  graphqlMaxCost?: number;
  graphqlIntrospection?: boolean;
  graphiql?: boolean;
  wsMaxPayloadBytes?: number;
  wsMaxSubscriptionsPerSocket?: number;
  wsConnectionInitTimeoutMs?: number;
  wsMaxSocketsPerCaller?: number;
  maxSubscriptionsPerCaller?: number;
  httpRequestTimeoutMs?: number;
  httpHeadersTimeoutMs?: number;
  /** CORS_ORIGINS: a list, or the comma-separated text. */
  corsOrigins?: string | ReadonlyArray<string>;
}

/** The environment variable each setting overrides. */
const settingVariables: Record<Exclude<keyof ServerSettings, 'apiTokens'>, keyof z.input<typeof environmentSchema>> = {
  production: 'NODE_ENV',
  apiTokensFile: 'API_TOKENS_FILE',
  shutdownGraceMs: 'SHUTDOWN_GRACE_MS',
  port: 'PORT',
  host: 'HOST',
  logLevel: 'LOG_LEVEL',
  workerThreads: 'WORKER_THREADS',
  workerYoungGenerationMb: 'WORKER_YOUNG_GENERATION_MB',
  workerMaxOldGenerationMb: 'WORKER_MAX_OLD_GENERATION_MB',
  workerNice: 'WORKER_NICE',
  maxTaskInputBytes: 'MAX_TASK_INPUT_BYTES',
  maxTaskInputDepth: 'MAX_TASK_INPUT_DEPTH',
  mongodbUrl: 'MONGODB_URL',
  mongodbDb: 'MONGODB_DB',
  mongodbConnectTimeoutMs: 'MONGODB_CONNECT_TIMEOUT_MS',
  mongodbOperationTimeoutMs: 'MONGODB_OPERATION_TIMEOUT_MS',
  clusterEvents: 'CLUSTER_EVENTS',
  clusterPollMs: 'CLUSTER_POLL_MS',
  clusterEventsLostMs: 'CLUSTER_EVENTS_LOST_MS',
  instanceId: 'INSTANCE_ID',
  leaseMs: 'LEASE_MS',
  sweepMs: 'SWEEP_MS',
  maxAttempts: 'MAX_ATTEMPTS',
  idempotencyWindowMs: 'IDEMPOTENCY_WINDOW_MS',
  maxScheduledExecutions: 'MAX_SCHEDULED_EXECUTIONS',
  maxSchedules: 'MAX_SCHEDULES',
  abortGraceMs: 'ABORT_GRACE_MS',
  updatesCoalesceMs: 'UPDATES_COALESCE_MS',
  subscriberBuffer: 'SUBSCRIBER_BUFFER',
  maxRequestBodyBytes: 'MAX_REQUEST_BODY_BYTES',
  graphqlMaxTokens: 'GRAPHQL_MAX_TOKENS',
  graphqlMaxDepth: 'GRAPHQL_MAX_DEPTH',
  graphqlMaxAliases: 'GRAPHQL_MAX_ALIASES',
  graphqlMaxCost: 'GRAPHQL_MAX_COST',
  graphqlIntrospection: 'GRAPHQL_INTROSPECTION',
  graphiql: 'GRAPHIQL',
  wsMaxPayloadBytes: 'WS_MAX_PAYLOAD_BYTES',
  wsMaxSubscriptionsPerSocket: 'WS_MAX_SUBSCRIPTIONS_PER_SOCKET',
  wsConnectionInitTimeoutMs: 'WS_CONNECTION_INIT_TIMEOUT_MS',
  wsMaxSocketsPerCaller: 'WS_MAX_SOCKETS_PER_CALLER',
  maxSubscriptionsPerCaller: 'MAX_SUBSCRIPTIONS_PER_CALLER',
  httpRequestTimeoutMs: 'HTTP_REQUEST_TIMEOUT_MS',
  httpHeadersTimeoutMs: 'HTTP_HEADERS_TIMEOUT_MS',
  corsOrigins: 'CORS_ORIGINS',
};

/**
 * The environment with the settings written over it, as the variables' text: one set of rules
 * validates both. A problem names the option as well as the variable.
 */
function withSettings(env: Record<string, string>, settings: ServerSettings): { env: Record<string, string>; options: Map<string, string> } {
  const merged = { ...env };
  const options = new Map<string, string>();
  for (const [option, variable] of Object.entries(settingVariables) as Array<[keyof typeof settingVariables, string]>) {
    const value = settings[option];
    if (value === undefined) continue;
    options.set(variable, option);
    if (value === null) {
      delete merged[variable];
    } else if (option === 'production') {
      merged[variable] = value ? 'production' : 'development';
    } else if (Array.isArray(value)) {
      merged[variable] = value.join(',');
    } else {
      merged[variable] = String(value);
    }
  }
  return { env: merged, options };
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the configuration from environment variables (empty values count as unset), with
 * `settings` (createServer's options) over them.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, settings: ServerSettings = {}): Config {
  const present = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
  const { env: merged, options } = withSettings(present, settings);
  const parsed = environmentSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = issue.path.join('.');
        const option = options.get(variable);
        return `${option ? `${option} (${variable})` : variable}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  let apiTokens: ApiTokenEntry[];
  try {
    apiTokens =
      typeof settings.apiTokens === 'object'
        ? parseApiTokens({ API_TOKENS_FILE: e.API_TOKENS_FILE }, settings.apiTokens)
        : parseApiTokens({ ...e, API_TOKENS: settings.apiTokens ?? e.API_TOKENS });
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  const production = e.NODE_ENV === 'production';
  let corsOrigins: string[];
  try {
    corsOrigins = parseCorsOrigins(e.CORS_ORIGINS ?? '', { open: apiTokens.length === 0 });
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  // Node refuses to create a server otherwise (ERR_OUT_OF_RANGE), which would crash at start.
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError([
      `HTTP_HEADERS_TIMEOUT_MS: must be at most HTTP_REQUEST_TIMEOUT_MS (${e.HTTP_REQUEST_TIMEOUT_MS}); got ${e.HTTP_HEADERS_TIMEOUT_MS}`,
    ]);
  }
  if (production && apiTokens.length === 0) {
    throw new ConfigError([
      'NODE_ENV=production needs API tokens: set API_TOKENS ("name:role:token,...") or API_TOKENS_FILE. Without tokens the server is open to anyone.',
    ]);
  }
  return {
    production,
    apiTokens,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    workerThreads: e.WORKER_THREADS,
    workerYoungGenerationMb: e.WORKER_YOUNG_GENERATION_MB,
    workerMaxOldGenerationMb: e.WORKER_MAX_OLD_GENERATION_MB,
    workerNice: e.WORKER_NICE,
    maxTaskInputBytes: e.MAX_TASK_INPUT_BYTES,
    maxTaskInputDepth: e.MAX_TASK_INPUT_DEPTH,
    mongodbUrl: e.MONGODB_URL ?? null,
    mongodbDb: e.MONGODB_DB ?? null,
    mongodbConnectTimeoutMs: e.MONGODB_CONNECT_TIMEOUT_MS,
    mongodbOperationTimeoutMs: e.MONGODB_OPERATION_TIMEOUT_MS,
    clusterEvents: e.CLUSTER_EVENTS,
    clusterPollMs: e.CLUSTER_POLL_MS,
    clusterEventsLostMs: e.CLUSTER_EVENTS_LOST_MS,
    instanceId: e.INSTANCE_ID ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    leaseMs: e.LEASE_MS,
    sweepMs: e.SWEEP_MS,
    maxAttempts: e.MAX_ATTEMPTS,
    idempotencyWindowMs: e.IDEMPOTENCY_WINDOW_MS,
    maxScheduledExecutions: e.MAX_SCHEDULED_EXECUTIONS,
    maxSchedules: e.MAX_SCHEDULES,
    abortGraceMs: e.ABORT_GRACE_MS,
    updatesCoalesceMs: e.UPDATES_COALESCE_MS,
    subscriberBuffer: e.SUBSCRIBER_BUFFER,
    maxRequestBodyBytes: e.MAX_REQUEST_BODY_BYTES,
    graphqlMaxTokens: e.GRAPHQL_MAX_TOKENS,
    graphqlMaxDepth: e.GRAPHQL_MAX_DEPTH,
    graphqlMaxAliases: e.GRAPHQL_MAX_ALIASES,
    graphqlMaxCost: e.GRAPHQL_MAX_COST,
    graphqlIntrospection: e.GRAPHQL_INTROSPECTION ?? !production,
    graphiql: e.GRAPHIQL ?? !production,
    wsMaxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
    wsMaxSubscriptionsPerSocket: e.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
    wsConnectionInitTimeoutMs: e.WS_CONNECTION_INIT_TIMEOUT_MS,
    wsMaxSocketsPerCaller: e.WS_MAX_SOCKETS_PER_CALLER,
    maxSubscriptionsPerCaller: e.MAX_SUBSCRIPTIONS_PER_CALLER,
    httpRequestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    httpHeadersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
    corsOrigins,
  };
}

/** The defaults, for tests and embedding: `{ ...defaultConfig(), port: 0 }`. */
export function defaultConfig(): Config {
  return loadConfig({});
}
