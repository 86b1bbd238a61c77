import { loadConfig, type Config } from '../../src/config.js';
import { loadContractSettings } from '../../src/contracts/contract-settings.js';

/**
 * The server settings the benchmarks run with: the environment's (so `WORKER_THREADS=4 npm run
 * bench` measures that), except what a benchmark must control: a free loopback port, no logs,
 * the embedded store, no API tokens (the load generators send none), no per-caller caps.
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
    // One load generator on one address opens every socket and subscription of a scenario:
    // the per-caller caps (which count them as one caller) would refuse most of them.
    wsMaxSocketsPerCaller: 1_000_000,
    maxSubscriptionsPerCaller: 1_000_000,
  };
}

/** The settings that shape the figures, for the JSON report (never the tokens). */
export function reportedConfig(config: Config = benchConfig()): Record<string, unknown> {
  const contracts = loadContractSettings(process.env);
  return {
    ...Object.fromEntries(Object.entries(config).filter(([key]) => /^(worker|updates|subscriber)/.test(key))),
    contractBatchSize: contracts.batchSize,
    contractFontFiles: contracts.fontFiles,
  };
}
