import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseApiTokens } from '../../src/auth/api-tokens.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The token in graphql-ws connectionParams is a string; any other value is refused, never coerced. */
describe('the authorization in connection_init', () => {
  const token = 'user-token-0123456789abcdef';

  /** Sends connection_init with `payload`: resolves with the close code, or 'ack'. */
  async function init(server: TestApp, payload: unknown): Promise<number | 'ack'> {
    const socket = new WebSocket(server.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload }));
    return new Promise((resolve) => {
      socket.on('message', (data) => {
        if (JSON.parse(String(data)).type === 'connection_ack') {
          resolve('ack');
          socket.close();
        }
      });
      socket.on('close', (code) => resolve(code));
    });
  }

  describe('with tokens', () => {
    let server: TestApp;
    beforeAll(async () => {
      server = await startTestApp({ apiTokens: parseApiTokens({ API_TOKENS: `alice:user:${token}` }) });
    });
    afterAll(async () => {
      await server?.close();
    });

    it.each([
      ['an object with a toString', { toString: 'x' }],
      ['an array holding the token', [`Bearer ${token}`]],
      ['a number', 42],
      ['an object holding the token', { value: `Bearer ${token}` }],
      ['null', null],
    ])('refuses %s with 4403 Forbidden', async (_, authorization) => {
      expect(await init(server, { authorization })).toBe(4403);
    });

    it('refuses a non-string Authorization (capitalised) too, and accepts the token as a string', async () => {
      expect(await init(server, { Authorization: [`Bearer ${token}`] })).toBe(4403);
      expect(await init(server, { authorization: `Bearer ${token}` })).toBe('ack');
      expect(await init(server, { Authorization: `Bearer ${token}` })).toBe('ack');
    });
  });

  it('refuses a non-string authorization without tokens as well, and needs none', async () => {
    const server = await startTestApp();
    try {
      expect(await init(server, { authorization: { toString: 'x' } })).toBe(4403);
      expect(await init(server, {})).toBe('ack');
    } finally {
      await server.close();
    }
  });
});
