import { print } from 'graphql';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiTokens } from '../../src/auth/api-tokens.js';
import type { TaskContext } from '../../src/engine/task-context.js';
import { ApiFeedbackReplayDocument, StartTaskDocument, TaskFeedbackDocument } from '../generated/graphql.js';
import { createRemote } from '../support/remote-task.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const alice = 'alice-token-0123456789abcdef';
const ops = 'ops-token-0123456789abcdef';
const apiTokens = parseApiTokens({ API_TOKENS: `alice:user:${alice},ops:admin:${ops}` });

type Subscription = ReturnType<TestApp['subscribe']>;
const sequencesOf = (subscription: Subscription) =>
  subscription.events.map((event) => (event as { taskFeedback: { sequence: number } }).taskFeedback.sequence);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Subscribers of one execution over graphql-ws share the execution and serialisation of each live
 * event per selection and principal (graphql/feedback-fan-out.ts); each must still get exactly its
 * own stream: its replay, every event once and in order, then complete.
 */
describe('taskFeedback fan-out to many WebSocket subscribers', () => {
  const remote = createRemote();
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(
      { apiTokens, wsMaxSocketsPerCaller: 1_000, maxSubscriptionsPerCaller: 1_000 },
      { extraTasks: () => [remote.task({ limits: { maxConcurrentExecutions: 5 } })], contracts: false },
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  async function startRemote(): Promise<{ id: string; ctx: TaskContext }> {
    const { startTask } = await server.as(alice).request(StartTaskDocument, { task: 'Remote', input: {} });
    if (startTask.__typename !== 'TaskQueued') throw new Error(startTask.__typename);
    const id = startTask.execution.id;
    return { id, ctx: await remote.context(id) };
  }

  it('gives hundreds of subscribers of two selections and two principals every event once, in order, each in its own shape', async () => {
    const { id, ctx } = await startRemote();
    const subscriptions: Array<{ selection: 'full' | 'short'; subscription: Subscription }> = [];
    for (const token of [alice, ops]) {
      for (let i = 0; i < 100; i++) {
        subscriptions.push({ selection: 'full', subscription: server.as(token).subscribe(TaskFeedbackDocument, { executionId: id }) });
        subscriptions.push({ selection: 'short', subscription: server.as(token).subscribe(ApiFeedbackReplayDocument, { executionId: id }) });
      }
    }
    // Without afterSequence the first event is the latest one (RUNNING, 2): it proves each one listens.
    await waitFor(() => subscriptions.every(({ subscription }) => subscription.events.length >= 1), { timeoutMs: 30_000, what: 'every subscription to start' });
    for (let step = 1; step <= 20; step++) await ctx.feedback(`step ${step}`, { mode: 'append', progress: step / 20 });
    remote.finish(id);
    await Promise.all(subscriptions.map(({ subscription }) => subscription.done));

    for (const { selection, subscription } of subscriptions) {
      expect(sequencesOf(subscription)).toEqual(range(2, 23));
      const events = subscription.events.map((event) => (event as { taskFeedback: Record<string, unknown> }).taskFeedback);
      expect(events.at(-1)).toMatchObject({ status: 'COMPLETED' });
      expect(events[5]).toMatchObject({ kind: 'FEEDBACK', message: 'step 5', status: 'RUNNING' });
      if (selection === 'full') {
        expect(Object.keys(events[5]!).sort()).toEqual(['at', 'execution', 'kind', 'message', 'mode', 'progress', 'sequence', 'status']);
        expect(events[5]).toMatchObject({ mode: 'APPEND', progress: 0.25, execution: { id, status: 'RUNNING', progress: 0.25 } });
      } else {
        expect(Object.keys(events[5]!).sort()).toEqual(['kind', 'message', 'sequence', 'status']);
      }
    }
  });

  it('replays from afterSequence on its own, then joins the shared events without a gap or a repeat', async () => {
    const { id, ctx } = await startRemote();
    const live = Array.from({ length: 50 }, () => server.as(alice).subscribe(TaskFeedbackDocument, { executionId: id }));
    await waitFor(() => live.every((subscription) => subscription.events.length >= 1), { what: 'the live subscribers to start' });
    for (let step = 1; step <= 10; step++) await ctx.feedback(`step ${step}`);
    // These replay while events keep coming: their replay and the shared feed overlap.
    const fromStart = server.as(alice).subscribe(TaskFeedbackDocument, { executionId: id, afterSequence: 0 });
    await ctx.feedback('step 11');
    const fromSix = server.as(alice).subscribe(TaskFeedbackDocument, { executionId: id, afterSequence: 6 });
    const asAdmin = server.as(ops).subscribe(TaskFeedbackDocument, { executionId: id, afterSequence: 3 });
    for (let step = 12; step <= 30; step++) await ctx.feedback(`step ${step}`);
    remote.finish(id);
    await Promise.all([...live, fromStart, fromSix, asAdmin].map((subscription) => subscription.done));

    const last = 2 + 30 + 1;
    for (const subscription of live) expect(sequencesOf(subscription)).toEqual(range(2, last));
    expect(sequencesOf(fromStart)).toEqual(range(1, last));
    expect(sequencesOf(fromSix)).toEqual(range(7, last));
    expect(sequencesOf(asAdmin)).toEqual(range(4, last));
  });

  it('lets a subscriber that stops reading fall behind alone, and gives it everything once it reads again', async () => {
    const { id, ctx } = await startRemote();
    const fast = Array.from({ length: 20 }, () => server.as(alice).subscribe(TaskFeedbackDocument, { executionId: id }));
    const slow = await rawSubscriber(server, alice, id);
    await waitFor(() => fast.every((subscription) => subscription.events.length >= 1) && slow.sequences.length >= 1, {
      what: 'every subscription to start',
    });
    slow.socket.pause();
    // About 8 MB for the slow socket: far more than the kernel's buffers and the server's own limit.
    const events = 2_000;
    const padding = 'x'.repeat(3_900);
    for (let step = 1; step <= events; step++) await ctx.feedback(`${step} ${padding}`);
    const lastFeedback = 2 + events;
    await waitFor(() => fast.every((subscription) => sequencesOf(subscription).at(-1) === lastFeedback), {
      timeoutMs: 30_000,
      what: 'the fast subscribers to get every event while the slow one does not read',
    });
    expect(slow.sequences.at(-1)!).toBeLessThan(lastFeedback);

    slow.socket.resume();
    remote.finish(id);
    await Promise.all(fast.map((subscription) => subscription.done));
    await slow.completed;
    for (const subscription of fast) expect(sequencesOf(subscription)).toEqual(range(2, lastFeedback + 1));
    expect(slow.sequences).toEqual(range(1, lastFeedback + 1));
  }, 60_000);

  it('holds a subscription place per subscriber while it shares, and frees it when it unsubscribes', async () => {
    const limited = await startTestApp(
      { apiTokens, maxSubscriptionsPerCaller: 3 },
      { extraTasks: () => [remote.task({ name: 'LimitedRemote' })], contracts: false },
    );
    try {
      const { startTask } = await limited.as(alice).request(StartTaskDocument, { task: 'LimitedRemote', input: {} });
      if (startTask.__typename !== 'TaskQueued') throw new Error(startTask.__typename);
      const id = startTask.execution.id;
      const ctx = await remote.context(id);
      const held = Array.from({ length: 3 }, () => limited.as(alice).subscribe(TaskFeedbackDocument, { executionId: id }));
      await waitFor(() => held.every((subscription) => subscription.events.length >= 1), { what: 'three subscriptions to start' });
      const refused = limited.as(alice).subscribe(TaskFeedbackDocument, { executionId: id });
      await expect(refused.done).rejects.toThrow(/subscriptionsPerCaller/);

      held[0]!.unsubscribe();
      // The place is freed once the server has handled the client's `complete`: try until it is.
      const again = await waitFor(
        async () => {
          const attempt = limited.as(alice).subscribe(TaskFeedbackDocument, { executionId: id });
          let refusedAgain = false;
          attempt.done.catch(() => (refusedAgain = true));
          await waitFor(() => attempt.events.length >= 1 || refusedAgain, { what: 'an answer to the subscription' });
          return attempt.events.length >= 1 ? attempt : undefined;
        },
        { what: 'the freed place to be taken again' },
      );
      await ctx.feedback('after the change of subscribers');
      remote.finish(id);
      for (const subscription of [held[1]!, held[2]!, again]) {
        await subscription.done;
        expect(sequencesOf(subscription)).toEqual([2, 3, 4]);
      }
    } finally {
      await limited.close();
    }
  });
});

/**
 * A graphql-transport-ws client by hand, so the test can stop reading its socket (ws `pause`: the
 * kernel's buffers fill and the server's writes back up, as with a client on a slow network).
 */
async function rawSubscriber(server: TestApp, token: string, executionId: string) {
  const socket = new WebSocket(server.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const sequences: number[] = [];
  let acknowledged: () => void = () => {};
  const ack = new Promise<void>((resolve) => (acknowledged = resolve));
  const completed = new Promise<void>((resolve, reject) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: { data?: { taskFeedback: { sequence: number } } } };
      if (message.type === 'connection_ack') acknowledged();
      else if (message.type === 'next') sequences.push(message.payload!.data!.taskFeedback.sequence);
      else if (message.type === 'complete') resolve();
      else if (message.type === 'error') reject(new Error(JSON.stringify(message.payload)));
    });
    socket.once('close', () => reject(new Error('the socket closed before the stream completed')));
  });
  completed.catch(() => {});
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await ack;
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: print(TaskFeedbackDocument), variables: { executionId, afterSequence: 0 } } }));
  return { socket, sequences, completed };
}
