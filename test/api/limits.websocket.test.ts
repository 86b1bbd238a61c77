import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { TaskExecutionUpdatesDocument, type TaskExecutionUpdatesSubscription } from '../generated/graphql.js';
import { createGroup, madeUpClients, startContractCreator } from '../support/contract-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

type Result = { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

/** Runs one operation over a graphql-ws client: its last result, or the errors it was refused with. */
function runOnce(client: Client, query: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    let result: Result = {};
    client.subscribe(
      { query },
      {
        next: (next) => (result = next as Result),
        error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(new Error(`the socket failed: ${String(error)}`))),
        complete: () => resolve(result),
      },
    );
  });
}

/** A client that counts how often its socket closed: a refused operation must not close it. */
function watchedClient(server: TestApp) {
  const client = server.wsClient();
  let closes = 0;
  client.on('closed', () => (closes += 1));
  return { client, closes: () => closes };
}

/** A raw graphql-transport-ws socket, for what the graphql-ws client would never send. */
async function rawSocket(server: TestApp) {
  const socket = new WebSocket(server.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const closed = once(socket, 'close').then(([code, reason]) => ({ code: code as number, reason: String(reason) }));
  await once(socket, 'open');
  return { socket, closed };
}

describe('WebSocket limits (WS_*), and the GraphQL limits over WebSocket', () => {
  const limits = {
    wsMaxPayloadBytes: 4096,
    wsMaxSubscriptionsPerSocket: 2,
    wsConnectionInitTimeoutMs: 300,
    // Deep enough for the fixtures' own operations.
    graphqlMaxDepth: 6,
    graphqlMaxTokens: 100,
  };
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(limits);
  });
  afterAll(async () => {
    await server?.close();
  });

  const tasksQuery = '{ tasks { name } }';
  const tasksAnswer = { data: { tasks: [{ name: 'ContractCreator' }] } };

  it('closes a socket that sends a message over WS_MAX_PAYLOAD_BYTES with 1009, and serves the next socket', async () => {
    const { socket, closed } = await rawSocket(server);
    socket.send(JSON.stringify({ type: 'connection_init' }));
    const [ack] = await once(socket, 'message');
    expect(JSON.parse(String(ack))).toEqual({ type: 'connection_ack' });
    // Within the limit, a message is an operation like any other.
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: tasksQuery } }));
    const [next] = await once(socket, 'message');
    expect(JSON.parse(String(next))).toEqual({ id: '1', type: 'next', payload: tasksAnswer });

    // ws refuses the message and closes with 1009; graphql-ws also reports the socket's error on the console.
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const padding = ' '.repeat(limits.wsMaxPayloadBytes);
    socket.send(JSON.stringify({ id: '2', type: 'subscribe', payload: { query: `${tasksQuery}${padding}` } }));
    expect((await closed).code).toBe(1009);
    expect(consoleError).toHaveBeenCalledWith(expect.stringContaining('WebSocket'), expect.objectContaining({ message: 'Max payload size exceeded' }));
    consoleError.mockRestore();

    expect(await runOnce(server.wsClient(), tasksQuery)).toEqual(tasksAnswer);
  });

  it('closes a socket that sends no connection_init within WS_CONNECTION_INIT_TIMEOUT_MS with 4408', async () => {
    const { closed } = await rawSocket(server);
    expect(await closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
    expect(await runOnce(server.wsClient(), tasksQuery)).toEqual(tasksAnswer);
  });

  it('lets go of a closed socket whose client never answers the close frame, after a second, not 30', async () => {
    // A raw TCP upgrade: unlike a WebSocket library, it never answers the server's close frame.
    const { port } = new URL(server.url);
    const tcp = connect(Number(port), '127.0.0.1');
    await once(tcp, 'connect');
    let received = '';
    let ended = false;
    tcp.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    tcp.on('close', () => (ended = true));
    tcp.write(
      'GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
    );
    // No connection_init: the server closes it with 4408 after WS_CONNECTION_INIT_TIMEOUT_MS…
    await waitFor(() => received.includes('Connection initialisation timeout'), { what: 'the close frame' });
    expect(received).toMatch(/^HTTP\/1\.1 101/);
    // …and then closes the TCP connection itself, well before ws's 30 s close handshake timeout.
    await waitFor(() => ended, { timeoutMs: 10_000, what: 'the server to drop the connection' });
  });

  it('refuses an operation past WS_MAX_SUBSCRIPTIONS_PER_SOCKET with an error for it alone; the socket and its subscriptions go on', async () => {
    const { client, closes } = watchedClient(server);
    const updates: Array<TaskExecutionUpdatesSubscription['taskExecutionUpdates']> = [];
    const subscribeToUpdates = () =>
      client.subscribe<TaskExecutionUpdatesSubscription>(
        { query: print(TaskExecutionUpdatesDocument) },
        { next: (result) => result.data && updates.push(result.data.taskExecutionUpdates), error: () => {}, complete: () => {} },
      );
    const stopFirst = subscribeToUpdates();
    subscribeToUpdates();

    // Messages on one socket are taken in order: the third operation finds the two open.
    const refused = await runOnce(client, tasksQuery);
    expect(refused.errors).toEqual([
      {
        message:
          'Too many operations on this connection: at most 2 may run at once (WS_MAX_SUBSCRIPTIONS_PER_SOCKET). Complete one, or open another connection.',
        extensions: { code: 'LIMIT_EXCEEDED', limit: 'subscriptionsPerSocket', max: 2 },
      },
    ]);

    // Completing one frees its place on the same socket.
    stopFirst();
    expect(await runOnce(client, tasksQuery)).toEqual(tasksAnswer);

    // The subscription that stayed open still delivers.
    const groupId = await createGroup(server, { name: 'WebSocket limits', clients: madeUpClients(1) });
    const { id } = await startContractCreator(server, groupId);
    await waitFor(() => updates.some((update) => update.id === id), { timeoutMs: 10_000, what: 'an update on the open subscription' });
    expect(closes()).toBe(0);
  });

  it.each([
    [
      'GRAPHQL_MAX_DEPTH',
      '{ contracts(first: 1) { edges { node { client { group { template { title } } } } } } }',
      'depth',
      'Query depth limit of 6 exceeded, found 7.',
    ],
    ['GRAPHQL_MAX_TOKENS', `{ tasks { ${'name '.repeat(100)}} }`, 'tokens', 'Token limit of 100 exceeded.'],
  ])('applies %s to operations over WebSocket: an error for that operation, and the socket goes on', async (_, query, limit, message) => {
    const { client, closes } = watchedClient(server);
    const { errors } = await runOnce(client, query);
    expect(errors).toEqual([{ message, extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED', limit }) }]);
    expect(await runOnce(client, tasksQuery)).toEqual(tasksAnswer);
    expect(closes()).toBe(0);
  });
});
