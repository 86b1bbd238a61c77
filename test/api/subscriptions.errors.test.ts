import { once } from 'node:events';
import { GraphQLError, print } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EventsUnavailableError } from '../../src/engine/errors.js';
import type { ServerExtension } from '../../src/server/extension.js';
import { StartTaskDocument, TaskFeedbackDocument } from '../generated/graphql.js';
import { storeFailingToRead } from '../support/broken-store.js';
import { createGate, gatedTask, type Gate } from '../support/gated-task.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** What no client may see: it is in the errors the probes throw. */
const secret = 'connection to db-7.internal:27017 refused (password hunter2)';

/**
 * A subscription field whose every way of failing the test picks (`mode`): its subscribe throws,
 * its stream fails after an event, or an event's resolver throws.
 */
const probe: ServerExtension = {
  name: 'probe',
  setup: () => ({
    schema: (builder) => {
      builder.subscriptionField('failureProbe', (t) =>
        t.field({
          type: 'String',
          nullable: true,
          args: { mode: t.arg.string({ required: true }) },
          subscribe: async (_, { mode }) => {
            if (mode === 'subscribe-throws') throw new Error(secret);
            if (mode === 'subscribe-refuses') throw new GraphQLError('Refused on purpose', { extensions: { code: 'REFUSED' } });
            const values = mode === 'resolver-throws' ? ['first', 'boom', 'last'] : ['first'];
            return (async function* () {
              yield* values;
              if (mode === 'stream-throws') throw new Error(secret);
            })();
          },
          resolve: (value: unknown) => {
            if (value === 'boom') throw new Error(secret);
            return value as string;
          },
        }),
      );
    },
  }),
};

/**
 * How a subscription fails, as the client sees it: every message of the operation, exactly, over
 * graphql-ws and over server-sent events. Unexpected errors are "Unexpected error." (and logged in
 * full); deliberate GraphQL errors are shown with their code; a live stream that loses its events
 * ends that one subscription with EVENTS_UNAVAILABLE.
 */
describe('subscription failures, as clients get them', () => {
  const logLines: string[] = [];
  /** Executions whose stored events cannot be read: with a plain error, or with EventsUnavailableError. */
  const brokenEvents = new Map<string, 'throws' | 'unavailable'>();
  let server: TestApp;
  let gate: Gate;

  beforeAll(async () => {
    const store = storeFailingToRead('explode', new Error(secret));
    const eventsAfter = store.executions.eventsAfter.bind(store.executions);
    store.executions.eventsAfter = async (id, ...rest) => {
      const broken = brokenEvents.get(id);
      if (broken === 'throws') throw new Error(secret);
      if (broken === 'unavailable') throw new EventsUnavailableError(new Error('the database is unreachable'));
      return eventsAfter(id, ...rest);
    };
    gate = createGate();
    const logger = pino({ level: 'error' }, { write: (line: string) => void logLines.push(line) });
    server = await startTestApp(
      {},
      { store, logger, contracts: false, extensions: [probe], extraTasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 5 } })] },
    );
  });
  afterAll(async () => {
    gate?.releaseAll();
    await server?.close();
  });

  /** Every message of one operation over a fresh graphql-ws socket, until its complete or error. */
  async function overWebSocket(query: string, variables: Record<string, unknown> = {}) {
    const socket = new WebSocket(server.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await once(socket, 'open');
    const messages: Array<{ type: string; payload?: unknown }> = [];
    const ended = new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: string; type: string; payload?: unknown };
        if (message.type === 'connection_ack') {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
          return;
        }
        if (message.id !== '1') return;
        messages.push(message.payload === undefined ? { type: message.type } : { type: message.type, payload: message.payload });
        if (message.type === 'complete' || message.type === 'error') resolve();
      });
      socket.once('close', (code) => reject(new Error(`the socket closed (${code}) before the operation ended`)));
    });
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    try {
      await ended;
    } finally {
      socket.close();
    }
    return messages;
  }

  /** Every event of one operation over server-sent events, until the response ends. */
  async function overServerSentEvents(query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    return {
      status: response.status,
      events: text
        .split('\n\n')
        .filter((block) => block.startsWith('event:'))
        .map((block) => {
          const [event, data] = block.split('\n');
          const payload = data?.slice('data: '.length) ?? '';
          return { event: event!.slice('event: '.length), ...(payload ? { data: JSON.parse(payload) as unknown } : {}) };
        }),
    };
  }

  function logged(): boolean {
    return logLines.some((line) => line.includes('hunter2'));
  }

  async function startGated(): Promise<string> {
    const started = await server.request(StartTaskDocument, { task: 'Gated', input: {} });
    if (started.startTask.__typename !== 'TaskQueued') throw new Error(started.startTask.__typename);
    const { id } = started.startTask.execution;
    await waitFor(() => gate.running.has(id), { what: 'the execution to run' });
    return id;
  }

  const feedback = print(TaskFeedbackDocument);
  const unexpected = { message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', unexpected: true } };
  /** yoga's HTTP responses leave out the `unexpected` mark. */
  const overHttp = <T extends { extensions: object }>(error: T) => ({ ...error, extensions: { code: 'INTERNAL_SERVER_ERROR' } });

  it('answers variables of the wrong type with BAD_USER_INPUT, then completes', async () => {
    const message = 'Variable "$afterSequence" got invalid value "many"; Int cannot represent non-integer value: "many"';
    const error = { message, locations: [{ line: 1, column: 46 }], extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } };
    expect(await overWebSocket(feedback, { executionId: 'x', afterSequence: 'many' })).toEqual([
      { type: 'next', payload: { errors: [error] } },
      { type: 'complete' },
    ]);
    // Over HTTP the status says it (400), not the error.
    expect(await overServerSentEvents(feedback, { executionId: 'x', afterSequence: 'many' })).toEqual({
      status: 400,
      events: [{ event: 'next', data: { errors: [{ ...error, extensions: { code: 'BAD_USER_INPUT' } }] } }, { event: 'complete' }],
    });
  });

  it('shows errors the subscribe resolver throws on purpose with their code and path, then completes', async () => {
    const negative = await overWebSocket(feedback, { executionId: 'x', afterSequence: -1 });
    expect(negative).toEqual([
      {
        type: 'next',
        payload: {
          errors: [{ message: 'afterSequence must be 0 or more', locations: [{ line: 2, column: 3 }], path: ['taskFeedback'], extensions: { code: 'BAD_USER_INPUT' } }],
        },
      },
      { type: 'complete' },
    ]);
    const refused = { message: 'Refused on purpose', locations: [{ line: 1, column: 16 }], path: ['failureProbe'], extensions: { code: 'REFUSED' } };
    const query = 'subscription { failureProbe(mode: "subscribe-refuses") }';
    expect(await overWebSocket(query)).toEqual([{ type: 'next', payload: { errors: [refused] } }, { type: 'complete' }]);
    expect((await overServerSentEvents(query)).events).toEqual([{ event: 'next', data: { errors: [refused] } }, { event: 'complete' }]);
  });

  it('masks an unexpected error of the subscribe resolver, and logs it', async () => {
    const error = { ...unexpected, locations: [{ line: 1, column: 16 }], path: ['failureProbe'] };
    const query = 'subscription { failureProbe(mode: "subscribe-throws") }';
    logLines.length = 0;
    expect(await overWebSocket(query)).toEqual([{ type: 'next', payload: { errors: [error] } }, { type: 'complete' }]);
    expect(logged()).toBe(true);
    logLines.length = 0;
    expect((await overServerSentEvents(query)).events).toEqual([{ event: 'next', data: { errors: [overHttp(error)] } }, { event: 'complete' }]);
    expect(logged()).toBe(true);

    logLines.length = 0;
    const exploded = await overWebSocket(feedback, { executionId: 'explode' });
    expect(exploded).toEqual([{ type: 'next', payload: { errors: [{ ...unexpected, locations: [{ line: 2, column: 3 }], path: ['taskFeedback'] }] } }, { type: 'complete' }]);
    expect(logged()).toBe(true);
  });

  it("masks an unexpected error of one event's resolver, logs it, and goes on with the next events", async () => {
    const query = 'subscription { failureProbe(mode: "resolver-throws") }';
    const error = { ...unexpected, locations: [{ line: 1, column: 16 }], path: ['failureProbe'] };
    logLines.length = 0;
    expect(await overWebSocket(query)).toEqual([
      { type: 'next', payload: { data: { failureProbe: 'first' } } },
      { type: 'next', payload: { data: { failureProbe: null }, errors: [error] } },
      { type: 'next', payload: { data: { failureProbe: 'last' } } },
      { type: 'complete' },
    ]);
    expect(logged()).toBe(true);
    expect((await overServerSentEvents(query)).events).toEqual([
      { event: 'next', data: { data: { failureProbe: 'first' } } },
      { event: 'next', data: { data: { failureProbe: null }, errors: [overHttp(error)] } },
      { event: 'next', data: { data: { failureProbe: 'last' } } },
      { event: 'complete' },
    ]);
  });

  it('ends a subscription whose stream fails unexpectedly with a masked error, and logs it', async () => {
    const query = 'subscription { failureProbe(mode: "stream-throws") }';
    logLines.length = 0;
    expect(await overWebSocket(query)).toEqual([
      { type: 'next', payload: { data: { failureProbe: 'first' } } },
      { type: 'error', payload: [unexpected] },
    ]);
    expect(logged()).toBe(true);

    const id = await startGated();
    brokenEvents.set(id, 'throws');
    logLines.length = 0;
    expect(await overWebSocket(feedback, { executionId: id, afterSequence: 0 })).toEqual([{ type: 'error', payload: [unexpected] }]);
    expect(logged()).toBe(true);
  });

  it('answers a subscription whose only root field @skip leaves out with a masked error, and the socket goes on', async () => {
    // graphql-js throws a TypeError for it; a thrown subscribe would close the socket (4500).
    const query = 'subscription { taskExecutionUpdates @skip(if: true) { id } }';
    expect(await overWebSocket(query)).toEqual([{ type: 'next', payload: { errors: [unexpected] } }, { type: 'complete' }]);
    // Over HTTP the status says it (500), as for any unexpected error.
    expect(await overServerSentEvents(query)).toEqual({
      status: 500,
      events: [{ event: 'next', data: { errors: [overHttp(unexpected)] } }, { event: 'complete' }],
    });
  });

  it('ends a taskFeedback subscription that loses its events with EVENTS_UNAVAILABLE on it alone, then completes', async () => {
    const id = await startGated();
    brokenEvents.set(id, 'unavailable');
    const message =
      'Live events are unavailable: the database is unreachable. Subscribe again shortly (a feedback stream with afterSequence set to the last sequence it delivered).';
    const error = { message, locations: [{ line: 2, column: 3 }], path: ['taskFeedback'], extensions: { code: 'EVENTS_UNAVAILABLE' } };
    expect(await overWebSocket(feedback, { executionId: id, afterSequence: 0 })).toEqual([
      { type: 'next', payload: { data: null, errors: [error] } },
      { type: 'complete' },
    ]);
    expect((await overServerSentEvents(feedback, { executionId: id, afterSequence: 0 })).events).toEqual([
      { event: 'next', data: { data: null, errors: [error] } },
      { event: 'complete' },
    ]);
  });
});
