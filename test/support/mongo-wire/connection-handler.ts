import type { Socket } from 'node:net';
import type { ObjectId } from 'bson';
import { helloReply, MAX_MESSAGE_SIZE_BYTES } from './admin-commands.js';
import type { Doc } from './bson-values.js';
import { runCommand, type CommandLogEntry } from './command-dispatch.js';
import type { CommandContext } from './command-context.js';
import { BAD_VALUE, commandError, toCommandError, unsupported } from './command-errors.js';
import type { CursorRegistry } from './cursors.js';
import type { MemoryStore } from './memory-store.js';
import type { QueryPlanner } from './query-planner.js';
import type { ReplicaSetMember } from './replica-set.js';
import { decodeRequest, encodeOpMsg, encodeOpReply, FrameReader, MORE_TO_COME, OP_QUERY, type WireRequest } from './wire-protocol.js';

/** What all connections of one server share. */
export interface ServerState {
  store: MemoryStore;
  cursors: CursorRegistry;
  planner: QueryPlanner;
  commandLog: CommandLogEntry[];
  /** Set with the `replicaSet` option: hello answers as its primary, replies gossip cluster time. */
  replicaSet: ReplicaSetMember | undefined;
  /** `topologyVersion.processId` of this server's hello replies. */
  processId: ObjectId;
  nextRequestId(): number;
}

const HELLO_NAMES = new Set(['hello', 'ismaster', 'isMaster']);

type Send = (reply: Buffer | undefined) => void;

/**
 * Serves one client connection. Each message is handled synchronously from decoding to the
 * written reply (no await in between), which is what makes every command atomic with respect
 * to all other connections. The exceptions are a change stream's getMore waiting for events
 * and an awaitable hello (the driver's monitoring, in exhaust mode: see streamHellos): until
 * they are done, the connection's later messages wait in order (as on mongod, one operation
 * at a time per connection; the driver never pipelines anyway). A client that dies
 * mid-message (socket reset, half a frame) only loses its own connection: errors on the
 * socket are expected and swallowed, and whatever waits on its behalf stops waiting.
 */
export function serveConnection(socket: Socket, state: ServerState, connectionId: number): void {
  const reader = new FrameReader(MAX_MESSAGE_SIZE_BYTES);
  const closed = new AbortController();
  const pending: Buffer[] = [];
  let busy = false;
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  socket.on('close', () => closed.abort());

  const send: Send = (reply) => {
    if (reply && socket.writable) socket.write(reply);
  };
  const drain = () => {
    while (!busy && pending.length > 0) {
      if (socket.destroyed) return;
      const done = handleFrame(pending.shift()!, state, connectionId, closed.signal, send);
      if (done) {
        busy = true;
        void done.finally(() => {
          busy = false;
          drain();
        });
      }
    }
  };
  socket.on('data', (chunk: Buffer) => {
    try {
      pending.push(...reader.push(chunk));
    } catch {
      socket.destroy(); // Not a MongoDB client (or garbage): nothing sensible to answer.
      return;
    }
    drain();
  });
}

/** Answers one message through `send`; a promise while the connection must wait for it (never rejects). */
function handleFrame(frame: Buffer, state: ServerState, connectionId: number, closed: AbortSignal, send: Send): Promise<void> | undefined {
  const requestId = frame.readInt32LE(4);
  let request: WireRequest;
  try {
    request = decodeRequest(frame);
  } catch (error) {
    const reply = commandError(BAD_VALUE, `test server: cannot decode message: ${(error as Error).message}`).toReply();
    const encode = frame.readInt32LE(12) === OP_QUERY ? encodeOpReply : encodeOpMsg;
    send(encode(state.nextRequestId(), requestId, reply));
    return undefined;
  }
  if (request.opCode === OP_QUERY) {
    const name = Object.keys(request.body)[0] ?? '';
    const reply = HELLO_NAMES.has(name) ? helloReply(connectionId, state.replicaSet, state.processId) : unsupported(`${name} over legacy OP_QUERY`).toReply();
    send(encodeOpReply(state.nextRequestId(), requestId, reply));
    return undefined;
  }
  const db = typeof request.body.$db === 'string' ? request.body.$db : 'admin';
  const { store, cursors, planner, replicaSet, processId } = state;
  const context: CommandContext = { db, connectionId, store, cursors, planner, replicaSet, processId, closed };
  const name = Object.keys(request.body)[0] ?? '';
  if (request.exhaustAllowed && !request.moreToCome && HELLO_NAMES.has(name) && request.body.maxAwaitTimeMS !== undefined) {
    return streamHellos(request.body, requestId, context, state, send);
  }
  const reply = runCommand(request.body, context, state.commandLog);
  if (request.moreToCome) return reply instanceof Promise ? reply.then(() => undefined) : undefined;
  if (!(reply instanceof Promise)) {
    send(encodeReply(state, requestId, reply));
    return undefined;
  }
  return reply.then((body) => send(encodeReply(state, requestId, body)));
}

/**
 * The exhaust form of the awaitable hello, as mongod serves the driver's monitor: each reply
 * (after maxAwaitTimeMS) carries moreToCome and answers the previous reply (responseTo = its
 * requestId), then the same command runs again with the topologyVersion just reported, until
 * the connection closes. An error reply ends the stream (no moreToCome).
 */
async function streamHellos(body: Doc, requestId: number, context: CommandContext, state: ServerState, send: Send): Promise<void> {
  let command = body;
  let responseTo = requestId;
  for (;;) {
    const reply = await runCommand(command, context, state.commandLog);
    if (context.closed.aborted) return;
    const more = reply.ok === 1;
    const id = state.nextRequestId();
    send(encodeReply(state, responseTo, reply, more ? MORE_TO_COME : 0, id));
    if (!more) return;
    responseTo = id;
    command = { ...command, topologyVersion: reply.topologyVersion };
    // With maxAwaitTimeMS 0 the replies follow each other at once: still let I/O in between.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** An OP_MSG reply; a replica-set member reports the cluster time with every reply, errors included. */
function encodeReply(state: ServerState, responseTo: number, body: Doc, flags = 0, id = state.nextRequestId()): Buffer {
  const gossiped = state.replicaSet ? { ...body, ...state.replicaSet.gossip() } : body;
  try {
    return encodeOpMsg(id, responseTo, gossiped, flags);
  } catch (error) {
    // e.g. a reply over the BSON size limit: still answer, as an error.
    return encodeOpMsg(id, responseTo, toCommandError(error).toReply());
  }
}
