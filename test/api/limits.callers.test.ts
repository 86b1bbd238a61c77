import { once } from 'node:events';
import { print } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseApiTokens } from '../../src/auth/api-tokens.js';
import { StartTaskDocument, TaskFeedbackDocument } from '../generated/graphql.js';
import { createGate, gatedTask, type Gate } from '../support/gated-task.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/**
 * One caller cannot hold the server's sockets and subscriptions for itself: each API token (in
 * open mode, each remote address) has its own WS_MAX_SOCKETS_PER_CALLER and
 * MAX_SUBSCRIPTIONS_PER_CALLER, counted over WebSocket and server-sent events alike.
 */
const alice = 'alice-token-0123456789abcdef';
const bob = 'bob-token-0123456789abcdefgh';

describe('per-caller limits', () => {
  let server: TestApp;
  let gate: Gate;
  beforeEach(async () => {
    gate = createGate();
    server = await startTestApp(
      {
        apiTokens: parseApiTokens({ API_TOKENS: `alice:user:${alice},bob:user:${bob}` }),
        wsMaxSocketsPerCaller: 2,
        maxSubscriptionsPerCaller: 2,
      },
      { extraTasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 5 } })] },
    );
  });
  afterEach(async () => {
    gate.releaseAll();
    await server?.close();
  });

  /** Opens a socket and says connection_init: resolves once acknowledged, or with the close code. */
  async function connect(token: string): Promise<{ socket: WebSocket; outcome: 'ack' | number }> {
    const socket = new WebSocket(server.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    const outcome = await new Promise<'ack' | number>((resolve) => {
      socket.once('message', (data) => resolve(JSON.parse(String(data)).type === 'connection_ack' ? 'ack' : -1));
      socket.once('close', (code) => resolve(code));
    });
    return { socket, outcome };
  }

  it('closes a caller’s socket over WS_MAX_SOCKETS_PER_CALLER with 1013 Try Again Later, and frees the place when one closes', async () => {
    const first = await connect(alice);
    const second = await connect(alice);
    expect([first.outcome, second.outcome]).toEqual(['ack', 'ack']);
    expect((await connect(alice)).outcome).toBe(1013);
    // Another caller is not affected.
    const bobs = await connect(bob);
    expect(bobs.outcome).toBe('ack');

    const closed = once(first.socket, 'close');
    first.socket.close();
    await closed;
    await waitFor(async () => {
      const again = await connect(alice);
      again.socket.close();
      return again.outcome === 'ack';
    }, { what: "alice's freed place to be usable" });
    for (const { socket } of [second, bobs]) socket.close();
  });

  async function startGated(token: string): Promise<string> {
    const started = await server.as(token).request(StartTaskDocument, { task: 'Gated', input: {} });
    if (started.startTask.__typename !== 'TaskQueued') throw new Error(started.startTask.__typename);
    await waitFor(() => gate.running.has(started.startTask.__typename === 'TaskQueued' ? started.startTask.execution.id : ''), {
      what: 'the execution to run',
    });
    return started.startTask.execution.id;
  }

  /** A taskFeedback subscription over server-sent events; resolves once its first event arrived. */
  async function sseFeedback(token: string, executionId: string) {
    const controller = new AbortController();
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: print(TaskFeedbackDocument), variables: { executionId } }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    const firstEvent = new TextDecoder().decode(value);
    return { firstEvent, close: () => controller.abort() };
  }

  it('refuses a subscription over MAX_SUBSCRIPTIONS_PER_CALLER, counting WebSocket and server-sent events together', async () => {
    const id = await startGated(alice);
    const sse = await sseFeedback(alice, id);
    expect(sse.firstEvent).toMatch(/"sequence":2/);
    const ws = server.as(alice).subscribe(TaskFeedbackDocument, { executionId: id });
    await waitFor(() => ws.events.length > 0, { what: 'the WebSocket subscription to be live' });

    // The third, over either transport, is refused with a reason; the others go on.
    const third = server.as(alice).subscribe(TaskFeedbackDocument, { executionId: id });
    await expect(third.done).rejects.toThrow(/Too many open subscriptions.*MAX_SUBSCRIPTIONS_PER_CALLER/);
    const thirdOverSse = await sseFeedback(alice, id);
    expect(thirdOverSse.firstEvent).toMatch(/LIMIT_EXCEEDED.*subscriptionsPerCaller|subscriptionsPerCaller.*LIMIT_EXCEEDED/);
    thirdOverSse.close();
    // Bob's subscriptions are his own.
    const bobs = await startGated(bob);
    const bobFeed = server.as(bob).subscribe(TaskFeedbackDocument, { executionId: bobs });
    await waitFor(() => bobFeed.events.length > 0, { what: "bob's subscription to be live" });

    // Ending one (the browser closes the event stream) frees its place.
    sse.close();
    await waitFor(async () => {
      const again = server.as(alice).subscribe(TaskFeedbackDocument, { executionId: id });
      const live = await Promise.race([
        again.done.then(() => false, () => false),
        waitFor(() => again.events.length > 0, { timeoutMs: 2_000 }).then(() => true, () => false),
      ]);
      if (!live) again.unsubscribe();
      return live;
    }, { what: "alice's freed subscription place to be usable" });
  });
});
