import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiTokens } from '../../src/auth/api-tokens.js';
import {
  ConfigureTaskDocument,
  ContractsDocument,
  CreateContractGroupDocument,
  StartTaskDocument,
  StopTaskDocument,
  TaskExecutionsDocument,
  TaskExecutionUpdatesDocument,
  TaskFeedbackDocument,
  TaskStatusDocument,
} from '../generated/graphql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const alice = 'alice-token-0123456789abcdef';
const bob = 'bob-token-0123456789abcdef';
const ops = 'ops-token-0123456789abcdef';

/** Two users and an admin: each user sees and controls only their own executions. */
describe('API tokens and who sees what', () => {
  let server: TestApp;
  let aliceExecution: string;
  beforeAll(async () => {
    server = await startTestApp({ apiTokens: parseApiTokens({ API_TOKENS: `alice:user:${alice},bob:user:${bob},ops:admin:${ops}` }) });
    const started = await server.as(alice).request(StartTaskDocument, { task: 'ContractCreator', input: { groupId: 'standard' } });
    if (started.startTask.__typename !== 'TaskQueued') throw new Error(started.startTask.__typename);
    aliceExecution = started.startTask.execution.id;
    await waitFor(
      async () => Boolean((await server.as(alice).request(TaskStatusDocument, { executionId: aliceExecution })).taskStatus?.finishedAt),
      { what: "alice's execution to finish" },
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 401 without a token or with a wrong one, on GraphQL and on downloads', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer not-a-configured-token' }, { authorization: alice }];
    for (const headers of attempts) {
      const response = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ tasks { name } }' }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
    const { contracts } = await server.as(alice).request(ContractsDocument, { executionId: aliceExecution, first: 1 });
    const download = await fetch(`${server.url}${contracts.edges[0]!.node.downloadUrl}`);
    expect(download.status).toBe(401);
  });

  it('closes a WebSocket without a valid token with 4403', async () => {
    for (const connectionParams of [{}, { authorization: 'Bearer wrong-token-0123456789' }]) {
      const socket = new WebSocket(server.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams }));
      const code = await new Promise<number>((resolve) => socket.once('close', (closeCode: number) => resolve(closeCode)));
      expect(code).toBe(4403);
    }
  });

  it("answers another user's execution id exactly like an unknown id", async () => {
    const asBob = server.as(bob);
    const unknown = '01900000-0000-7000-8000-000000000000';
    expect((await asBob.request(TaskStatusDocument, { executionId: aliceExecution })).taskStatus).toBeNull();

    const stopOther = (await asBob.request(StopTaskDocument, { executionId: aliceExecution })).stopTask;
    const stopUnknown = (await asBob.request(StopTaskDocument, { executionId: unknown })).stopTask;
    expect(stopOther.__typename).toBe('ExecutionNotFound');
    expect(stopUnknown.__typename).toBe('ExecutionNotFound');

    const feedOther = asBob.subscribe(TaskFeedbackDocument, { executionId: aliceExecution, afterSequence: 0 });
    const feedUnknown = asBob.subscribe(TaskFeedbackDocument, { executionId: unknown, afterSequence: 0 });
    const [other, missing] = await Promise.allSettled([feedOther.done, feedUnknown.done]);
    expect(other.status).toBe('rejected');
    expect(missing.status).toBe('rejected');
    const message = (result: PromiseSettledResult<void>) => String((result as PromiseRejectedResult).reason).replaceAll(aliceExecution, 'ID').replaceAll(unknown, 'ID');
    expect(message(other)).toBe(message(missing));
    expect(feedOther.events).toEqual([]);

    expect((await asBob.request(TaskExecutionsDocument, { first: 100 })).taskExecutions.totalCount).toBe(0);
    expect((await asBob.request(ContractsDocument, { first: 100 })).contracts.totalCount).toBe(0);
    expect((await asBob.request(ContractsDocument, { executionId: aliceExecution, first: 100 })).contracts.totalCount).toBe(0);

    const { contracts } = await server.as(alice).request(ContractsDocument, { executionId: aliceExecution, first: 1 });
    const path = contracts.edges[0]!.node.downloadUrl;
    const asAlice = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${alice}` } });
    const asBobDownload = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${bob}` } });
    const unknownDownload = await fetch(`${server.url}/contracts/unknown.pdf`, { headers: { authorization: `Bearer ${bob}` } });
    expect(asAlice.status).toBe(200);
    expect(asBobDownload.status).toBe(404);
    expect(await asBobDownload.text()).toBe((await unknownDownload.text()).replace('unknown', contracts.edges[0]!.node.id));
  });

  it("shows each user only their own executions in lists and in the tracker feed; the admin sees all", async () => {
    const feed = server.as(bob).subscribe(TaskExecutionUpdatesDocument, { task: null });
    // Alice's start first, then Bob's: once Bob's own execution has arrived, Alice's would have too.
    const aliceAgain = await server.as(alice).request(StartTaskDocument, { task: 'ContractCreator', input: { groupId: 'standard' } });
    let bobsOwn: string | undefined;
    await waitFor(
      async () => {
        if (!bobsOwn) {
          const started = await server.as(bob).request(StartTaskDocument, { task: 'ContractCreator', input: { groupId: 'standard' } });
          if (started.startTask.__typename === 'TaskQueued') bobsOwn = started.startTask.execution.id;
        }
        return feed.events.some((event) => event.taskExecutionUpdates.id === bobsOwn && event.taskExecutionUpdates.status === 'COMPLETED');
      },
      { timeoutMs: 20_000, what: "Bob's own execution on his tracker feed" },
    );
    feed.unsubscribe();
    if (aliceAgain.startTask.__typename !== 'TaskQueued') throw new Error(aliceAgain.startTask.__typename);
    const seenByBob = new Set(feed.events.map((event) => event.taskExecutionUpdates.id));
    expect(seenByBob.has(aliceAgain.startTask.execution.id)).toBe(false);
    expect(seenByBob.has(aliceExecution)).toBe(false);

    const bobsList = (await server.as(bob).request(TaskExecutionsDocument, { first: 100 })).taskExecutions;
    expect(bobsList.edges.map((edge) => edge.node.id)).toEqual([bobsOwn]);
    const adminList = (await server.as(ops).request(TaskExecutionsDocument, { first: 100 })).taskExecutions;
    expect(adminList.edges.map((edge) => edge.node.id)).toEqual(expect.arrayContaining([aliceExecution, bobsOwn, aliceAgain.startTask.execution.id]));
    expect((await server.as(ops).request(TaskStatusDocument, { executionId: aliceExecution })).taskStatus?.id).toBe(aliceExecution);
  });

  it('lets only an admin configure tasks and change contract data', async () => {
    const asUser = await server.as(alice).request(ConfigureTaskDocument, { task: 'ContractCreator', maxQueueLength: 3 });
    expect(asUser.configureTask).toMatchObject({ __typename: 'Forbidden', message: expect.stringMatching(/admin/) });
    const group = await server.as(bob).request(CreateContractGroupDocument, { name: 'Sneaky', title: 'T', body: 'B' });
    expect(group.createContractGroup.__typename).toBe('Forbidden');

    const asAdmin = await server.as(ops).request(ConfigureTaskDocument, { task: 'ContractCreator', maxQueueLength: 3 });
    expect(asAdmin.configureTask).toMatchObject({ __typename: 'Task', maxQueueLength: 3 });
  });
});
