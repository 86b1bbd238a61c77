import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { parseApiTokens, sha256, type ApiTokenEntry } from './auth/api-tokens.js';
import { isAcceptableJwksUrl, isLongEnoughSecret, jwtConfigFrom, type JwtConfig } from './auth/jwt-config.js';
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
  // --- JSON Web Tokens of end users, beside the API tokens (README: "JSON Web Tokens (end users)") ---
  /** Shared secret of HS256/HS384/HS512 tokens, its UTF-8 bytes, at least 32 (64 for HS512); not with JWT_JWKS_URL. */
  JWT_SECRET: z.string().refine(isLongEnoughSecret, 'must be at least 32 bytes (e.g. openssl rand -base64 48)').optional(),
  /** The issuer's JSON Web Key Set (RS*, PS*, ES*, EdDSA), fetched and cached; https, or http to loopback only. */
  JWT_JWKS_URL: z.string().refine(isAcceptableJwksUrl, 'must be an https:// URL (http:// only to a loopback host such as 127.0.0.1)').optional(),
  /** The `iss` tokens must carry; required with JWTs when NODE_ENV=production. */
  JWT_ISSUER: z.string().max(1_000).optional(),
  /** The `aud` tokens must carry (one of theirs); required with JWTs when NODE_ENV=production. */
  JWT_AUDIENCE: z.string().max(1_000).optional(),
  /** The claim naming the caller, recorded as `jwt:<value>` (startedBy); default `sub`. */
  JWT_CALLER_CLAIM: z.string().min(1).max(200).default('sub'),
  /** The claim holding the role, a string or a list of strings; default `role`. */
  JWT_ROLE_CLAIM: z.string().min(1).max(200).default('role'),
  /** The role value that makes a caller an admin; any other (or none) is a user. Default `admin`. */
  JWT_ADMIN_ROLE: z.string().min(1).max(200).default('admin'),
  /** Accepted `alg`s, comma-separated; default HS256,HS384,HS512 with a secret, every public-key one with a key set. */
  JWT_ALGORITHMS: z.string().optional(),
  /** How far the issuer's clock may be off when exp, nbf and iat are checked, in ms; default 5000. */
  JWT_CLOCK_TOLERANCE_MS: integer(0, 300_000).default(5_000),
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
  /**
   * How long finished executions are kept, with their events and what their task keeps for them
   * (contracts and their PDFs), in hours; fractions allowed; default 168 (a week). A task's
   * `retention.finishedHours` overrides it.
   */
  RETENTION_HOURS: z.coerce.number().gt(0).max(87_600).default(168),
  /**
   * Embedded store only: most finished executions kept; beyond it the oldest are deleted before
   * their retention ends, so the process's memory stays bounded. Default 10000.
   */
  MAX_FINISHED_EXECUTIONS: integer(1, 10_000_000).default(10_000),
  /**
   * How much feedback text an execution keeps, in bytes (UTF-8); default 64 KiB. Appended lines
   * beyond it drop the oldest; the event log (taskFeedback replay) keeps every message.
   */
  FEEDBACK_TEXT_MAX_BYTES: integer(16 * 1024, 16 * 1024 * 1024).default(64 * 1024),
  /**
   * Most executions of one task a caller may have waiting (QUEUED), for tasks that set no
   * `maxQueuedPerCaller` of their own; unset: only maxQueueLength bounds them.
   */
  MAX_QUEUED_PER_CALLER: integer(1, 1_000_000).optional(),
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
  /**
   * A bearer token for Prometheus scrapers: GET /metrics accepts it (as it does an admin API token)
   * and nothing else does. Kept only as its SHA-256. Ignored when the server runs open (no tokens).
   * No dots: a bearer with dots is taken for a JSON Web Token, and refused if it is none.
   */
  METRICS_TOKEN: z.string().regex(/^[^\s.]{16,1000}$/, 'must be 16-1000 characters, without spaces or dots').optional(),
});

export interface Config {
  /** NODE_ENV is `production`. */
  production: boolean;
  /** Configured API tokens (hashed); empty means the server runs open, for local use only. */
  apiTokens: ApiTokenEntry[];
  /** JSON Web Tokens of end users (JWT_*); null when off. Tokens or JWTs: the server is not open. */
  jwt: JwtConfig | null;
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
  retentionHours: number;
  maxFinishedExecutions: number;
  feedbackTextMaxBytes: number;
  /** null: no server-wide per-caller limit. */
  maxQueuedPerCaller: number | null;
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
  /** METRICS_TOKEN's SHA-256 (the token itself is not kept); null when unset. */
  metricsTokenSha256: string | null;
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
  jwtSecret?: string | null;
  jwtJwksUrl?: string | null;
  jwtIssuer?: string | null;
  jwtAudience?: string | null;
  jwtCallerClaim?: string;
  jwtRoleClaim?: string;
  jwtAdminRole?: string;
  /** JWT_ALGORITHMS: a list, or the comma-separated text. */
  jwtAlgorithms?: string | ReadonlyArray<string>;
  jwtClockToleranceMs?: number;
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
  retentionHours?: number;
  maxFinishedExecutions?: number;
  feedbackTextMaxBytes?: number;
  maxQueuedPerCaller?: number | null;
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
  metricsToken?: string | null;
}

/** The environment variable each setting overrides. */
const settingVariables: Record<Exclude<keyof ServerSettings, 'apiTokens'>, keyof z.input<typeof environmentSchema>> = {
  production: 'NODE_ENV',
  apiTokensFile: 'API_TOKENS_FILE',
  jwtSecret: 'JWT_SECRET',
  jwtJwksUrl: 'JWT_JWKS_URL',
  jwtIssuer: 'JWT_ISSUER',
  jwtAudience: 'JWT_AUDIENCE',
  jwtCallerClaim: 'JWT_CALLER_CLAIM',
  jwtRoleClaim: 'JWT_ROLE_CLAIM',
  jwtAdminRole: 'JWT_ADMIN_ROLE',
  jwtAlgorithms: 'JWT_ALGORITHMS',
  jwtClockToleranceMs: 'JWT_CLOCK_TOLERANCE_MS',
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
  retentionHours: 'RETENTION_HOURS',
  maxFinishedExecutions: 'MAX_FINISHED_EXECUTIONS',
  feedbackTextMaxBytes: 'FEEDBACK_TEXT_MAX_BYTES',
  maxQueuedPerCaller: 'MAX_QUEUED_PER_CALLER',
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
  metricsToken: 'METRICS_TOKEN',
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
  const { env: merged, options } = withSettings(presentVariables(env), settings);
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
  const apiTokens = loadApiTokens(env, settings);
  const production = e.NODE_ENV === 'production';
  const { jwt, problems: jwtProblems } = jwtConfigFrom(e, production);
  if (jwtProblems.length > 0) throw new ConfigError(jwtProblems);
  const open = apiTokens.length === 0 && jwt === null;
  let corsOrigins: string[];
  try {
    corsOrigins = parseCorsOrigins(e.CORS_ORIGINS ?? '', { open });
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  // Node refuses to create a server otherwise (ERR_OUT_OF_RANGE), which would crash at start.
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError([
      `HTTP_HEADERS_TIMEOUT_MS: must be at most HTTP_REQUEST_TIMEOUT_MS (${e.HTTP_REQUEST_TIMEOUT_MS}); got ${e.HTTP_HEADERS_TIMEOUT_MS}`,
    ]);
  }
  if (production && open) {
    throw new ConfigError([
      'NODE_ENV=production needs API tokens: set API_TOKENS ("name:role:token,...") or API_TOKENS_FILE, or JWT_SECRET or JWT_JWKS_URL for JSON Web Tokens. Without them the server is open to anyone.',
    ]);
  }
  return {
    production,
    apiTokens,
    jwt,
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
    retentionHours: e.RETENTION_HOURS,
    maxFinishedExecutions: e.MAX_FINISHED_EXECUTIONS,
    feedbackTextMaxBytes: e.FEEDBACK_TEXT_MAX_BYTES,
    maxQueuedPerCaller: e.MAX_QUEUED_PER_CALLER ?? null,
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
    metricsTokenSha256: e.METRICS_TOKEN === undefined ? null : sha256(e.METRICS_TOKEN),
  };
}

/**
 * The API tokens, read now: API_TOKENS (or createServer's `apiTokens`) and the file API_TOKENS_FILE.
 * loadConfig reads them at start, `reloadTokens` (SIGHUP) again from the same environment and settings.
 * A problem (a ConfigError) names the entry, never the token.
 */
export function loadApiTokens(env: NodeJS.ProcessEnv = process.env, settings: ServerSettings = {}): ApiTokenEntry[] {
  const { env: merged } = withSettings(presentVariables(env), settings);
  try {
    return typeof settings.apiTokens === 'object'
      ? parseApiTokens({ API_TOKENS_FILE: merged.API_TOKENS_FILE }, settings.apiTokens)
      : parseApiTokens({ API_TOKENS: settings.apiTokens ?? merged.API_TOKENS, API_TOKENS_FILE: merged.API_TOKENS_FILE });
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
}

/** Empty values count as unset. */
function presentVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

/** The defaults, for tests and embedding: `{ ...defaultConfig(), port: 0 }`. */
export function defaultConfig(): Config {
  return loadConfig({});
}
