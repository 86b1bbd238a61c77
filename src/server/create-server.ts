import { pino, type Logger } from 'pino';
import { ConfigError, loadApiTokens, loadConfig, type Config, type ServerSettings } from '../config.js';
import type { AnyTaskDefinition } from '../engine/task-definition.js';
import type { WorkerModule } from '../engine/worker-pool.js';
import { createApp } from './app.js';
import type { ServerExtension } from './extension.js';

export interface ServerOptions extends ServerSettings {
  /** The tasks this server runs (`defineTask`). */
  tasks?: AnyTaskDefinition[];
  /**
   * The worker module(s) whose named function exports are the jobs `ctx.runInWorker(name, …)`
   * runs: URLs (`new URL('./jobs.js', import.meta.url)`) or file paths. Several are combined into
   * one pool; a job name may be exported by one module only.
   */
  workers?: WorkerModule | WorkerModule[];
  /** Extensions: GraphQL types, routes, data and tasks of their own (see ServerExtension). */
  extensions?: ServerExtension[];
  /** Where settings not given here are read from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The logger; default a pino logger at `logLevel` (LOG_LEVEL) writing JSON to stdout. */
  logger?: Logger;
}

export interface AsyncTaskServer {
  /**
   * Listens (HTTP, WebSocket, GraphQL at /graphql) and starts the work: recovery of executions a
   * dead predecessor left, queued work in a durable store. Port and host default to the settings
   * (PORT, HOST); port 0 picks a free one.
   */
  start(options?: { port?: number; host?: string }): Promise<{ url: string; port: number }>;
  /**
   * Graceful stop: refuses new starts, gives running executions `shutdownGraceMs` to finish, hands
   * the rest back (MongoDB) or fails them (embedded store), completes or closes subscriptions.
   * Safe to call more than once.
   */
  stop(): Promise<void>;
  /**
   * Reads the API tokens again (API_TOKENS_FILE, beside API_TOKENS or the `apiTokens` given) and
   * swaps them in; WebSockets of tokens that are gone are closed with 4403. What SIGHUP does under
   * `reloadTokensOnHangup`. A bad file throws (a ConfigError naming the entry, never the token) and
   * the old tokens stay. `config.apiTokens` keeps the tokens of the start.
   */
  reloadTokens(): { tokens: number; closedSockets: number };
  /** The resolved settings. */
  readonly config: Config;
  /** The server's logger (the one given, or its own). */
  readonly logger: Logger;
}

/**
 * The async-task server for your tasks: `createServer({ tasks, workers })`, then `start()`.
 * Settings come from the environment (the README's table) unless given here; they are checked
 * now, and a bad one throws a ConfigError that names it. The store is opened now as well.
 */
export async function createServer(options: ServerOptions = {}): Promise<AsyncTaskServer> {
  const { tasks, workers, extensions, env, logger, ...settings } = options;
  const config = loadConfig(env ?? process.env, settings);
  const log = logger ?? pino({ level: config.logLevel });
  const app = await createApp(config, {
    logger: log,
    tasks: tasks ?? [],
    workers: workers === undefined ? [] : Array.isArray(workers) ? workers : [workers],
    extensions: extensions ?? [],
  });
  return {
    config,
    logger: log,
    start: (startOptions = {}) => {
      // Checked as PORT and HOST are: an empty host would listen on every interface.
      const { port, host } = startOptions;
      const problems: string[] = [];
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) problems.push(`port: must be a port number from 0 to 65535 (got ${port})`);
      if (host !== undefined && (typeof host !== 'string' || host.trim() === '')) problems.push('host: must be an address, such as 127.0.0.1 or 0.0.0.0');
      if (problems.length > 0) return Promise.reject(new ConfigError(problems));
      return app.start(port, host);
    },
    stop: () => app.stop(),
    reloadTokens: () => app.reloadTokens(loadApiTokens(env ?? process.env, settings)),
  };
}
