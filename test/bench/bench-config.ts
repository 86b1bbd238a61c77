import { loadConfig, type Config } from '../../src/config.js';

/**
 * The server settings the benchmarks run with: the environment's (so `WORKER_THREADS=4 npm run
 * bench` measures that), except what a benchmark must control: a free loopback port, no logs,
 * the embedded store, no API tokens (the load generators send none).
 */
export function benchConfig(): Config {
  return {
    ...loadConfig(process.env),
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    mongodbUrl: null,
    apiTokens: [],
    production: false,
  };
}

/** The settings that shape the figures, for the JSON report (never the tokens). */
export function reportedConfig(config: Config = benchConfig()): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).filter(([key]) => /^(worker|contract|updates|subscriber)/.test(key)),
  );
}
