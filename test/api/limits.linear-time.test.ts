import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServerProcess } from '../support/server-process.js';

/**
 * Everything the server does with what a client sends must take time linear in its size:
 * checks that walk a document, whatever its fragments do (these documents are under 3 KB and
 * 1,000 tokens, yet a walk that follows every path through their fragments does 2^64 steps), and
 * whatever rewrites error messages that echo a client's text. The server runs in its own process
 * (production mode, so suggestions are cut from messages), so a request that froze it fails these
 * tests at the client's deadline instead of freezing the test runner with it.
 */
const levels = 64;
/** Far more than a linear check needs (milliseconds), far less than 2^64 steps. */
const deadlineMs = 10_000;

/** `{ ...F0 }`, each fragment spreading the next one twice: 2^64 paths, 65 fragments. */
function doublingFragments(): string {
  let query = '{ ...F0 }';
  for (let i = 0; i < levels; i++) query += ` fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`;
  return `${query} fragment F${levels} on Query { __typename }`;
}

/**
 * The same doubling below a list, ending in ContractGroup.clients: the list-nesting rule must
 * still find (and report once) the unbounded list at the bottom.
 */
function doublingBelowAList(): string {
  let query = '{ contracts(first: 1) { edges { node { group { ...G0 } } } } }';
  for (let i = 0; i < levels; i++) query += ` fragment G${i} on ContractGroup { ...G${i + 1} ...G${i + 1} }`;
  return `${query} fragment G${levels} on ContractGroup { clients { id } }`;
}

const cycleThroughAList = '{ ...A } fragment A on Query { taskExecutions { edges { ...A } } }';

type Errors = Array<{ message: string; extensions?: Record<string, unknown> }>;

describe('requests that a super-linear server would choke on, sent with a user token', () => {
  const token = 'user-token-0123456789abcdef';
  let server: Awaited<ReturnType<typeof startServerProcess>>;
  beforeAll(async () => {
    server = await startServerProcess({ NODE_ENV: 'production', API_TOKENS: `alice:user:${token}` });
  });
  afterAll(async () => {
    // SIGKILL: a server frozen by a regression would never finish a graceful stop.
    await server?.stop('SIGKILL');
  });

  const post = async (query: string, variables?: Record<string, unknown>): Promise<{ status: number; errors: Errors }> => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(deadlineMs),
    });
    return { status: response.status, errors: ((await response.json()) as { errors?: Errors }).errors ?? [] };
  };

  it('refuses the doubling document over HTTP with a limit error, answering /health meanwhile', async () => {
    const [answer, health] = await Promise.all([
      post(doublingFragments()),
      fetch(`${server.url}/health`, { signal: AbortSignal.timeout(deadlineMs) }),
    ]);
    expect(health.status).toBe(200);
    expect(answer.errors[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
  });

  it('finds the unbounded list below 2^64 paths and reports it once, at its one place', async () => {
    const { errors } = await post(doublingBelowAList());
    expect(errors.filter((error) => error.extensions?.limit === 'unboundedListNesting')).toHaveLength(1);
  });

  it("answers a fragment cycle through a list with graphql-js's own error, not a 500", async () => {
    const answer = await post(cycleThroughAList);
    expect(answer.status).not.toBe(500);
    expect(answer.errors.map((error) => error.message)).toContain('Cannot spread fragment "A" within itself.');
  });

  // 780 KB of "Did you mean " with no "?": where the server cuts "Did you mean …?" hints from
  // messages, a backtracking pattern would scan to the end from each of them (minutes of CPU).
  const echoed = 'Did you mean '.repeat(60_000);

  it.each([
    ['an enum value', 'query($s: TaskExecutionStatus) { taskExecutions(status: $s) { totalCount } }', /"TaskExecutionStatus"/],
    ['a cursor', 'query($s: String) { taskExecutions(after: $s) { totalCount } }', /Invalid cursor/],
  ])('answers an error that echoes %s of 780 KB in linear time', async (_, query, message) => {
    const { errors } = await post(query, { s: echoed });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(message);
  });

  it('refuses both over WebSocket for that operation only: the socket and its other operations go on', async () => {
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const messages: Array<{ id?: string; type: string; payload?: unknown }> = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    let closeCode: number | null = null;
    socket.on('close', (code) => (closeCode = code));
    await once(socket, 'open');
    const deadline = Date.now() + deadlineMs;
    const arrived = async (predicate: (message: (typeof messages)[number]) => boolean, what: string) => {
      while (!messages.some(predicate)) {
        if (closeCode !== null) throw new Error(`the socket closed (${closeCode}) while waiting for ${what}`);
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`no ${what} within ${deadlineMs} ms`);
        await Promise.race([once(socket, 'message'), once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, remaining))]);
      }
    };
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    await arrived((message) => message.type === 'connection_ack', 'ack');
    // A live subscription on the socket, which must survive the bad operations.
    socket.send(JSON.stringify({ id: 'live', type: 'subscribe', payload: { query: 'subscription { taskExecutionUpdates { id } }' } }));
    socket.send(JSON.stringify({ id: 'doubling', type: 'subscribe', payload: { query: doublingFragments() } }));
    socket.send(JSON.stringify({ id: 'cycle', type: 'subscribe', payload: { query: cycleThroughAList } }));
    await arrived((message) => message.id === 'doubling' && message.type === 'error', 'refusal of the doubling document');
    await arrived((message) => message.id === 'cycle' && message.type === 'error', 'refusal of the cycle');
    const cycleErrors = messages.find((message) => message.id === 'cycle')!.payload as Errors;
    expect(cycleErrors.map((error) => error.message)).toContain('Cannot spread fragment "A" within itself.');

    // The socket still serves: a query answers, and the live subscription was never ended.
    socket.send(JSON.stringify({ id: 'after', type: 'subscribe', payload: { query: '{ tasks { name } }' } }));
    await arrived((message) => message.id === 'after' && message.type === 'complete', 'answer to the query after the refusals');
    expect(messages.filter((message) => message.id === 'live')).toEqual([]);
    expect(closeCode).toBeNull();
    socket.close();
  });
});
