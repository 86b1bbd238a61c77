import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionChangeEvent } from '../../src/engine/events.js';
import { drain, startQueued, waitForStatus, within } from '../support/engine-helpers.js';
import { createRemote, type Remote } from '../support/remote-task.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';

const sequences = (changes: ExecutionChangeEvent[]) => changes.map((change) => change.event.sequence);
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('feedback', () => {
  let harness: TestEngine | undefined;
  let remote: Remote;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  function setUp() {
    remote = createRemote();
    harness = createTestEngine({ tasks: () => [remote.task()] });
    return harness.engine;
  }

  /** Starts the remote task and returns its id and running context. */
  async function running(label = 'run') {
    const execution = await startQueued(harness!.engine, 'Remote', { label });
    return { id: execution.id, ctx: await remote.context(execution.id) };
  }

  it('keeps the feedback text: append adds a line, replace starts over', async () => {
    const engine = setUp();
    const { id, ctx } = await running();

    await ctx.feedback('a', { mode: 'replace' });
    await ctx.feedback('b', { mode: 'append' });
    await ctx.feedback('c', { mode: 'append' });
    expect((await engine.status(id))!.feedback).toBe('a\nb\nc');

    await ctx.feedback('only this', { mode: 'replace' });
    expect((await engine.status(id))!.feedback).toBe('only this');

    await ctx.feedback('default mode replaces');
    expect((await engine.status(id))!.feedback).toBe('default mode replaces');
    remote.finish(id);
    const done = await waitForStatus(engine, id, 'COMPLETED');
    expect(done.feedback).toBe('default mode replaces');
  });

  it('stores progress and keeps it when a later message gives none', async () => {
    const engine = setUp();
    const { id, ctx } = await running();
    expect((await engine.status(id))!.progress).toBeNull();

    await ctx.feedback('a quarter', { progress: 0.25 });
    expect((await engine.status(id))!.progress).toBe(0.25);
    await ctx.feedback('no progress given', { mode: 'append' });
    expect((await engine.status(id))!.progress).toBe(0.25);
    await ctx.feedback('all done', { progress: 1 });
    remote.finish(id);
    expect((await waitForStatus(engine, id, 'COMPLETED')).progress).toBe(1);
  });

  it('logs every change as an event numbered from 1, without gaps, ending with the terminal status', async () => {
    const engine = setUp();
    const { id, ctx } = await running();
    await ctx.feedback('a', { mode: 'replace', progress: 0.1 });
    await ctx.feedback('b', { mode: 'append', progress: 0.5 });
    remote.finish(id, { answer: 42 });
    const done = await waitForStatus(engine, id, 'COMPLETED');

    const events = await engine.eventsAfter(id, 0);

    expect(events.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(done.lastSequence).toBe(5);
    expect(done.result).toEqual({ answer: 42 });
    expect(events.map(({ kind, status, message, mode, progress }) => ({ kind, status, message, mode, progress }))).toEqual([
      { kind: 'STATUS', status: 'QUEUED', message: null, mode: null, progress: null },
      { kind: 'STATUS', status: 'RUNNING', message: null, mode: null, progress: null },
      { kind: 'FEEDBACK', status: 'RUNNING', message: 'a', mode: 'REPLACE', progress: 0.1 },
      { kind: 'FEEDBACK', status: 'RUNNING', message: 'b', mode: 'APPEND', progress: 0.5 },
      { kind: 'STATUS', status: 'COMPLETED', message: null, mode: null, progress: 0.5 },
    ]);
    expect(events.every((event) => event.executionId === id)).toBe(true);
    expect(await engine.eventsAfter(id, 3)).toEqual(events.slice(3));
    expect(await engine.eventsAfter(id, 1, 2)).toEqual(events.slice(1, 3));
  });

  it('rejects progress outside 0..1 and stores nothing for it', async () => {
    const engine = setUp();
    const { id, ctx } = await running();
    await ctx.feedback('fine', { progress: 0.5 });
    const before = (await engine.status(id))!;

    for (const progress of [-0.01, 1.01, 2, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(ctx.feedback('bad', { progress }), `progress ${progress}`).rejects.toThrow(RangeError);
    }

    const after = (await engine.status(id))!;
    expect(after).toMatchObject({ status: 'RUNNING', feedback: 'fine', progress: 0.5, lastSequence: before.lastSequence });
    await ctx.feedback('edges are fine', { progress: 0 });
    await ctx.feedback('edges are fine', { progress: 1 });
    expect((await engine.status(id))!.lastSequence).toBe(before.lastSequence + 2);
    remote.finish(id);
  });

  it('replays every event from sequence 0, then completes after the terminal one', async () => {
    const engine = setUp();
    const { id, ctx } = await running();
    for (const message of ['one', 'two', 'three']) await ctx.feedback(message, { mode: 'append' });
    remote.finish(id);
    const done = await waitForStatus(engine, id, 'COMPLETED');

    const stream = await engine.openFeedbackStream(id, 0);
    const changes = await within(drain(stream!), 10_000, 'the replay to complete');

    expect(sequences(changes)).toEqual(oneToN(done.lastSequence));
    expect(changes.map((change) => change.event)).toEqual(await engine.eventsAfter(id, 0));
    expect(changes.at(-1)!.event).toMatchObject({ kind: 'STATUS', status: 'COMPLETED' });
    expect(changes.every((change) => change.execution.id === id)).toBe(true);

    const tail = await within(drain((await engine.openFeedbackStream(id, 4))!), 10_000, 'the partial replay');
    expect(sequences(tail)).toEqual([5, 6]);
  });

  it('starts with the latest event when no afterSequence is given, then follows live', async () => {
    const engine = setUp();
    const { id, ctx } = await running();
    await ctx.feedback('a', { mode: 'replace' });
    await ctx.feedback('b', { mode: 'append' });

    const stream = (await engine.openFeedbackStream(id, null))!;
    const first = await within(stream.next(), 10_000, 'the first event');

    expect(first.done).toBe(false);
    expect(first.value!.event).toMatchObject({ sequence: 4, kind: 'FEEDBACK', message: 'b' });
    expect(first.value!.execution.feedback).toBe('a\nb');

    await ctx.feedback('c', { mode: 'append' });
    remote.finish(id);
    const rest = await within(drain(stream), 10_000, 'the stream to complete');
    expect(rest.map((change) => [change.event.sequence, change.event.status])).toEqual([
      [5, 'RUNNING'],
      [6, 'COMPLETED'],
    ]);
  });

  it('gives a stream opened while running every live event once, in order, and completes', async () => {
    const engine = setUp();
    const { id, ctx } = await running();
    const stream = (await engine.openFeedbackStream(id, 0))!;
    const collected = drain(stream);

    // writes that do not wait for each other, as a busy flow would send them
    await Promise.all(Array.from({ length: 50 }, (_, i) => ctx.feedback(`step ${i}`, { mode: 'append', progress: i / 50 })));
    remote.finish(id);
    const changes = await within(collected, 10_000, 'the live stream to complete');

    const done = (await engine.status(id))!;
    expect(done.status).toBe('COMPLETED');
    expect(sequences(changes)).toEqual(oneToN(done.lastSequence));
    expect(done.lastSequence).toBe(53);
    expect(changes.at(-1)!.event.status).toBe('COMPLETED');
    expect(changes.filter((change) => change.event.kind === 'FEEDBACK')).toHaveLength(50);
  });

  it('gives a reader that falls further behind than the live buffer every event once, in order', async () => {
    const engine = setUp();
    const { id, ctx } = await running();
    const stream = (await engine.openFeedbackStream(id, 0))!;
    expect((await stream.next()).value!.event.sequence).toBe(1);

    // more events than the test engine's live buffer (1,000) while nobody reads
    for (let i = 0; i < 1_200; i++) await ctx.feedback(`step ${i}`, { mode: 'append' });
    remote.finish(id);
    const rest = await within(drain(stream), 10_000, 'the stream to catch up and complete');

    expect(sequences(rest)).toEqual(oneToN(1_203).slice(1));
    expect(rest.at(-1)!.event.status).toBe('COMPLETED');
  });

  it('opens a stream of a finished execution with null: just the terminal event, then done', async () => {
    const engine = setUp();
    const { id } = await running();
    remote.finish(id);
    const done = await waitForStatus(engine, id, 'COMPLETED');

    const changes = await within(drain((await engine.openFeedbackStream(id, null))!), 10_000, 'the stream to complete');

    expect(changes.map((change) => change.event)).toEqual([expect.objectContaining({ sequence: done.lastSequence, status: 'COMPLETED' })]);
  });

  it('returns null for the stream of an unknown execution', async () => {
    const engine = setUp();
    expect(await engine.openFeedbackStream('no-such-execution', 0)).toBeNull();
    expect(await engine.openFeedbackStream('no-such-execution', null)).toBeNull();
  });

  it('ends an open stream on return(), even while it waits for an event that never comes', async () => {
    const engine = setUp();
    const { id, ctx } = await running();
    await ctx.feedback('only event so far');
    const stream = (await engine.openFeedbackStream(id, null))!;
    expect((await within(stream.next(), 10_000, 'the latest event')).value!.event.message).toBe('only event so far');

    const pending = stream.next();
    const returned = await within(stream.return!(), 5_000, 'return() to resolve');
    const ended = await within(pending, 5_000, 'the pending next() to resolve');

    expect(returned.done).toBe(true);
    expect(ended.done).toBe(true);
    expect((await within(stream.next(), 5_000, 'a next() after return()')).done).toBe(true);
    // events after the end are not delivered to the closed stream
    await ctx.feedback('after the end');
    expect((await stream.next()).done).toBe(true);
    remote.finish(id);
  });
});
