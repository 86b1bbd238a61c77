import { connect } from 'node:net';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddClientsDocument,
  ConfigureTaskDocument,
  ContractGroupDocument,
  ContractGroupsDocument,
  ContractsDocument,
  CreateContractGroupDocument,
  StartTaskDocument,
  StopTaskDocument,
  TaskDocument,
  TaskExecutionsDocument,
  TaskFeedbackDocument,
  TaskStatusDocument,
  UpdateContractTemplateDocument,
  type ConfigureTaskMutationVariables,
} from '../generated/graphql.js';
import { createGroup, demoGroup, feedbackUntilEnd, madeUpClients, startContractCreator } from '../support/contract-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('bad input gets a clear, typed answer and changes nothing', () => {
  let server: TestApp;
  let premium: Awaited<ReturnType<typeof demoGroup>>;

  beforeAll(async () => {
    server = await startTestApp();
    premium = await demoGroup(server, 'Premium');
  });
  afterAll(async () => {
    await server?.close();
  });

  const executionCount = async () => (await server.request(TaskExecutionsDocument, {})).taskExecutions.totalCount;
  const contractCreator = async () => (await server.request(TaskDocument, { name: 'ContractCreator' })).task!;

  describe('startTask', () => {
    it('answers TaskNotFound, naming the task, for an unknown task', async () => {
      const before = await executionCount();
      const { startTask } = await server.request(StartTaskDocument, { task: 'NoSuchTask', input: { groupId: premium.id } });
      expect(startTask).toMatchObject({ __typename: 'TaskNotFound', task: 'NoSuchTask' });
      if (startTask.__typename !== 'TaskNotFound') return;
      expect(startTask.message).toContain('NoSuchTask');
      expect(await executionCount()).toBe(before);
    });

    // [case, input, where the problem is, what its message says]
    const invalidInputs: Array<[string, () => unknown, string, RegExp]> = [
      ['no input at all', () => undefined, '', /expected object/i],
      ['an input that is not an object', () => 'premium', '', /expected object/i],
      ['a groupId that is a number', () => ({ groupId: 42 }), 'groupId', /expected string/i],
      ['an unknown extra field', () => ({ groupId: premium.id, extra: true }), 'extra', /extra/],
      ['a groupId no group has', () => ({ groupId: 'no-such-group' }), 'groupId', /no-such-group/],
    ];
    it.each(invalidInputs)('answers InvalidTaskInput for %s, with each problem at its path', async (_, input, path, message) => {
      const before = await executionCount();
      const { startTask } = await server.request(StartTaskDocument, { task: 'ContractCreator', input: input() });
      expect(startTask.__typename).toBe('InvalidTaskInput');
      if (startTask.__typename !== 'InvalidTaskInput') return;
      expect(startTask.task).toBe('ContractCreator');
      expect(startTask.problems.length).toBeGreaterThan(0);
      for (const problem of startTask.problems) {
        expect(typeof problem.path).toBe('string');
        expect(problem.message).not.toBe('');
        expect(startTask.message).toContain(problem.message);
      }
      expect(startTask.problems).toContainEqual({ path, message: expect.stringMatching(message) });
      expect(await executionCount()).toBe(before);
    });

    it('refuses an input of more than 64 KiB of JSON, naming the limit, and stores nothing', async () => {
      const before = await executionCount();
      const { startTask } = await server.request(StartTaskDocument, {
        task: 'ContractCreator',
        input: { groupId: premium.id, padding: 'x'.repeat(70_000) },
      });
      expect(startTask.__typename).toBe('InvalidTaskInput');
      if (startTask.__typename !== 'InvalidTaskInput') return;
      expect(startTask.message).toMatch(/65536|64 ?KiB/);
      expect(startTask.problems).toEqual([{ path: '', message: expect.stringMatching(/limit/) }]);
      expect(await executionCount()).toBe(before);
    });

    /** `{ groupId, nested: [[…]] }` with arrays `levels` deep inside it. */
    const nestedInput = (levels: number) => ({ groupId: premium.id, nested: JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`) as unknown });

    it('refuses an input nested 10,000 levels deep (20 KB) as InvalidTaskInput naming the depth limit', async () => {
      const before = await executionCount();
      // Written out by hand: JSON.stringify itself cannot go 10,000 levels deep.
      const levels = 10_000;
      const input = `{"groupId":${JSON.stringify(premium.id)},"nested":${'['.repeat(levels)}${']'.repeat(levels)}}`;
      const response = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"query":${JSON.stringify(print(StartTaskDocument))},"variables":{"task":"ContractCreator","input":${input}}}`,
      });
      const result = (await response.json()) as { data?: { startTask: unknown }; errors?: unknown };
      expect(result.errors).toBeUndefined();
      expect(result.data?.startTask).toMatchObject({
        __typename: 'InvalidTaskInput',
        problems: [{ path: '', message: 'input nests objects and arrays more than 32 levels deep' }],
      });
      expect(await executionCount()).toBe(before);
    });

    it('measures depth from the input itself: 32 levels pass the depth check, 33 do not', async () => {
      // The input object is level 1 and the array below it level 2, so 30 more arrays make 32.
      const allowed = await server.request(StartTaskDocument, { task: 'ContractCreator', input: nestedInput(31) });
      // Within the depth limit it reaches the schema, which refuses the unknown field.
      expect(allowed.startTask).toMatchObject({ __typename: 'InvalidTaskInput', problems: [{ path: 'nested' }] });
      const refused = await server.request(StartTaskDocument, { task: 'ContractCreator', input: nestedInput(32) });
      expect(refused.startTask).toMatchObject({ __typename: 'InvalidTaskInput', problems: [{ path: '', message: expect.stringMatching(/32 levels/) }] });
    });
  });

  describe('configureTask', () => {
    const invalidLimits: Array<[string, Omit<ConfigureTaskMutationVariables, 'task'>, string]> = [
      ['maxConcurrentExecutions 0', { maxConcurrentExecutions: 0 }, 'maxConcurrentExecutions'],
      ['a negative maxConcurrentExecutions', { maxConcurrentExecutions: -3 }, 'maxConcurrentExecutions'],
      ['timeoutMinutes 0', { timeoutMinutes: 0 }, 'timeoutMinutes'],
      ['a timeoutMinutes of 1e-320 (below the 0.001 minimum)', { timeoutMinutes: 1e-320 }, 'timeoutMinutes'],
      ['a timeoutMinutes of 0.0009', { timeoutMinutes: 0.0009 }, 'timeoutMinutes'],
      ['a valid maxQueueLength beside maxConcurrentExecutions 0', { maxQueueLength: 3, maxConcurrentExecutions: 0 }, 'maxConcurrentExecutions'],
    ];
    it.each(invalidLimits)('answers InvalidTaskInput for %s and keeps the limits', async (_, limits, path) => {
      const before = await contractCreator();
      const { configureTask } = await server.request(ConfigureTaskDocument, { task: 'ContractCreator', ...limits });
      expect(configureTask.__typename).toBe('InvalidTaskInput');
      if (configureTask.__typename !== 'InvalidTaskInput') return;
      expect(configureTask.problems.map((problem) => problem.path)).toEqual([path]);
      expect(configureTask.message).toContain(path);
      expect(await contractCreator()).toEqual(before);
    });

    it('refuses a non-integer maxConcurrentExecutions (an Int in the schema) and keeps the limits', async () => {
      const before = await contractCreator();
      const result = await server.execute(ConfigureTaskDocument, { task: 'ContractCreator', maxConcurrentExecutions: 1.5 });
      expect(result.data?.configureTask).toBeUndefined();
      expect(result.errors?.[0]?.message).toMatch(/maxConcurrentExecutions.*non-integer value: 1\.5/);
      expect(await contractCreator()).toEqual(before);
    });

    it('answers TaskNotFound, naming the task, for an unknown task', async () => {
      const { configureTask } = await server.request(ConfigureTaskDocument, { task: 'NoSuchTask', maxConcurrentExecutions: 2 });
      expect(configureTask.__typename).toBe('TaskNotFound');
      if (configureTask.__typename !== 'TaskNotFound') return;
      expect(configureTask.message).toContain('NoSuchTask');
    });
  });

  describe('unknown and finished executions', () => {
    it('answers null for the taskStatus of an unknown id', async () => {
      expect((await server.request(TaskStatusDocument, { executionId: 'no-such-execution' })).taskStatus).toBeNull();
    });

    it('answers ExecutionNotFound to stopTask of an unknown id', async () => {
      const { stopTask } = await server.request(StopTaskDocument, { executionId: 'no-such-execution' });
      expect(stopTask).toMatchObject({ __typename: 'ExecutionNotFound', executionId: 'no-such-execution' });
      if (stopTask.__typename !== 'ExecutionNotFound') return;
      expect(stopTask.message).toContain('no-such-execution');
    });

    it('answers ExecutionAlreadyFinished, with its status, to stopTask of a finished execution', async () => {
      const groupId = await createGroup(server, { name: 'One client', clients: madeUpClients(1) });
      const { id } = await startContractCreator(server, groupId);
      expect((await feedbackUntilEnd(server, id)).at(-1)?.status).toBe('COMPLETED');

      const { stopTask } = await server.request(StopTaskDocument, { executionId: id });
      expect(stopTask.__typename).toBe('ExecutionAlreadyFinished');
      if (stopTask.__typename !== 'ExecutionAlreadyFinished') return;
      expect(stopTask.execution).toMatchObject({ id, status: 'COMPLETED' });
      expect(stopTask.message).toContain('COMPLETED');
      expect((await server.request(TaskStatusDocument, { executionId: id })).taskStatus).toMatchObject({ status: 'COMPLETED' });
    });

    it.each([0, undefined])('ends a taskFeedback subscription of an unknown id (afterSequence %s) with an error', async (afterSequence) => {
      const feed = server.subscribe(TaskFeedbackDocument, { executionId: 'no-such-execution', afterSequence });
      await expect(feed.done).rejects.toThrow(/No execution has the id \\?"no-such-execution/);
      expect(feed.events).toEqual([]);
    });

    it('ends a taskFeedback subscription with a negative afterSequence with an error', async () => {
      const groupId = await createGroup(server, { name: 'Negative sequence', clients: madeUpClients(1) });
      const { id } = await startContractCreator(server, groupId);
      const feed = server.subscribe(TaskFeedbackDocument, { executionId: id, afterSequence: -1 });
      await expect(feed.done).rejects.toThrow(/afterSequence must be 0 or more/);
      expect(feed.events).toEqual([]);
    });

    it('refuses a taskFeedback afterSequence past the latest event, instead of a stream that never ends', async () => {
      const id = (await startContractCreator(server, premium.id)).id;
      const feed = server.subscribe(TaskFeedbackDocument, { executionId: id, afterSequence: 5_000 });
      await expect(feed.done).rejects.toThrow(/afterSequence 5000 is past the execution's latest event \(sequence \d+\)/);
      expect(feed.events).toEqual([]);
      // After the end, the same: there never was such an event.
      const last = (await feedbackUntilEnd(server, id)).at(-1)!.sequence;
      await expect(server.subscribe(TaskFeedbackDocument, { executionId: id, afterSequence: last + 1 }).done).rejects.toThrow(/past the execution's latest event/);
      const atTheEnd = server.subscribe(TaskFeedbackDocument, { executionId: id, afterSequence: last });
      await atTheEnd.done;
      expect(atTheEnd.events).toEqual([]);
    });
  });

  describe('filters', () => {
    it('matches nothing for an empty id or task name, instead of ignoring the filter', async () => {
      const execution = await startContractCreator(server, premium.id);
      await feedbackUntilEnd(server, execution.id);
      expect((await server.request(TaskExecutionsDocument, {})).taskExecutions.totalCount).toBeGreaterThan(0);
      expect((await server.request(ContractsDocument, {})).contracts.totalCount).toBeGreaterThan(0);

      expect((await server.request(TaskExecutionsDocument, { task: '' })).taskExecutions).toMatchObject({ totalCount: 0, edges: [] });
      expect((await server.request(ContractsDocument, { executionId: '' })).contracts).toMatchObject({ totalCount: 0, edges: [] });
      expect((await server.request(ContractsDocument, { groupId: '' })).contracts).toMatchObject({ totalCount: 0, edges: [] });
    });
  });

  describe('connection arguments', () => {
    const cases = [
      ['taskExecutions(first: 1000)', () => server.execute(TaskExecutionsDocument, { first: 1000 }), /"first" must be between 0 and 100/],
      ['taskExecutions(first: -1)', () => server.execute(TaskExecutionsDocument, { first: -1 }), /"first" must be between 0 and 100/],
      ['taskExecutions(after: <not a cursor>)', () => server.execute(TaskExecutionsDocument, { after: 'not-a-cursor' }), /cursor/i],
      ['contracts(first: 1000)', () => server.execute(ContractsDocument, { first: 1000 }), /"first" must be between 0 and 100/],
      ['contracts(after: <not a cursor>)', () => server.execute(ContractsDocument, { after: 'not-a-cursor' }), /cursor/i],
    ] as const;
    it.each(cases)('answers %s with a GraphQL error that says what is wrong', async (_, run, message) => {
      const result = await run();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.message).toMatch(message);
      expect(result.errors![0]!.message).not.toBe('Unexpected error.');
      expect(result.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('HTTP', () => {
    const post = (body: string, method = 'POST') =>
      fetch(server.graphqlUrl, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body,
      });

    it.each([
      ['a body that is not JSON', '{"query": '],
      ['a body without a query', '{"variables": {}}'],
      ['a query that does not parse', JSON.stringify({ query: 'query { tasks { name ' })],
    ])('answers 400 to %s', async (_, body) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { errors?: Array<{ message: string }> };
      expect(answer.errors?.[0]?.message).toBeTruthy();
    });

    it('answers POST with a body that is not JSON without echoing the parser\'s error', async () => {
      const answer = (await (await post('{"query": ')).json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
      expect(answer.errors).toEqual([{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }]);
    });

    it.each([
      ['variables', 'notjson'],
      ['variables', '{'],
      ['variables', '[1]'],
      ['extensions', 'notjson'],
    ])('answers 400 BAD_REQUEST to a GET whose %s search parameter is %j, not 500', async (name, value) => {
      const url = `${server.graphqlUrl}?query=${encodeURIComponent('{ tasks { name } }')}&${name}=${encodeURIComponent(value)}`;
      const response = await fetch(url, { headers: { 'x-graphql-yoga-csrf': '1' } });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ errors: [{ message: `The "${name}" search parameter must be a JSON object.`, extensions: { code: 'BAD_REQUEST' } }] });
    });

    it('answers 400 to a download whose id has a malformed %-escape, and to a request target that is no path', async () => {
      for (const path of ['/contracts/%ZZ.pdf', '/contracts/%E0%A4%A.pdf']) {
        const response = await fetch(`${server.url}${path}`);
        expect(response.status).toBe(400);
        expect(((await response.json()) as { error: string }).error).toMatch(/malformed %-escape/);
      }
      const { port } = new URL(server.url);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end('GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
        let text = '';
        socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('close', () => resolve(text)).on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400/);
      expect(answer).toContain('not a valid URL path');
    });

    it('answers 405 to PUT', async () => {
      const response = await post(JSON.stringify({ query: '{ tasks { name } }' }), 'PUT');
      expect(response.status).toBe(405);
      await response.body?.cancel();
    });

    it('answers 404 to the download of an unknown contract', async () => {
      const response = await fetch(`${server.url}/contracts/unknown.pdf`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: string }).error).toContain('unknown');
    });

    it('answers /health and /ready with 200', async () => {
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${server.url}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', store: 'memory' });
    });
  });

  describe('contract groups and clients', () => {
    const groupCount = async () => (await server.request(ContractGroupsDocument)).contractGroups.length;
    const body = 'Agreement with {{name}}.';

    it.each([
      ['an empty name', { name: '', title: 'A title' }, 'name'],
      ['a blank name', { name: '   ', title: 'A title' }, 'name'],
      ['a name of only a zero-width space', { name: '\u200b', title: 'A title' }, 'name'],
      ['a name with a NUL', { name: 'ok\u0000', title: 'A title' }, 'name'],
      ['a name with a line break', { name: 'two\nlines', title: 'A title' }, 'name'],
      ['a name with a lone surrogate', { name: 'half \ud800', title: 'A title' }, 'name'],
      ['a title with an escape sequence', { name: 'Escaped', title: 'A \u001b[31mtitle' }, 'title'],
      ['an empty title', { name: 'Untitled', title: '' }, 'title'],
      ['the name of an existing group', { name: 'Premium', title: 'A title' }, 'name'],
      ['an existing name in other case', { name: 'premium', title: 'A title' }, 'name'],
    ])('answers InvalidContractInput to createContractGroup with %s', async (_, group, path) => {
      const before = await groupCount();
      const { createContractGroup } = await server.request(CreateContractGroupDocument, { ...group, body });
      expect(createContractGroup.__typename).toBe('InvalidContractInput');
      if (createContractGroup.__typename !== 'InvalidContractInput') return;
      expect(createContractGroup.problems.map((problem) => problem.path)).toEqual([path]);
      expect(createContractGroup.message).toContain(path);
      expect(await groupCount()).toBe(before);
    });

    it('answers ContractGroupNotFound to updateContractTemplate and addClients on an unknown group', async () => {
      const { updateContractTemplate } = await server.request(UpdateContractTemplateDocument, { groupId: 'no-such-group', title: 'T', body });
      expect(updateContractTemplate.__typename).toBe('ContractGroupNotFound');
      if (updateContractTemplate.__typename === 'ContractGroupNotFound') expect(updateContractTemplate.message).toContain('no-such-group');
      const { addClients } = await server.request(AddClientsDocument, { groupId: 'no-such-group', clients: madeUpClients(1) });
      expect(addClients.__typename).toBe('ContractGroupNotFound');
      if (addClients.__typename === 'ContractGroupNotFound') expect(addClients.message).toContain('no-such-group');
    });

    it('answers InvalidContractInput to a template update with an empty title and keeps the template', async () => {
      const { updateContractTemplate } = await server.request(UpdateContractTemplateDocument, { groupId: premium.id, title: '', body });
      expect(updateContractTemplate.__typename).toBe('InvalidContractInput');
      if (updateContractTemplate.__typename === 'InvalidContractInput') expect(updateContractTemplate.message).toContain('title');
      expect((await server.request(ContractGroupDocument, { id: premium.id })).contractGroup?.template).toEqual(premium.template);
    });

    it.each([
      ['the only client', (bad: ReturnType<typeof madeUpClients>) => bad, 'clients.0.email'],
      ['the second of two clients', (bad: ReturnType<typeof madeUpClients>) => [...madeUpClients(1, 'Valid'), ...bad], 'clients.1.email'],
    ])('answers InvalidContractInput naming the e-mail of %s and adds no client', async (_, clients, path) => {
      const bad = [{ name: 'No Mail', email: 'not-an-email', address: '1 Example Street' }];
      const { addClients } = await server.request(AddClientsDocument, { groupId: premium.id, clients: clients(bad) });
      expect(addClients.__typename).toBe('InvalidContractInput');
      if (addClients.__typename !== 'InvalidContractInput') return;
      expect(addClients.problems.map((problem) => problem.path)).toEqual([path]);
      expect(addClients.message).toContain(path);
      expect((await server.request(ContractGroupDocument, { id: premium.id })).contractGroup?.clientCount).toBe(premium.clientCount);
    });
  });
});
