import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskDocument } from '../generated/graphql.js';
import { openBrowser } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A JSON GraphQL request of exactly `size` bytes: `{ tasks { name } }`, padded with blanks. */
function bodyOfSize(size: number, query = '{ tasks { name } }'): string {
  const json = JSON.stringify({ query });
  return `${json.slice(0, -1)}${' '.repeat(size - json.length)}}`;
}

type GraphQLAnswer = { data?: Record<string, unknown>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

describe('request body limit (MAX_REQUEST_BODY_BYTES)', () => {
  const maxBytes = 4096;
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ maxRequestBodyBytes: maxBytes });
  });
  afterAll(async () => {
    await server?.close();
  });

  const post = (body: string | ReadableStream<Uint8Array>) =>
    fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      ...(typeof body === 'string' ? {} : { duplex: 'half' }),
    } as RequestInit);

  async function expectServing(): Promise<void> {
    expect((await server.request(TaskDocument, { name: 'ContractCreator' })).task?.name).toBe('ContractCreator');
  }

  function expectRefusal(status: number, answer: GraphQLAnswer): void {
    expect(status).toBe(413);
    expect(answer.errors).toEqual([
      {
        message: `The request body is larger than the limit of ${maxBytes} bytes (MAX_REQUEST_BODY_BYTES).`,
        extensions: { code: 'PAYLOAD_TOO_LARGE', maxBytes },
      },
    ]);
  }

  it('runs an operation whose body is exactly at the limit', async () => {
    const response = await post(bodyOfSize(maxBytes));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { tasks: [{ name: 'ContractCreator' }] } });
  });

  it('refuses a body one byte over the limit with 413 and a GraphQL-shaped message, then serves the next request', async () => {
    const response = await post(bodyOfSize(maxBytes + 1));
    expectRefusal(response.status, (await response.json()) as GraphQLAnswer);
    expect(response.headers.get('connection')).toBe('close');
    await expectServing();
  });

  it('runs a chunked body (no Content-Length) within the limit', async () => {
    const body = new TextEncoder().encode(bodyOfSize(3000));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < body.length; offset += 1000) controller.enqueue(body.slice(offset, offset + 1000));
        controller.close();
      },
    });
    const response = await post(stream);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { tasks: [{ name: 'ContractCreator' }] } });
  });

  it('refuses a chunked body that never ends as soon as it passes the limit, then serves the next request', async () => {
    // The client sends 16 times the limit and never ends its body: an answer can only come from
    // a server that counts the stream as it arrives, not one that waits for its end.
    const chunk = Buffer.alloc(1024, ' ');
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      let sentBytes = 0;
      let answered = false;
      const req = httpRequest(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (response: IncomingMessage) => {
        answered = true;
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (text: string) => (body += text));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      // The server closes the connection after its answer; writes racing that may fail.
      req.on('error', (error) => (answered ? undefined : reject(error)));
      const sendMore = () => {
        while (!answered && sentBytes < 16 * maxBytes) {
          sentBytes += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', sendMore);
            return;
          }
        }
      };
      const start = '{"query":"{ tasks { name } }"';
      req.write(start);
      sentBytes = start.length;
      sendMore();
    });
    expectRefusal(status, JSON.parse(body) as GraphQLAnswer);
    await expectServing();
  });

  it('refuses a Content-Length over the limit without reading the body', async () => {
    // Only the headers are sent: the answer must come without waiting for a single body byte.
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) },
      });
      req.on('response', (response: IncomingMessage) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (text: string) => (body += text));
        response.on('end', () => {
          req.destroy();
          resolve({ status: response.statusCode ?? 0, body });
        });
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expectRefusal(status, JSON.parse(body) as GraphQLAnswer);
    await expectServing();
  });
});

describe('CSRF prevention', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(async () => {
    await server?.close();
  });

  const configure = JSON.stringify({ query: 'mutation { configureTask(task: "ContractCreator", maxQueueLength: 7) { __typename } }' });
  const queueLength = async () => (await server.request(TaskDocument, { name: 'ContractCreator' })).task?.maxQueueLength;

  // What a cross-site HTML form (or a "simple" fetch) can send without a CORS preflight.
  it.each([
    ['text/plain', configure],
    ['application/x-www-form-urlencoded', `query=${encodeURIComponent(JSON.parse(configure).query)}`],
    ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${configure}\r\n--x--\r\n`],
  ])('refuses a %s POST with 403 and runs nothing', async (contentType, body) => {
    const before = await queueLength();
    const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(response.status).toBe(403);
    expect(((await response.json()) as GraphQLAnswer).errors?.[0]?.message).toBe('Required CSRF header(s) not present');
    expect(await queueLength()).toBe(before);
  });

  it('refuses a GET operation without the x-graphql-yoga-csrf header, and runs it with the header', async () => {
    const url = `${server.graphqlUrl}?query=${encodeURIComponent('{ tasks { name } }')}`;
    const refused = await fetch(url, { headers: { accept: 'application/json' } });
    expect(refused.status).toBe(403);
    await refused.body?.cancel();
    const allowed = await fetch(url, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ data: { tasks: [{ name: 'ContractCreator' }] } });
  });

  it('runs a JSON POST that carries nothing but its content type (what curl -H "content-type: application/json" sends)', async () => {
    const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: configure });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { configureTask: { __typename: 'Task' } } });
    expect(await queueLength()).toBe(7);
  });

  it('lets GraphiQL in a browser load the schema (it POSTs application/json)', async () => {
    const browser = await openBrowser();
    try {
      const introspection = browser.page.waitForResponse(
        (response) => response.url() === server.graphqlUrl && response.request().method() === 'POST',
        { timeout: 20_000 },
      );
      await browser.page.goto(server.graphqlUrl);
      const response = await introspection;
      expect(response.status()).toBe(200);
      expect(((await response.json()) as GraphQLAnswer).data).toHaveProperty('__schema');
    } finally {
      await browser.close();
    }
  });
});
