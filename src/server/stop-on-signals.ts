import type { Logger } from 'pino';
import type { AsyncTaskServer } from './create-server.js';

/**
 * For the processes that own a server (`npm start`, the CLI): SIGTERM and SIGINT stop it
 * gracefully and end the process (0, or 1 when the stop failed).
 *
 * Listeners for every signal, not `once`: after the first, Node's default action (exit at once)
 * would be back, and a second SIGTERM from an impatient supervisor, or Ctrl+C pressed twice,
 * would kill the drain: running work neither finished nor handed back, live streams cut.
 */
export function stopOnSignals(server: AsyncTaskServer, logger: Logger): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.info({ signal }, 'already shutting down; the drain goes on');
      return;
    }
    stopping = true;
    const { shutdownGraceMs, abortGraceMs } = server.config;
    logger.info({ signal, graceMs: shutdownGraceMs }, 'shutting down');
    // A backstop for a drain that cannot finish (a database that stopped answering mid-way): the
    // process still ends, and whatever it could not hand back is recovered through its leases.
    const backstopMs = shutdownGraceMs + abortGraceMs + 5_000;
    setTimeout(() => {
      logger.error({ backstopMs }, 'the shutdown did not finish in time; exiting anyway');
      process.exit(1);
    }, backstopMs).unref();
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
