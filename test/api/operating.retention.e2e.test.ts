import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseApiTokens } from '../../src/auth/api-tokens.js';
import { collections as contractCollections } from '../../src/contracts/contract-collections.js';
import { defineTask } from '../../src/engine/task-definition.js';
import { feedbackTrimmedNote } from '../../src/store/feedback-text.js';
import { collections } from '../../src/store/mongo-indexes.js';
import { connectMongoStore } from '../../src/store/mongo-store.js';
import type { Store } from '../../src/store/store.js';
import {
  ApiDeleteExecutionDocument,
  ApiFeedbackReplayDocument,
  ApiLimitPerCallerDocument,
  ApiRetainedExecutionDocument,
  ApiStartFairlyDocument,
  ContractsDocument,
} from '../generated/graphql.js';
import { createGroup, madeUpClients } from '../support/contract-fixtures.js';
import { createGate, gatedTask } from '../support/gated-task.js';
import { startMongoForTests, type MongoForTests } from '../support/mongo-test-db.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const alice = 'alice-token-0123456789abcdef';
const bob = 'bob-token-0123456789abcdef';
const ops = 'ops-token-0123456789abcdef';
const tokens = parseApiTokens({ API_TOKENS: `alice:user:${alice},bob:user:${bob},ops:admin:${ops}` });
/** The server's retention in these tests: two seconds, so what it deletes goes while a test waits. */
const retentionHours = 2 / 3_600;

/** Appends one line per step: the feedback text of a long run. */
const chatty = defineTask({
  name: 'Chatty',
  description: 'Appends many feedback lines.',
  input: z.strictObject({ lines: z.number().int().min(1).max(5_000) }),
  limits: { maxConcurrentExecutions: 1, maxQueueLength: 5, timeoutMinutes: 1 },
  retention: { finishedHours: 1_000 },
  async run(ctx) {
    for (let i = 1; i <= ctx.input.lines; i++) {
      await ctx.feedback(`Line ${i} of ${ctx.input.lines}: created contract for Client ${i} at 1 Example Street, Springfield`, {
        mode: 'append',
        progress: i / ctx.input.lines,
      });
    }
    return { lines: ctx.input.lines };
  },
});

const storeKinds = ['memory', 'mongodb'] as const;

describe.each(storeKinds)('Operating it for months (%s store): retention, deleteExecution, fair queues, feedback text', (kind) => {
  let server: TestApp;
  let mongo: MongoForTests | undefined;
  let mongoClient: MongoClient | undefined;
  const gate = createGate();

  beforeAll(async () => {
    let store: Store | undefined;
    if (kind === 'mongodb') {
      mongo = await startMongoForTests();
      const url = mongo.databaseUrl('operating');
      store = await connectMongoStore({ url });
      mongoClient = await MongoClient.connect(url);
    }
    server = await startTestApp(
      { apiTokens: tokens, retentionHours, sweepMs: 100 },
      {
        ...(store ? { store } : {}),
        extraTasks: () => [
          chatty,
          { ...gatedTask(gate, { name: 'Kept', limits: { maxConcurrentExecutions: 1, maxQueueLength: 10 } }), retention: { finishedHours: 1_000 } },
          { ...gatedTask(gate, { name: 'Fair', limits: { maxConcurrentExecutions: 1, maxQueueLength: 20, maxQueuedPerCaller: 3 } }), retention: { finishedHours: 1_000 } },
        ],
      },
    );
  });
  afterAll(async () => {
    gate.releaseAll();
    await server?.close();
    await mongoClient?.close();
    await mongo?.stop();
  });

  const status = (token: string, executionId: string) =>
    server.as(token).request(ApiRetainedExecutionDocument, { executionId }).then((data) => data.taskStatus);
  const finished = (token: string, executionId: string) =>
    waitFor(async () => {
      const execution = await status(token, executionId);
      return execution?.finishedAt ? execution : undefined;
    }, { what: `${executionId} to finish` });
  async function start(token: string, task: string, input: unknown = {}) {
    const { startTask } = await server.as(token).request(ApiStartFairlyDocument, { task, input });
    return startTask;
  }
  async function started(token: string, task: string, input: unknown = {}) {
    const outcome = await start(token, task, input);
    if (outcome.__typename !== 'TaskQueued') throw new Error(`startTask answered ${JSON.stringify(outcome)}`);
    return outcome.execution.id;
  }

  it('deletes a finished execution with its events, contracts and PDFs once its retention ran out', async () => {
    const groupId = await createGroup(server.as(ops), { name: `Retained ${kind}`, clients: madeUpClients(5) });
    const executionId = await started(alice, 'ContractCreator', { groupId });
    const done = await finished(alice, executionId);
    expect(done).toMatchObject({ status: 'COMPLETED', task: { retentionHours } });
    expect(new Date(done.expiresAt!).getTime()).toBe(new Date(done.finishedAt!).getTime() + 2_000);
    const { contracts } = await server.as(alice).request(ContractsDocument, { executionId, first: 10 });
    expect(contracts.totalCount).toBe(5);
    const download = `${server.url}${contracts.edges[0]!.node.downloadUrl}`;
    expect((await fetch(download, { headers: { authorization: `Bearer ${alice}` } })).status).toBe(200);

    await waitFor(async () => ((await status(alice, executionId)) === null ? true : undefined), { what: 'the execution to be deleted', timeoutMs: 20_000 });

    const after = await server.as(alice).request(ContractsDocument, { executionId, first: 10 });
    expect(after.contracts.totalCount).toBe(0);
    expect((await fetch(download, { headers: { authorization: `Bearer ${alice}` } })).status).toBe(404);
    const replay = server.as(alice).subscribe(ApiFeedbackReplayDocument, { executionId, afterSequence: 0 });
    await expect(replay.done).rejects.toThrow(/No execution has the id/);
    if (mongoClient) {
      // Nothing of it is left in the database: no event, contract, PDF file or chunk.
      const db = mongoClient.db();
      const contractIds = contracts.edges.map((edge) => edge.node.id);
      expect(await db.collection(collections.executions).countDocuments({ _id: executionId as never })).toBe(0);
      expect(await db.collection(collections.events).countDocuments({ executionId })).toBe(0);
      expect(await db.collection(contractCollections.contracts).countDocuments({ executionId })).toBe(0);
      expect(await db.collection(`${contractCollections.pdfBucket}.files`).countDocuments({ _id: { $in: contractIds as never[] } })).toBe(0);
      expect(await db.collection(`${contractCollections.pdfBucket}.chunks`).countDocuments({ files_id: { $in: contractIds as never[] } })).toBe(0);
    }
  });

  it('lets the owner or an admin delete a finished execution at once; a waiting or running one is refused', async () => {
    const running = await started(alice, 'Kept');
    const waiting = await started(alice, 'Kept');
    await waitFor(() => (gate.running.has(running) ? true : undefined), { what: 'the first Kept run' });

    expect((await server.as(bob).request(ApiDeleteExecutionDocument, { executionId: running })).deleteExecution).toMatchObject({
      __typename: 'ExecutionNotFound',
    });
    for (const executionId of [running, waiting]) {
      const { deleteExecution } = await server.as(alice).request(ApiDeleteExecutionDocument, { executionId });
      expect(deleteExecution).toMatchObject({ __typename: 'ExecutionNotFinished', execution: { id: executionId } });
      expect(deleteExecution.__typename === 'ExecutionNotFinished' && deleteExecution.message).toMatch(/only a finished execution can be deleted/);
    }

    gate.release(running);
    const done = await finished(alice, running);
    // The task's own retention, not the server's.
    expect(done).toMatchObject({ status: 'COMPLETED', task: { retentionHours: 1_000 } });
    expect(new Date(done.expiresAt!).getTime()).toBe(new Date(done.finishedAt!).getTime() + 1_000 * 3_600_000);
    expect((await server.as(alice).request(ApiDeleteExecutionDocument, { executionId: running })).deleteExecution).toEqual({
      __typename: 'ExecutionDeleted',
      executionId: running,
    });
    expect(await status(alice, running)).toBeNull();
    expect((await server.as(alice).request(ApiDeleteExecutionDocument, { executionId: running })).deleteExecution).toMatchObject({
      __typename: 'ExecutionNotFound',
    });

    // An admin may delete anyone's.
    await waitFor(() => (gate.running.has(waiting) ? true : undefined), { what: 'the second Kept run' });
    gate.release(waiting);
    await finished(alice, waiting);
    expect((await server.as(ops).request(ApiDeleteExecutionDocument, { executionId: waiting })).deleteExecution).toMatchObject({
      __typename: 'ExecutionDeleted',
    });
  });

  it('refuses a caller beyond maxQueuedPerCaller with a typed answer while other callers go on', async () => {
    const first = await started(alice, 'Fair');
    await waitFor(() => (gate.running.has(first) ? true : undefined), { what: 'the first Fair run' });
    const waiting = [await started(alice, 'Fair'), await started(alice, 'Fair'), await started(alice, 'Fair')];

    const refused = await start(alice, 'Fair');
    expect(refused).toMatchObject({ __typename: 'CallerQueueFull', task: 'Fair', maxQueuedPerCaller: 3, caller: 'alice' });
    expect(refused.__typename === 'CallerQueueFull' && refused.message).toMatch(/alice already has 3 execution\(s\) of task Fair waiting/);
    const bobs = await started(bob, 'Fair');
    expect((await status(bob, bobs))!.task.maxQueuedPerCaller).toBe(3);

    // Raised at run time (configureTask, admins only), it lets alice queue one more.
    const { configureTask } = await server.as(ops).request(ApiLimitPerCallerDocument, { task: 'Fair', maxQueuedPerCaller: 4 });
    expect(configureTask).toMatchObject({ __typename: 'Task', maxQueuedPerCaller: 4 });
    const fourth = await started(alice, 'Fair');
    expect(await start(alice, 'Fair')).toMatchObject({ __typename: 'CallerQueueFull', maxQueuedPerCaller: 4 });

    // Exact under concurrent starts: with one place left for bob, one of 12 at once gets it.
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => start(bob, 'Fair')));
    expect(outcomes.filter((outcome) => outcome.__typename === 'TaskQueued')).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome.__typename === 'CallerQueueFull')).toHaveLength(9);

    for (const id of [first, ...waiting, fourth, bobs]) gate.release(id);
    for (const outcome of outcomes) if (outcome.__typename === 'TaskQueued') gate.release(outcome.execution.id);
  });

  it('keeps the newest feedback lines within FEEDBACK_TEXT_MAX_BYTES, and every line in the replay', async () => {
    const executionId = await started(alice, 'Chatty', { lines: 1_500 });
    const done = await finished(alice, executionId);
    expect(done.status).toBe('COMPLETED');
    expect(Buffer.byteLength(done.feedback)).toBeLessThanOrEqual(64 * 1024);
    const lines = done.feedback.split('\n');
    expect(lines[0]).toBe(feedbackTrimmedNote);
    expect(lines.at(-1)).toMatch(/^Line 1500 of 1500: /);
    const firstKept = Number(/^Line (\d+) of/.exec(lines[1]!)![1]);
    expect(lines.slice(1).map((line) => Number(/^Line (\d+) of/.exec(line)![1]))).toEqual(
      Array.from({ length: 1_501 - firstKept }, (_, i) => firstKept + i),
    );

    const replay = server.as(alice).subscribe(ApiFeedbackReplayDocument, { executionId, afterSequence: 0 });
    await replay.done;
    const feedback = replay.events.filter((event) => event.taskFeedback.kind === 'FEEDBACK');
    expect(feedback).toHaveLength(1_500);
    expect(feedback[0]!.taskFeedback.message).toMatch(/^Line 1 of 1500: /);
  });
});
