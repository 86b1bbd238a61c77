/**
 * A load process of the fan-out scenario: opens `count` graphql-ws clients (one WebSocket each) to
 * the bench server, each subscribed to taskFeedback of one execution, and reports over IPC when
 * all of them have an event. Forked by scenarios/fan-out.ts, several at once, so that the sockets'
 * client ends are spread over processes (file descriptors, and the clients' own parsing).
 *
 *   ← { type: 'connect', url, executionId, count, concurrency }
 *   → { type: 'connected', seconds, firstSequence }   every client has its first event
 *   → { type: 'received', sequence, lastAt }          every client has `sequence` (lastAt: the latest arrival)
 *   → { type: 'completed', incomplete }              every stream completed; how many saw a gap, a repeat or an error
 *   ← { type: 'close' }                              disposes the clients and exits
 *
 * Times are performance.timeOrigin + performance.now(): milliseconds comparable across processes.
 */
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { TaskFeedbackDocument } from '../generated/graphql.js';

export type ClientsCommand = { type: 'connect'; url: string; executionId: string; count: number; concurrency: number } | { type: 'close' };

export type ClientsMessage =
  | { type: 'connected'; seconds: number; firstSequence: number }
  | { type: 'received'; sequence: number; lastAt: number }
  | { type: 'completed'; incomplete: number }
  | { type: 'error'; message: string };

const query = print(TaskFeedbackDocument);
const send = (message: ClientsMessage) => process.send?.(message);
const now = () => performance.timeOrigin + performance.now();

interface Subscriber {
  client: Client;
  last: number;
  broken: boolean;
  done: Promise<void>;
}

const subscribers: Subscriber[] = [];
/** Per sequence after the first: how many clients have it, and the latest arrival. */
const arrivals = new Map<number, { count: number; lastAt: number }>();
let firstSequence = -1;
let total = 0;

function arrived(sequence: number): void {
  if (firstSequence < 0 || sequence <= firstSequence) return;
  const at = now();
  let entry = arrivals.get(sequence);
  if (!entry) arrivals.set(sequence, (entry = { count: 0, lastAt: 0 }));
  entry.count += 1;
  entry.lastAt = at;
  if (entry.count === total) {
    arrivals.delete(sequence);
    send({ type: 'received', sequence, lastAt: at });
  }
}

function subscribe(url: string, executionId: string): Promise<number> {
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  let first: (sequence: number) => void = () => {};
  const firstEvent = new Promise<number>((resolve) => (first = resolve));
  const subscriber: Subscriber = { client, last: -1, broken: false, done: Promise.resolve() };
  subscriber.done = new Promise<void>((resolve) => {
    client.subscribe<{ taskFeedback: { sequence: number } }>(
      { query, variables: { executionId } },
      {
        next: (result) => {
          const sequence = result.data?.taskFeedback.sequence;
          if (sequence === undefined) {
            subscriber.broken = true;
            return;
          }
          if (subscriber.last >= 0 && sequence !== subscriber.last + 1) subscriber.broken = true;
          if (subscriber.last < 0) first(sequence);
          subscriber.last = sequence;
          arrived(sequence);
        },
        error: (error) => {
          subscriber.broken = true;
          first(-1);
          send({ type: 'error', message: `a subscription failed: ${error instanceof Error ? error.message : JSON.stringify(error)}` });
          resolve();
        },
        complete: () => resolve(),
      },
    );
  });
  subscribers.push(subscriber);
  return firstEvent;
}

async function connect(command: Extract<ClientsCommand, { type: 'connect' }>): Promise<void> {
  const started = now();
  total = command.count;
  const firsts: number[] = [];
  let opened = 0;
  // Bounded: at most `concurrency` handshakes in flight, as a fleet of real clients would spread out.
  const lane = async () => {
    while (opened < command.count) {
      opened += 1;
      firsts.push(await subscribe(command.url, command.executionId));
    }
  };
  await Promise.all(Array.from({ length: Math.min(command.concurrency, command.count) }, lane));
  const sequences = new Set(firsts);
  if (sequences.size !== 1 || firsts.includes(-1)) throw new Error(`the clients' first events differ: ${[...sequences].join(', ')}`);
  firstSequence = firsts[0]!;
  send({ type: 'connected', seconds: (now() - started) / 1000, firstSequence });
  await Promise.all(subscribers.map((subscriber) => subscriber.done));
  send({ type: 'completed', incomplete: subscribers.filter((subscriber) => subscriber.broken).length });
}

process.on('message', (command: ClientsCommand) => {
  if (command.type === 'connect') {
    connect(command).catch((error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
  } else if (command.type === 'close') {
    Promise.all(subscribers.map((subscriber) => subscriber.client.dispose())).finally(() => process.exit(0));
  }
});
// The scenario is gone: do not linger holding sockets.
process.on('disconnect', () => process.exit(0));
