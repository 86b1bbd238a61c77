import { adminCommands } from './admin-commands.js';
import type { Doc } from './bson-values.js';
import type { CommandContext, CommandDefinition } from './command-context.js';
import { toCommandError, unsupported } from './command-errors.js';
import { findAndModifyCommand } from './find-and-modify.js';
import { indexCommands } from './index-commands.js';
import { readCommands } from './read-commands.js';
import { writeCommands } from './write-commands.js';

export interface CommandLogEntry {
  db: string;
  command: string;
  collection?: string;
}

const COMMANDS: Record<string, CommandDefinition> = {
  ...adminCommands,
  ...indexCommands,
  ...readCommands,
  ...writeCommands,
  findAndModify: findAndModifyCommand,
  findandmodify: findAndModifyCommand,
};

/** The names of every command this server answers. */
export const SUPPORTED_COMMANDS = Object.keys(COMMANDS);

/**
 * Fields any command may carry, accepted and ignored: sessions (`lsid`, `txnNumber` — a
 * standalone gets no retryable writes; in replicaSet mode they identify a retried write, see
 * RetryableWrites), cluster time gossip, read/write concern (one in-memory node: every write
 * is as durable as it gets), timeouts and comments. A getMore reads its `maxTimeMS` as the
 * await time of a change stream.
 */
const GENERIC_FIELDS = new Set([
  '$db',
  'lsid',
  'txnNumber',
  '$clusterTime',
  'writeConcern',
  'readConcern',
  '$readPreference',
  'maxTimeMS',
  'comment',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
]);

/** Heartbeats arrive on a timer: logging them would make `commandLog` nondeterministic. */
const NOT_LOGGED = new Set(['hello', 'isMaster', 'ismaster']);

/**
 * Runs one command synchronously, from parsed body to reply document; never throws. Errors
 * become `{ ok: 0, errmsg, code, codeName }`. Only a waiting getMore answers with a promise
 * (which never rejects either).
 */
export function runCommand(body: Doc, context: CommandContext, log: CommandLogEntry[]): Doc | Promise<Doc> {
  const name = Object.keys(body)[0];
  if (name === undefined) return unsupported('(empty command document)').toReply();
  if (!NOT_LOGGED.has(name)) {
    const target = name === 'getMore' ? body.collection : body[name];
    log.push({ db: context.db, command: name, ...(typeof target === 'string' ? { collection: target } : {}) });
  }
  try {
    // This test server has no transactions (not even as a replica set): refuse them loudly
    // instead of running the operations outside any transaction.
    if (body.startTransaction === true || body.autocommit === false || name === 'commitTransaction' || name === 'abortTransaction') {
      throw unsupported(`transactions (${name} with startTransaction / autocommit: false)`);
    }
    const definition = COMMANDS[name];
    if (!definition) throw unsupported(name);
    if (definition.options !== '*') {
      for (const field of Object.keys(body).slice(1)) {
        if (!GENERIC_FIELDS.has(field) && !definition.options.includes(field)) throw unsupported(`${name} option '${field}'`);
      }
    }
    const retryable = context.replicaSet?.retryableWrites;
    const replayed = retryable?.replay(name, body);
    if (replayed) return replayed;
    const reply = definition.handler(body, context);
    if (reply instanceof Promise) return reply.catch((error: unknown) => toCommandError(error).toReply());
    retryable?.remember(name, body, reply);
    return reply;
  } catch (error) {
    return toCommandError(error).toReply();
  }
}
