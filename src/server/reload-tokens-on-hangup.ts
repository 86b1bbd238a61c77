import type { Logger } from 'pino';
import type { AsyncTaskServer } from './create-server.js';

/**
 * For the processes that own a server (`npm start`, the CLI): SIGHUP reloads the API tokens
 * (API_TOKENS_FILE) without a restart, instead of Node's default of ending the process. A file
 * that does not parse or validate keeps the old tokens; the log names the problem (the entry and
 * what is wrong with it), never a token.
 */
export function reloadTokensOnHangup(server: Pick<AsyncTaskServer, 'reloadTokens'>, logger: Logger): void {
  process.on('SIGHUP', () => {
    try {
      const { tokens, closedSockets } = server.reloadTokens();
      logger.info({ signal: 'SIGHUP', tokens, closedSockets }, 'API tokens reloaded');
    } catch (error) {
      logger.error({ signal: 'SIGHUP', problem: (error as Error).message }, 'API tokens not reloaded; the previous tokens stay in use');
    }
  });
}
