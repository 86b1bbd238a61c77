import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseApiTokens } from '../../src/auth/api-tokens.js';
import { ConfigError, loadConfig, type Config } from '../../src/config.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A web page may only drive the server when it is one of the server's own pages or an origin
 * listed in CORS_ORIGINS; without tokens, only pages on localhost. Browsers send the Origin
 * header on cross-site requests and WebSocket handshakes, so that is what these requests carry.
 */
const admin = 'admin-token-0123456789abcdef';
const evil = 'http://evil.example';
const configureQuery = 'mutation { configureTask(task: "ContractCreator", maxQueueLength: 1) { __typename } }';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http, not fetch: a browser's Origin and Host headers, exactly as given. */
function send(server: TestApp, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(options.path ?? '/graphql', server.url);
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function postGraphQL(server: TestApp, query: string, headers: Record<string, string>): Promise<Answer> {
  return send(server, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
}

function preflight(server: TestApp, origin: string): Promise<Answer> {
  return send(server, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
}

/** The HTTP status of a WebSocket handshake from `origin`: 101 when it was accepted. */
function handshake(server: TestApp, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
    socket.on('upgrade', (res) => {
      resolve(res.statusCode!);
      socket.close();
    });
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode!);
      res.resume();
    });
    socket.on('error', reject);
  });
}

describe('origins', () => {
  let server: TestApp | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const withTokens = (config: Partial<Config> = {}) =>
    startTestApp({ apiTokens: parseApiTokens({ API_TOKENS: `ops:admin:${admin}` }), ...config });

  it('refuses another site by default: no CORS grant, no mutation, no WebSocket', async () => {
    server = await withTokens();
    const before = (await postGraphQL(server, '{ task(name: "ContractCreator") { maxQueueLength } }', { authorization: `Bearer ${admin}` })).body;

    const options = await preflight(server, evil);
    expect(options.status).toBe(403);
    expect(options.headers['access-control-allow-origin']).toBeUndefined();
    expect(options.headers['access-control-allow-credentials']).toBeUndefined();
    const post = await postGraphQL(server, configureQuery, { origin: evil, authorization: `Bearer ${admin}` });
    expect(post.status).toBe(403);
    expect(JSON.parse(post.body).error).toMatch(/origin http:\/\/evil\.example may not call this server.*CORS_ORIGINS/);
    expect(await handshake(server, { origin: evil })).toBe(403);

    const after = (await postGraphQL(server, '{ task(name: "ContractCreator") { maxQueueLength } }', { authorization: `Bearer ${admin}` })).body;
    expect(after).toBe(before);
  });

  it("serves the server's own pages and clients that send no Origin", async () => {
    server = await withTokens();
    const own = new URL(server.url).origin;
    const post = await postGraphQL(server, '{ tasks { name } }', { origin: own, authorization: `Bearer ${admin}` });
    expect(post.status).toBe(200);
    // Same origin needs no CORS grant.
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
    expect((await postGraphQL(server, '{ tasks { name } }', { authorization: `Bearer ${admin}` })).status).toBe(200);
    expect(await handshake(server, { origin: own })).toBe(101);
    // A Host that spells out the default port is the same host as an origin that leaves it out.
    const spelledOut = await postGraphQL(server, '{ tasks { name } }', { host: '127.0.0.1:80', origin: 'http://127.0.0.1', authorization: `Bearer ${admin}` });
    expect(spelledOut.status).toBe(200);
  });

  it('grants an origin listed in CORS_ORIGINS: preflight, requests and WebSocket', async () => {
    const app = 'https://app.example.com';
    server = await withTokens({ corsOrigins: loadConfig({ API_TOKENS: `ops:admin:${admin}`, CORS_ORIGINS: `${app}/` }).corsOrigins });
    const options = await preflight(server, app);
    expect(options.status).toBe(204);
    expect(options.headers).toMatchObject({
      'access-control-allow-origin': app,
      'access-control-allow-headers': 'authorization,content-type',
      vary: 'Origin',
    });
    expect(options.headers['access-control-allow-credentials']).toBeUndefined();
    const post = await postGraphQL(server, '{ tasks { name } }', { origin: app, authorization: `Bearer ${admin}` });
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBe(app);
    expect(await handshake(server, { origin: app })).toBe(101);
    // Listing one origin grants no other.
    expect((await preflight(server, 'https://app.example.com.evil.example')).status).toBe(403);
  });

  it('without tokens, answers its own pages and the listed local ones only, and refuses another site', async () => {
    const devServer = 'http://localhost:5173';
    server = await startTestApp({ corsOrigins: loadConfig({ CORS_ORIGINS: devServer }).corsOrigins });
    expect((await preflight(server, evil)).status).toBe(403);
    expect((await postGraphQL(server, configureQuery, { origin: evil })).status).toBe(403);
    expect(await handshake(server, { origin: evil })).toBe(403);
    // Its own page (on 127.0.0.1), and the listed dev server, with a CORS grant for it.
    expect((await postGraphQL(server, '{ tasks { name } }', { origin: new URL(server.url).origin })).status).toBe(200);
    const post = await postGraphQL(server, '{ tasks { name } }', { origin: devServer });
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBe(devServer);
    expect(await handshake(server, { origin: devServer })).toBe(101);
    // Any other local page (another app on another port) is not the server's and not listed.
    expect((await postGraphQL(server, configureQuery, { origin: 'http://localhost:3000' })).status).toBe(403);
    expect(await handshake(server, { origin: 'http://127.0.0.1:5173' })).toBe(403);
  });

  it('without tokens, refuses requests addressed to a DNS name (a rebinding site calls "same origin")', async () => {
    server = await startTestApp();
    const port = new URL(server.url).port;
    const rebound = `evil.example:${port}`;
    const post = await postGraphQL(server, configureQuery, { host: rebound, origin: `http://${rebound}` });
    expect(post.status).toBe(403);
    // A same-origin GET sends no Origin at all: the Host alone gives it away.
    expect((await send(server, { path: '/health', headers: { host: rebound } })).status).toBe(403);
    expect(await handshake(server, { host: rebound })).toBe(403);
    // localhost and IP addresses are fine.
    expect((await send(server, { path: '/health', headers: { host: `localhost:${port}` } })).status).toBe(200);
    expect((await send(server, { path: '/health', headers: { host: `127.0.0.1:${port}` } })).status).toBe(200);
  });

  it('will not start without tokens when CORS_ORIGINS names a site that is not on localhost', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.com' })).toThrow(/CORS_ORIGINS: https:\/\/app\.example\.com is not a loopback origin/);
    expect(() => loadConfig({ API_TOKENS: `ops:admin:${admin}`, CORS_ORIGINS: 'https://app.example.com/path' })).toThrow(/is not an origin/);
    expect(loadConfig({ CORS_ORIGINS: 'http://localhost:5173' }).corsOrigins).toEqual(['http://localhost:5173']);
  });
});
