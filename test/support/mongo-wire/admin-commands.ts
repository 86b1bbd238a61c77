import { Query } from 'mingo';
import { optionalInt, toView, type Doc } from './bson-values.js';
import { collectionName, requireArray, type CommandContext, type CommandDefinition } from './command-context.js';
import { commandError, NAMESPACE_EXISTS, NAMESPACE_NOT_FOUND } from './command-errors.js';
import { ID_INDEX } from './indexes.js';
import { MINGO_OPTIONS, requireDocument } from './query-engine.js';

/** Limits announced in hello, as a 7.0 mongod announces them. */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
const MAX_WRITE_BATCH_SIZE = 100_000;
/** Wire version 21 = MongoDB 7.0; driver 7.9 needs at least 9 (4.4). */
const MAX_WIRE_VERSION = 21;

/**
 * The handshake / monitoring reply of a standalone mongod. No `setName` (a replica set member
 * would make the driver send retryable-write transaction numbers) and no `topologyVersion`
 * (the driver would switch to streaming, awaitable hello). `logicalSessionTimeoutMinutes`
 * makes the driver attach `lsid` (ignored here) and send endSessions on close.
 */
export function helloReply(connectionId: number): Doc {
  return {
    helloOk: true,
    ismaster: true,
    isWritablePrimary: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
}

const hello: CommandDefinition = { handler: (_command, context) => helloReply(context.connectionId), options: '*' };

function listCollections(command: Doc, context: CommandContext): Doc {
  const filter = requireDocument(command.filter, 'filter');
  const query = filter && Object.keys(filter).length ? new Query(toView(filter) as Doc, MINGO_OPTIONS) : undefined;
  const nameOnly = command.nameOnly === true;
  const entries = context.store
    .collections(context.db)
    .map((collection): Doc => {
      if (nameOnly) return { name: collection.name, type: 'collection' };
      return {
        name: collection.name,
        type: 'collection',
        options: {},
        info: { readOnly: false, uuid: collection.uuid },
        idIndex: ID_INDEX.description,
      };
    })
    .filter((entry) => !query || query.test(toView(entry) as Doc));
  const batchSize = optionalInt((requireDocument(command.cursor, 'cursor') ?? {}).batchSize);
  return context.cursors.open(`${context.db}.$cmd.listCollections`, entries, batchSize);
}

function create(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'create');
  const { created } = context.store.ensureCollection(context.db, name);
  if (!created) throw commandError(NAMESPACE_EXISTS, `Collection ${context.db}.${name} already exists.`);
  return { ok: 1 };
}

function drop(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'drop');
  const dropped = context.store.dropCollection(context.db, name);
  if (!dropped) throw commandError(NAMESPACE_NOT_FOUND, 'ns not found');
  return { nIndexesWas: dropped.indexes.length, ns: dropped.ns, ok: 1 };
}

function dropDatabase(_command: Doc, context: CommandContext): Doc {
  context.store.dropDatabase(context.db);
  return { dropped: context.db, ok: 1 };
}

function killCursors(command: Doc, context: CommandContext): Doc {
  return context.cursors.kill(requireArray(command, 'cursors', 'killCursors'));
}

export const adminCommands: Record<string, CommandDefinition> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: { handler: () => ({ ok: 1 }), options: [] },
  buildInfo: {
    handler: () => ({
      version: '7.0.0',
      gitVersion: 'test-server (mongo-wire-server.ts)',
      versionArray: [7, 0, 0, 0],
      bits: 64,
      debug: false,
      maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
      ok: 1,
    }),
    options: [],
  },
  // The driver sends it with moreToCome on close: no reply goes out then.
  endSessions: { handler: () => ({ ok: 1 }), options: [] },
  killCursors: { handler: killCursors, options: ['cursors'] },
  listCollections: { handler: listCollections, options: ['filter', 'nameOnly', 'authorizedCollections', 'cursor'] },
  create: { handler: create, options: [] },
  drop: { handler: drop, options: [] },
  dropDatabase: { handler: dropDatabase, options: [] },
};
