import { parse } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServer, defineTask } from '../../src/index.js';
import { defineExtension, type ServerExtension } from '../../src/extension.js';
import { StartTaskDocument, TaskFeedbackDocument, TaskStatusDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * What a server is made of comes from its tasks and extensions only: without the contract example
 * it has none of its types, routes or tasks; an extension of one's own adds GraphQL types and
 * fields, a route and a task the same way the example does.
 */
describe('extensions', () => {
  let server: TestApp | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('gives a server without the contract example no contract type, field, route or task', async () => {
    server = await startTestApp({}, { contracts: false });
    const answer = await server.execute(parse('{ extensions tasks { name } contractGroup: __type(name: "ContractGroup") { name } }'));
    expect(answer.data).toEqual({ extensions: [], tasks: [], contractGroup: null });
    const query = await server.execute(parse('{ contractGroups { id } }'));
    expect(query.errors?.[0]?.message).toMatch(/Cannot query field "contractGroups" on type "Query"/);
    // Not the download route answering "no such contract": no route at all, so GraphQL's 404.
    const download = await fetch(`${server.url}/contracts/anything.pdf`);
    expect(download.status).toBe(404);
    expect(await download.text()).not.toMatch(/No contract has the id/);
  });

  it('lists the contract example when it is registered, with its task and its input as JSON Schema', async () => {
    server = await startTestApp();
    const answer = await server.execute(parse('{ extensions tasks { name inputSchema } }'));
    expect(answer.data).toEqual({
      extensions: ['contracts'],
      tasks: [
        {
          name: 'ContractCreator',
          inputSchema: {
            $schema: 'https://json-schema.org/draft/2020-12/schema',
            type: 'object',
            properties: { groupId: { type: 'string', minLength: 1, maxLength: 200 } },
            required: ['groupId'],
            additionalProperties: false,
          },
        },
      ],
    });
  });

  it("registers an extension's GraphQL types and fields, route and task, and closes it at shutdown", async () => {
    const greetings: string[] = [];
    let closed = false;
    const greeter: ServerExtension = defineExtension({
      name: 'greeter',
      setup: ({ storage }) => ({
        tasks: [
          defineTask({
            name: 'Greet',
            description: 'Remembers a greeting.',
            input: z.strictObject({ who: z.string().min(1) }),
            limits: { maxConcurrentExecutions: 1, maxQueueLength: 5, timeoutMinutes: 1 },
            async run(ctx) {
              greetings.push(`Hello, ${ctx.input.who}`);
              await ctx.feedback(`Greeted ${ctx.input.who}`, { progress: 1 });
              return { greeted: ctx.input.who };
            },
          }),
        ],
        schema: (builder) => {
          const Greeting = builder.objectRef<{ text: string }>('Greeting').implement({
            fields: (t) => ({ text: t.exposeString('text') }),
          });
          builder.queryField('greetings', (t) =>
            t.field({ type: [Greeting], resolve: (_, __, { principal }) => greetings.map((text) => ({ text: `${text} (asked by ${principal.role})` })) }),
          );
        },
        routes: [
          {
            path: /\/greetings\/(\d+)/,
            handle: (_req, res, { match, principal }) => {
              res.writeHead(200, { 'content-type': 'application/json' });
              res.end(JSON.stringify({ greeting: greetings[Number(match![1])] ?? null, storage: storage.kind, caller: principal?.role }));
            },
          },
        ],
        close: async () => {
          closed = true;
        },
      }),
    });
    server = await startTestApp({}, { contracts: false, extensions: [greeter] });

    const started = await server.request(StartTaskDocument, { task: 'Greet', input: { who: 'Ada' } });
    if (started.startTask.__typename !== 'TaskQueued') throw new Error(started.startTask.__typename);
    await server.subscribe(TaskFeedbackDocument, { executionId: started.startTask.execution.id, afterSequence: 0 }).done;
    expect((await server.request(TaskStatusDocument, { executionId: started.startTask.execution.id })).taskStatus?.result).toEqual({ greeted: 'Ada' });

    expect((await server.execute(parse('{ extensions greetings { text } }'))).data).toEqual({
      extensions: ['greeter'],
      greetings: [{ text: 'Hello, Ada (asked by admin)' }],
    });
    const route = await fetch(`${server.url}/greetings/0`);
    expect(await route.json()).toEqual({ greeting: 'Hello, Ada', storage: 'memory', caller: 'admin' });
    expect((await fetch(`${server.url}/greetings/0`, { method: 'POST' })).status).toBe(405);
    // A pattern matches the whole path, not a part of it.
    expect((await fetch(`${server.url}/greetings/0/more`)).status).toBe(404);

    await server.close();
    server = undefined;
    expect(closed).toBe(true);
  });

  it('refuses two extensions of one name, and an extension name that is not a technical name', async () => {
    const twin = () => defineExtension({ name: 'twin', setup: () => ({}) });
    await expect(startTestApp({}, { contracts: false, extensions: [twin(), twin()] })).rejects.toThrow(/Two extensions are named "twin"/);
    expect(() => defineExtension({ name: 'has spaces', setup: () => ({}) })).toThrow(/must be 1-100 letters/);
  });

  it('fails start() for a worker module that does not load; stop() after it is harmless', async () => {
    const server = await createServer({ env: {}, logLevel: 'silent', port: 0, workerThreads: 1, workers: new URL('../support/broken-worker.ts', import.meta.url) });
    await expect(server.start()).rejects.toThrow(/The worker modules could not be loaded: this worker module cannot be loaded/);
    await expect(server.stop()).resolves.toBeUndefined();
  });

  it('checks start()\'s port and host like PORT and HOST: an empty host would listen everywhere', async () => {
    const server = await createServer({ env: {}, logLevel: 'silent', workerThreads: 1 });
    await expect(server.start({ host: '' })).rejects.toThrow(/host: must be an address/);
    await expect(server.start({ port: -1 })).rejects.toThrow(/port: must be a port number/);
    await server.stop();
  });

  it('refuses to start when two worker modules export a job of one name', async () => {
    const workers = new URL('../support/test-workers.ts', import.meta.url);
    await expect(startTestApp({}, { contracts: false, workers: [workers, workers] })).rejects.toThrow(
      /worker modules could not be loaded: Two worker modules export a job named "\w+"/,
    );
  });
});
