import { once } from 'node:events';
import WebSocket from 'ws';

/** POSTs `{ tasks { name } }` to `graphqlUrl` with `token` as the bearer (none when undefined). */
export function postWithToken(graphqlUrl: string, token?: string): Promise<Response> {
  return fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query: '{ tasks { name } }' }),
  });
}

export interface SocketClose {
  code: number;
  reason: string;
}

/**
 * Opens a graphql-ws socket and says connection_init with `token`: `acked` is true once the server
 * acknowledged it; `closed` resolves when the socket closes, with its code and reason.
 */
export async function connectWithToken(graphqlUrl: string, token?: string) {
  const socket = new WebSocket(graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const closed = new Promise<SocketClose>((resolve) => socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: String(reason) })));
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init', payload: token === undefined ? {} : { authorization: `Bearer ${token}` } }));
  const acked = await new Promise<boolean>((resolve) => {
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') resolve(true);
    });
    void closed.then(() => resolve(false));
  });
  return { socket, acked, closed };
}
