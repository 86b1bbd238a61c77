import { readFileSync } from 'node:fs';
import { getIntrospectionQuery, parse, validate as validateDocument } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config.js';
import { graphqlLimitPlugins } from '../../src/graphql/limits.js';
import { createDemoSchema } from '../../src/demo-schema.js';
import { createSchema } from '../../src/graphql/schema.js';
import { TaskDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type GraphQLAnswer = { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

/** POSTs a query as a GraphQL client would; resolves with the HTTP status and the answer. */
async function post(server: TestApp, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, answer: (await response.json()) as GraphQLAnswer };
}

// The schema `npm start` serves: the project's operations include the contract example's.
const demoSchema = await createDemoSchema();

describe('the project\'s own operations under the default limits', () => {
  const config = defaultConfig();
  const { parse: parseWithLimits, validate, schema } = createYoga({
    schema: demoSchema,
    plugins: graphqlLimitPlugins(config),
    logging: false,
  }).getEnveloped({});

  const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
  const tourBlocks = [...read('../../README.md').matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const documents: Array<[string, string]> = [
    ...['contracts', 'tasks', 'tracker'].map((name): [string, string] => [`test/operations/${name}.graphql`, read(`../operations/${name}.graphql`)]),
    ...['contracts', 'tasks', 'tracker'].map((name): [string, string] => [`src/web/operations/${name}.graphql`, read(`../../src/web/operations/${name}.graphql`)]),
    ...tourBlocks.map((block, index): [string, string] => [`README tour block ${index + 1}`, block]),
    ['GraphiQL\'s introspection query', getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true })],
  ];

  it('finds the README tour', () => {
    expect(tourBlocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(documents)('%s passes every limit', (_, source) => {
    expect(validate(schema, parseWithLimits(source)).map((error: Error) => error.message)).toEqual([]);
  });

  // The page works on a server without the contract example: what it always sends needs no extension.
  it.each(['tasks', 'tracker'])("the page's %s operations are valid on a server without extensions", (name) => {
    const core = createSchema();
    expect(validateDocument(core, parse(read(`../../src/web/operations/${name}.graphql`))).map((error) => error.message)).toEqual([]);
  });
});

describe('GraphQL limits (GRAPHQL_MAX_DEPTH, _ALIASES, _TOKENS, _COST), small ones configured', () => {
  const limits = { graphqlMaxDepth: 3, graphqlMaxAliases: 2, graphqlMaxTokens: 100, graphqlMaxCost: 200 };
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(limits);
  });
  afterAll(async () => {
    await server?.close();
  });

  const queueLength = async () => (await server.request(TaskDocument, { name: 'ContractCreator' })).task?.maxQueueLength;

  async function expectRefused(query: string, limit: string, message: string): Promise<void> {
    const { status, answer } = await post(server, query);
    expect(status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toEqual([{ message, extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED', limit }) }]);
    // Refused, and nothing else: the next request is served.
    expect(await queueLength()).toBeGreaterThan(0);
  }

  it('runs operations within every limit', async () => {
    const { status, answer } = await post(server, '{ a: contractGroups { template { title } } b: tasks { name } taskExecutions(first: 5) { totalCount } }');
    expect(status).toBe(200);
    expect(answer.errors).toBeUndefined();
  });

  it('refuses an operation deeper than GRAPHQL_MAX_DEPTH', async () => {
    await expectRefused('{ contractGroups { clients { group { id } } } }', 'depth', 'Query depth limit of 3 exceeded, found 4.');
  });

  it('counts the fields inside fragments towards the depth', async () => {
    await expectRefused(
      '{ contractGroups { ...Deep } } fragment Deep on ContractGroup { clients { ... on Client { group { id } } } }',
      'depth',
      'Query depth limit of 3 exceeded, found 4.',
    );
  });

  it('refuses more aliases than GRAPHQL_MAX_ALIASES, and a refused mutation changes nothing', async () => {
    const before = await queueLength();
    const configure = (alias: string) => `${alias}: configureTask(task: "ContractCreator", maxQueueLength: 3) { __typename }`;
    await expectRefused(`mutation { ${['a', 'b', 'c'].map(configure).join(' ')} }`, 'aliases', 'Aliases limit of 2 exceeded, found 3.');
    expect(await queueLength()).toBe(before);
  });

  it('refuses a document of more tokens than GRAPHQL_MAX_TOKENS', async () => {
    await expectRefused(`{ tasks { ${'name '.repeat(100)}} }`, 'tokens', 'Token limit of 100 exceeded.');
  });

  it('refuses an operation that costs more than GRAPHQL_MAX_COST (a literal `first` multiplies its page)', async () => {
    // (2 + 1.5 * edges (2 + 1.5 * cursor 1)) * 50 = 362.5
    await expectRefused('{ taskExecutions(first: 50) { edges { cursor } } }', 'cost', 'Query Cost limit of 200 exceeded, found 362.5.');
  });
});

describe("graphql-js's own validation budget", () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('says what was exceeded when a field is selected too many times to compare, not a bare "Validation aborted."', async () => {
    const { status, answer } = await post(server, `{ tasks { ${'name '.repeat(800)}} }`);
    expect(status).toBe(400);
    expect(answer.errors).toEqual([
      {
        message: 'The operation is too complex to validate: select each field once, and spread fragments fewer times.',
        extensions: { code: 'LIMIT_EXCEEDED', limit: 'validationWork' },
      },
    ]);
  });
});

describe('introspection and field suggestions (GRAPHQL_INTROSPECTION), GraphiQL (GRAPHIQL)', () => {
  describe('on (the development default)', () => {
    let server: TestApp;
    beforeAll(async () => {
      server = await startTestApp();
    });
    afterAll(async () => {
      await server?.close();
    });

    it('answers introspection and suggests field names', async () => {
      expect((await post(server, '{ __type(name: "Task") { name } }')).answer).toEqual({ data: { __type: { name: 'Task' } } });
      expect((await post(server, '{ tasks { nme } }')).answer.errors?.[0]?.message).toBe('Cannot query field "nme" on type "Task". Did you mean "name"?');
    });
  });

  describe('off (the production default)', () => {
    let server: TestApp;
    beforeAll(async () => {
      server = await startTestApp({ graphqlIntrospection: false, graphiql: false });
    });
    afterAll(async () => {
      await server?.close();
    });

    it.each([
      ['__schema', '{ __schema { types { name } } }'],
      ['__type', '{ __type(name: "Task") { name } }'],
    ])('refuses %s over HTTP', async (field, query) => {
      const { status, answer } = await post(server, query);
      expect(status).toBe(400);
      expect(answer.errors?.[0]?.message).toBe(`GraphQL introspection has been disabled, but the requested query contained the field "${field}".`);
    });

    it('refuses introspection over WebSocket too', async () => {
      const feed = server.subscribe(parse('{ __schema { queryType { name } } }'), {});
      await expect(feed.done).rejects.toThrow(/GraphQL introspection has been disabled/);
    });

    it('still answers __typename, which clients need for unions', async () => {
      expect((await post(server, '{ __typename }')).answer).toEqual({ data: { __typename: 'Query' } });
    });

    it.each([
      ['field', '{ tasks { nme } }', undefined, 'Cannot query field "nme" on type "Task".'],
      ['argument', '{ taskExecutions(firs: 1) { totalCount } }', undefined, 'Unknown argument "firs" on field "Query.taskExecutions".'],
      ['enum value', '{ taskExecutions(status: RUNNIN) { totalCount } }', undefined, 'Value "RUNNIN" does not exist in "TaskExecutionStatus" enum.'],
      [
        'enum value in a variable',
        'query ($status: TaskExecutionStatus) { taskExecutions(status: $status) { totalCount } }',
        { status: 'RUNNIN' },
        'Variable "$status" got invalid value "RUNNIN"; Value "RUNNIN" does not exist in "TaskExecutionStatus" enum.',
      ],
    ])('names no schema element in the error for a misspelled %s', async (_, query, variables, message) => {
      const { answer } = await post(server, query, variables);
      expect(answer.errors?.map((error) => error.message)).toEqual([message]);
    });

    it('does not serve GraphiQL', async () => {
      const response = await fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(await response.text()).not.toContain('GraphiQL');
    });
  });
});
