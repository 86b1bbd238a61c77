#!/usr/bin/env node
/**
 * The `async-task-server` command: a server for the tasks of a module, no server file needed.
 * Wiring only: arguments → the module → createServer → start; SIGTERM/SIGINT stop it cleanly,
 * SIGHUP reloads the API tokens.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ConfigError, createServer, reloadTokensOnHangup, stopOnSignals, type AsyncTaskServer, type ServerOptions } from './index.js';

const usage = `Usage: async-task-server --tasks <module> [--port <n>] [--host <address>]

Starts an async-task server (GraphQL and GraphiQL at /graphql, live feedback over graphql-ws)
for the tasks of <module>, an ES module (.js or .mjs) that exports:

  tasks       an array of task definitions made with defineTask
  workers     the worker module(s) whose named exports are the jobs ctx.runInWorker runs:
              a URL such as new URL('./jobs.js', import.meta.url), a path relative to the
              tasks module, or an array of them
  extensions  an array of server extensions
  (tasks, extensions or both; they may also be fields of the default export)

  import { defineTask } from 'async-task-server';
  export const tasks = [defineTask({ name: 'Resize', ... })];
  export const workers = new URL('./jobs.js', import.meta.url);

Options:
  --tasks <module>    the tasks module (a path, relative to the current directory, or a file: URL)
  --port <n>          port to listen on (default PORT, else 4000; 0 picks a free one)
  --host <address>    address to listen on (default HOST, else 127.0.0.1; 0.0.0.0 exposes it)
  --help              this text

Every other setting comes from the environment: MONGODB_URL (MongoDB instead of the embedded
store), API_TOKENS, API_TOKENS_FILE, JWT_SECRET or JWT_JWKS_URL, NODE_ENV=production, LOG_LEVEL,
WORKER_THREADS, and the rest of the README's configuration table. SIGTERM or Ctrl+C stops the
server gracefully; SIGHUP reloads the API tokens (API_TOKENS_FILE) without a restart.`;

function fail(message: string): never {
  console.error(`async-task-server: ${message}\n\nRun async-task-server --help for usage.`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: { tasks: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  }).values;
} catch (error) {
  fail((error as Error).message);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
if (!args.tasks) fail('--tasks <module> is required');
if (args.port !== undefined && !/^\d{1,5}$/.test(args.port)) fail(`--port must be a port number (got "${args.port}")`);
const port = args.port === undefined ? undefined : Number(args.port);

const moduleUrl = /^file:/.test(args.tasks) ? args.tasks : pathToFileURL(isAbsolute(args.tasks) ? args.tasks : resolve(args.tasks)).href;
let exported: Record<string, unknown>;
try {
  exported = (await import(moduleUrl)) as Record<string, unknown>;
} catch (error) {
  fail(`cannot load the tasks module ${args.tasks}: ${(error as Error).message}`);
}
const fromModule = (name: string): unknown => exported[name] ?? (exported.default as Record<string, unknown> | undefined)?.[name];
const definitions = fromModule('tasks') ?? [];
const extensions = fromModule('extensions') ?? [];
if (!Array.isArray(definitions) || !Array.isArray(extensions) || definitions.length + extensions.length === 0) {
  fail(`${args.tasks} must export \`tasks\` (an array of task definitions), \`extensions\` (an array of extensions), or both`);
}
// A relative worker path means: beside the tasks module, as a URL from import.meta.url would.
const workers = ([fromModule('workers') ?? []].flat() as Array<URL | string>).map((module) =>
  typeof module === 'string' && !isAbsolute(module) && !/^file:/.test(module) ? new URL(module, moduleUrl) : module,
);

let server: AsyncTaskServer;
try {
  // --port and --host go through the settings' checks, like PORT and HOST.
  server = await createServer({
    tasks: definitions as ServerOptions['tasks'],
    workers,
    extensions: extensions as ServerOptions['extensions'],
    ...(port === undefined ? {} : { port }),
    ...(args.host === undefined ? {} : { host: args.host }),
  });
  // Before start: a SIGTERM while it starts (claims may be under way already) drains like any other.
  stopOnSignals(server, server.logger);
  reloadTokensOnHangup(server, server.logger);
  await server.start();
} catch (error) {
  if (error instanceof ConfigError) console.error(error.message);
  else pino().fatal({ err: error }, `the server could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
