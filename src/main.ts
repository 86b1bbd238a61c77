/** Wiring only: configuration → app → listen; SIGTERM/SIGINT stop it cleanly. */
import { pino } from 'pino';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

const logger = pino({ level: config.logLevel });
try {
  const app = await createApp(config, { logger });
  await app.start();
  let stopping = false;
  // Listeners for every signal, not `once`: after the first, Node's default action (exit at once)
  // would be back, and a second SIGTERM from an impatient supervisor, or Ctrl+C pressed twice,
  // would kill the drain: running work neither finished nor handed back, live streams cut.
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.info({ signal }, 'already shutting down; the drain goes on');
      return;
    }
    stopping = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down');
    // A backstop for a drain that cannot finish (a database that stopped answering mid-way): the
    // process still ends, and whatever it could not hand back is recovered through its leases.
    const backstopMs = config.shutdownGraceMs + config.abortGraceMs + 5_000;
    setTimeout(() => {
      logger.error({ backstopMs }, 'the shutdown did not finish in time; exiting anyway');
      process.exit(1);
    }, backstopMs).unref();
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  logger.fatal({ err: error }, `the server could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
