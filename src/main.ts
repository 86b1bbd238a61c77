/**
 * `npm start`: the server with the Contract Manager example registered, settings from the
 * environment; SIGTERM/SIGINT stop it cleanly, SIGHUP reloads the API tokens. Wiring only.
 */
import { pino } from 'pino';
import { loadContractSettings } from './contracts/contract-settings.js';
import { createContractsExtension } from './contracts/contracts-extension.js';
import { ConfigError, createServer, reloadTokensOnHangup, stopOnSignals, type AsyncTaskServer } from './index.js';

let server: AsyncTaskServer;
try {
  server = await createServer({ extensions: [createContractsExtension(loadContractSettings())] });
  // Before start: a SIGTERM while it starts (claims may be under way already) drains like any other.
  stopOnSignals(server, server.logger);
  reloadTokensOnHangup(server, server.logger);
  await server.start();
} catch (error) {
  if (error instanceof ConfigError) console.error(error.message);
  else pino().fatal({ err: error }, `the server could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
