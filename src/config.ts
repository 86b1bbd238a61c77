import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * Every setting of the server: environment variable, default and unit in one place, validated
 * at start. A bad value stops the server with a message that names the variable.
 */
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const environmentSchema = z.object({
  /** `production` turns on the safe defaults of a server other people can reach (see README). */
  NODE_ENV: z.string().default('development'),
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
  /** Most contracts one worker call renders (ContractCreator). */
  CONTRACT_BATCH_SIZE: integer(1, 1000).default(8),
  /** Load the two demo contract groups at start when the store has no groups yet. */
  DEMO_DATA: flag.default(true),
  /** Largest task input accepted by startTask, as JSON, in bytes. */
  MAX_TASK_INPUT_BYTES: integer(2, 16 * 1024 * 1024).default(64 * 1024),
  /** MongoDB connection string; unset means the embedded store. The database is the URL's path. */
  MONGODB_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL').optional(),
  /** Database name, overriding the one in MONGODB_URL (default "async-task-server"). */
  MONGODB_DB: z.string().regex(/^[^/\\. "$]{1,63}$/, 'must be a valid MongoDB database name').optional(),
  /** How long to wait for MongoDB at start before giving up, in ms. */
  MONGODB_CONNECT_TIMEOUT_MS: integer(100, 600_000).default(10_000),
  /** How long a claim holds a running execution before another instance may recover it, in ms. */
  LEASE_MS: integer(200, 24 * 3_600_000).default(30_000),
  /** How often each instance recovers expired leases and picks up waiting work, in ms. */
  SWEEP_MS: integer(50, 3_600_000).default(5_000),
  /** Runs an execution gets in all when its server dies; then it ends FAILED. */
  MAX_ATTEMPTS: integer(1, 100).default(2),
  /** After a stop or timeout, how long a flow may take to notice its signal, in ms. */
  ABORT_GRACE_MS: integer(0, 600_000).default(2_000),
  /** Tracker feed: at most one progress update per execution per this many ms. */
  UPDATES_COALESCE_MS: integer(0, 60_000).default(250),
  /** Events buffered per feedback subscriber before it catches up from the store instead. */
  SUBSCRIBER_BUFFER: integer(1, 1_000_000).default(1_000),
});

export interface Config {
  /** NODE_ENV is `production`. */
  production: boolean;
  port: number;
  host: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  workerThreads: number;
  workerYoungGenerationMb: number;
  contractBatchSize: number;
  demoData: boolean;
  maxTaskInputBytes: number;
  mongodbUrl: string | null;
  mongodbDb: string | null;
  mongodbConnectTimeoutMs: number;
  leaseMs: number;
  sweepMs: number;
  maxAttempts: number;
  abortGraceMs: number;
  updatesCoalesceMs: number;
  subscriberBuffer: number;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from environment variables (empty values count as unset). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  return {
    production: e.NODE_ENV === 'production',
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    workerThreads: e.WORKER_THREADS,
    workerYoungGenerationMb: e.WORKER_YOUNG_GENERATION_MB,
    contractBatchSize: e.CONTRACT_BATCH_SIZE,
    demoData: e.DEMO_DATA,
    maxTaskInputBytes: e.MAX_TASK_INPUT_BYTES,
    mongodbUrl: e.MONGODB_URL ?? null,
    mongodbDb: e.MONGODB_DB ?? null,
    mongodbConnectTimeoutMs: e.MONGODB_CONNECT_TIMEOUT_MS,
    leaseMs: e.LEASE_MS,
    sweepMs: e.SWEEP_MS,
    maxAttempts: e.MAX_ATTEMPTS,
    abortGraceMs: e.ABORT_GRACE_MS,
    updatesCoalesceMs: e.UPDATES_COALESCE_MS,
    subscriberBuffer: e.SUBSCRIBER_BUFFER,
  };
}

/** The defaults, for tests and embedding: `{ ...defaultConfig(), port: 0 }`. */
export function defaultConfig(): Config {
  return loadConfig({});
}
