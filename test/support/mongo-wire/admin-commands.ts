import { Long, ObjectId } from 'bson';
import { Query } from 'mingo';
import { isPlainObject, numericKind, optionalInt, toNumber, toView, type Doc } from './bson-values.js';
import { collectionName, requireArray, type CommandContext, type CommandDefinition } from './command-context.js';
import { commandError, NAMESPACE_EXISTS, NAMESPACE_NOT_FOUND, TYPE_MISMATCH } from './command-errors.js';
import { ID_INDEX } from './indexes.js';
import { MINGO_OPTIONS, requireDocument } from './query-engine.js';
import type { ReplicaSetMember } from './replica-set.js';

/** Limits announced in hello, as a 7.0 mongod announces them. */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
const MAX_WRITE_BATCH_SIZE = 100_000;
/** Wire version 21 = MongoDB 7.0; driver 7.9 needs at least 9 (4.4). */
const MAX_WIRE_VERSION = 21;

/**
 * The handshake / monitoring reply of a standalone mongod, or, with `replicaSet`, of the
 * primary of a one-member replica set (`setName`, `hosts`, `electionId`…: the driver then sees
 * an RSPrimary, offers change streams and numbers its retryable writes).
 * `logicalSessionTimeoutMinutes` makes the driver attach `lsid` (ignored here) and send
 * endSessions on close.
 *
 * Like every mongod since 4.4 (the oldest the driver supports) it carries a `topologyVersion`:
 * `{ processId: <this server's ObjectId>, counter: 0 }`; the counter never moves, since
 * nothing here ever changes role. The driver then monitors with the streaming protocol
 * (awaitable hello, see `awaitMs`, in exhaust mode: connection-handler.ts), as in production.
 * Without it the driver polls on an idle monitoring connection and never resets its monitor
 * after a network error (Monitor.reset() needs a topologyVersion). A poll the driver then
 * wrote to a socket that Node had just destroyed on the peer's FIN, before 'close', waited for
 * a 'drain' that never comes: the monitor never checked again and the client stayed without a
 * server for good (a driver 7.9 race, see the cut test in mongo-wire-server.connections).
 */
export function helloReply(connectionId: number, replicaSet: ReplicaSetMember | undefined, processId: ObjectId): Doc {
  return {
    helloOk: true,
    ismaster: true,
    isWritablePrimary: true,
    topologyVersion: { processId, counter: Long.fromNumber(0) },
    ...replicaSet?.helloFields(),
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

/**
 * How long a hello waits before answering: 0 unless it is awaitable, i.e. carries the
 * `topologyVersion` the client last saw and a `maxAwaitTimeMS` (both or neither, as mongod:
 * 31368). mongod answers an awaitable hello when its topology changes or after
 * maxAwaitTimeMS; this server's never changes, so a client that is up to date waits the whole
 * maxAwaitTimeMS, and one that knew another process (e.g. a server started earlier on the
 * same port) or another counter hears the current state at once.
 */
function awaitMs(command: Doc, processId: ObjectId): number {
  const { topologyVersion, maxAwaitTimeMS } = command;
  if (topologyVersion === undefined && maxAwaitTimeMS === undefined) return 0;
  if (topologyVersion === undefined || maxAwaitTimeMS === undefined) {
    const message = topologyVersion === undefined ? "A request with 'maxAwaitTimeMS' must include a 'topologyVersion'" : "A request with a 'topologyVersion' must include 'maxAwaitTimeMS'";
    throw commandError(31368, message);
  }
  const ms = numericKind(maxAwaitTimeMS) === undefined ? undefined : optionalInt(maxAwaitTimeMS);
  if (ms === undefined) throw commandError(TYPE_MISMATCH, "BSON field 'hello.maxAwaitTimeMS' is the wrong type, expected a number");
  if (ms < 0) throw commandError(51024, `BSON field 'maxAwaitTimeMS' value must be >= 0, actual value '${ms}'`);
  if (!isPlainObject(topologyVersion) || !(topologyVersion.processId instanceof ObjectId) || numericKind(topologyVersion.counter) === undefined) {
    throw commandError(TYPE_MISMATCH, "BSON field 'hello.topologyVersion' must be { processId: ObjectId, counter: long }");
  }
  const counter = toNumber(topologyVersion.counter);
  if (counter < 0) throw commandError(31372, 'topologyVersion must have a non-negative counter');
  return topologyVersion.processId.equals(processId) && counter === 0 ? ms : 0;
}

/** hello / isMaster / ismaster; an awaitable one answers after awaitMs, or at once when its client's connection closes. */
function hello(command: Doc, context: CommandContext): Doc | Promise<Doc> {
  const wait = awaitMs(command, context.processId);
  const reply = () => helloReply(context.connectionId, context.replicaSet, context.processId);
  if (wait === 0 || context.closed.aborted) return reply();
  return new Promise<Doc>((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      context.closed.removeEventListener('abort', finish);
      resolve(reply());
    };
    const timer = setTimeout(finish, wait);
    context.closed.addEventListener('abort', finish, { once: true });
  });
}

const helloCommand: CommandDefinition = { handler: hello, options: '*' };

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
  hello: helloCommand,
  isMaster: helloCommand,
  ismaster: helloCommand,
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
