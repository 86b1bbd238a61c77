import { once } from 'node:events';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { StartTaskDocument, StopTaskDocument, TaskFeedbackDocument } from '../generated/graphql.js';
import { createPackedConsumer, type PackedConsumer } from '../support/packed-consumer.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The package as a team uses it: `npm pack`, installed into a project of its own, which defines
 * its tasks and worker jobs (test/package/consumer), compiles them with `tsc --strict` against the
 * package's types, and runs them through `createServer` and through the `async-task-server` CLI.
 */
describe('the packed package in a project of its own', () => {
  let consumer: PackedConsumer;
  beforeAll(async () => {
    consumer = await createPackedConsumer();
  }, 240_000);
  afterAll(async () => {
    await consumer?.dispose();
  });

  async function graphql(url: string, query: string, variables?: Record<string, unknown>) {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: Record<string, any>; errors?: unknown };
  }

  async function feedbackOf(url: string, executionId: string) {
    const client = createClient({ url: `${url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    const events: Array<{ status: string; message: string | null }> = [];
    try {
      await new Promise<void>((resolve, reject) => {
        client.subscribe(
          { query: print(TaskFeedbackDocument), variables: { executionId, afterSequence: 0 } },
          { next: ({ data }) => data && events.push((data as { taskFeedback: { status: string; message: string | null } }).taskFeedback), error: reject, complete: resolve },
        );
      });
    } finally {
      await client.dispose();
    }
    return events;
  }

  it('ships the built code, its types, the web page, the README and the LICENSE, and nothing of the sources or tests', async () => {
    const files = await consumer.packedFiles();
    for (const expected of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/extension.d.ts', 'dist/cli.js', 'dist/web/index.html']) {
      expect(files).toContain(expected);
    }
    expect(files.filter((file) => /^(src|test)\//.test(file))).toEqual([]);
  });

  it("runs the project's tasks through createServer: feedback to COMPLETED, a stop that ends a job that never returns", async () => {
    const server = await consumer.start('node', ['dist/server.js'], /"listening":"(http:[^"]+)"/);
    const url = server.match[1]!;

    const started = await graphql(url, print(StartTaskDocument), { task: 'SumNumbers', input: { n: 1000, steps: 3 } });
    expect(started.data?.startTask.__typename).toBe('TaskQueued');
    const events = await feedbackOf(url, started.data!.startTask.execution.id);
    expect(events.filter((event) => event.message?.startsWith('Step')).map((event) => event.message)).toEqual([
      'Step 1 of 3 done',
      'Step 2 of 3 done',
      'Step 3 of 3 done',
    ]);
    expect(events.at(-1)!.status).toBe('COMPLETED');
    const { data } = await graphql(url, `{ taskStatus(executionId: "${started.data!.startTask.execution.id}") { result } }`);
    expect(data?.taskStatus.result).toEqual({ total: 3 * 500_500 });

    // One worker thread: the job that never ends holds it until the stop terminates the thread.
    const spinning = await graphql(url, print(StartTaskDocument), { task: 'Spin', input: {} });
    const spinId = spinning.data!.startTask.execution.id as string;
    await waitFor(async () => (await graphql(url, `{ taskStatus(executionId: "${spinId}") { feedback } }`)).data?.taskStatus.feedback === 'spinning', {
      what: 'the spinning job to run',
    });
    const stopped = await graphql(url, print(StopTaskDocument), { executionId: spinId });
    expect(stopped.data?.stopTask).toMatchObject({ __typename: 'TaskStopped', execution: { status: 'STOPPED' } });
    const after = await graphql(url, print(StartTaskDocument), { task: 'SumNumbers', input: { n: 10, steps: 1 } });
    expect((await feedbackOf(url, after.data!.startTask.execution.id)).at(-1)!.status).toBe('COMPLETED');

    // The contract example is not part of this server.
    const schema = await graphql(url, '{ extensions contract: __type(name: "ContractGroup") { name } tasks { name inputSchema } }');
    expect(schema.data).toMatchObject({ extensions: [], contract: null });
    expect(schema.data?.tasks.map((task: { name: string }) => task.name).sort()).toEqual(['Spin', 'SumNumbers']);
    expect(schema.data?.tasks.find((task: { name: string }) => task.name === 'SumNumbers').inputSchema).toMatchObject({
      type: 'object',
      required: ['n', 'steps'],
      properties: { n: { type: 'integer', minimum: 1 } },
    });
    const download = await fetch(`${url}/contracts/any.pdf`);
    expect(download.status).toBe(404);
    expect(await download.text()).not.toMatch(/No contract has the id/);

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });

  it('starts a server from the tasks module with the CLI, and says what it expects with --help', async () => {
    const help = await consumer.exec('node_modules/.bin/async-task-server', ['--help']);
    expect(help.stdout).toMatch(/--tasks <module>/);
    expect(help.stdout).toMatch(/exports:[\s\S]*tasks[\s\S]*workers/);

    const cli = await consumer.start(
      'node_modules/.bin/async-task-server',
      ['--tasks', './dist/tasks.js', '--port', '0'],
      /"url":"(http:[^"]+)\/graphql".*async-task-server listening/,
    );
    const url = cli.match[1]!;
    const started = await graphql(url, print(StartTaskDocument), { task: 'SumNumbers', input: { n: 100, steps: 2 } });
    expect((await feedbackOf(url, started.data!.startTask.execution.id)).at(-1)!.status).toBe('COMPLETED');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
  });

  it('refuses a tasks module without tasks, saying what it must export', async () => {
    await expect(consumer.exec('node_modules/.bin/async-task-server', ['--tasks', './dist/jobs.js'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/must export `tasks`/),
    });
  });
});
