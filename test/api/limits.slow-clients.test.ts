import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A client that trickles its request in (a byte at a time, "slowloris") must not hold a
 * connection for as long as it likes: HTTP_HEADERS_TIMEOUT_MS and HTTP_REQUEST_TIMEOUT_MS cut it off.
 */
describe('slow clients (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS)', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ httpRequestTimeoutMs: 1_000, httpHeadersTimeoutMs: 1_000 });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Sends `text` a byte every 100 ms until the server closes the connection; returns what it answered. */
  async function trickle(text: string): Promise<{ answer: string; sent: number }> {
    const { port } = new URL(server.url);
    const socket: Socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    let answer = '';
    let closed = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => (closed = true));
    socket.on('error', () => {});
    let sent = 0;
    while (!closed && sent < text.length) {
      socket.write(text[sent]!);
      sent += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!closed) await once(socket, 'close');
    return { answer, sent };
  }

  it('closes a connection whose headers never finish, long before they would', async () => {
    const headers = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Padding: ${'x'.repeat(400)}\r\n\r\n`;
    const { sent } = await trickle(headers);
    expect(sent).toBeLessThan(headers.length);
  });

  it('answers 408 to a request whose body trickles in, and closes it', async () => {
    const body = JSON.stringify({ query: `{ tasks { name } }${' '.repeat(400)}` });
    const request = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { answer, sent } = await trickle(request + body);
    expect(sent).toBeLessThan(request.length + body.length);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
