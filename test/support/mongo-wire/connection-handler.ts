import type { Socket } from 'node:net';
import { helloReply, MAX_MESSAGE_SIZE_BYTES } from './admin-commands.js';
import type { Doc } from './bson-values.js';
import { runCommand, type CommandLogEntry } from './command-dispatch.js';
import { BAD_VALUE, commandError, toCommandError, unsupported } from './command-errors.js';
import type { CursorRegistry } from './cursors.js';
import type { MemoryStore } from './memory-store.js';
import type { QueryPlanner } from './query-planner.js';
import { decodeRequest, encodeOpMsg, encodeOpReply, FrameReader, OP_QUERY, type WireRequest } from './wire-protocol.js';

/** What all connections of one server share. */
export interface ServerState {
  store: MemoryStore;
  cursors: CursorRegistry;
  planner: QueryPlanner;
  commandLog: CommandLogEntry[];
  nextRequestId(): number;
}

const HELLO_NAMES = new Set(['hello', 'ismaster', 'isMaster']);

/**
 * Serves one client connection. Each message is handled synchronously from decoding to the
 * written reply (no await in between), which is what makes every command atomic with respect
 * to all other connections. A client that dies mid-message (socket reset, half a frame) only
 * loses its own connection: errors on the socket are expected and swallowed.
 */
export function serveConnection(socket: Socket, state: ServerState, connectionId: number): void {
  const reader = new FrameReader(MAX_MESSAGE_SIZE_BYTES);
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    let frames: Buffer[];
    try {
      frames = reader.push(chunk);
    } catch {
      socket.destroy(); // Not a MongoDB client (or garbage): nothing sensible to answer.
      return;
    }
    for (const frame of frames) {
      if (socket.destroyed) return;
      const reply = handleFrame(frame, state, connectionId);
      if (reply && socket.writable) socket.write(reply);
    }
  });
}

function handleFrame(frame: Buffer, state: ServerState, connectionId: number): Buffer | undefined {
  const requestId = frame.readInt32LE(4);
  let request: WireRequest;
  try {
    request = decodeRequest(frame);
  } catch (error) {
    const reply = commandError(BAD_VALUE, `test server: cannot decode message: ${(error as Error).message}`).toReply();
    const encode = frame.readInt32LE(12) === OP_QUERY ? encodeOpReply : encodeOpMsg;
    return encode(state.nextRequestId(), requestId, reply);
  }
  if (request.opCode === OP_QUERY) {
    const name = Object.keys(request.body)[0] ?? '';
    const reply = HELLO_NAMES.has(name) ? helloReply(connectionId) : unsupported(`${name} over legacy OP_QUERY`).toReply();
    return encodeOpReply(state.nextRequestId(), requestId, reply);
  }
  const db = typeof request.body.$db === 'string' ? request.body.$db : 'admin';
  const reply: Doc = runCommand(
    request.body,
    { db, connectionId, store: state.store, cursors: state.cursors, planner: state.planner },
    state.commandLog,
  );
  if (request.moreToCome) return undefined;
  try {
    return encodeOpMsg(state.nextRequestId(), requestId, reply);
  } catch (error) {
    // e.g. a reply over the BSON size limit: still answer, as an error.
    return encodeOpMsg(state.nextRequestId(), requestId, toCommandError(error).toReply());
  }
}
