import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiTokens } from '../../src/auth/api-tokens.js';
import { loadConfig } from '../../src/config.js';
import { StartTaskDocument, TaskExecutionsDocument, TaskStatusDocument } from '../generated/graphql.js';
import { connectWithToken, postWithToken } from '../support/auth-probes.js';
import { createGate, gatedTask, type Gate } from '../support/gated-task.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const secret = 'a-shared-secret-of-at-least-32-bytes';
const issuer = 'https://issuer.test';
const audience = 'async-task-server';
const staticAlice = 'alice-static-token-0123456789';
const now = () => Math.floor(Date.now() / 1000);

/** A signed token; iss, aud and exp (5 minutes) are the accepted ones unless `claims` says otherwise (null: left out). */
async function sign(
  claims: Omit<JWTPayload, 'iss' | 'aud' | 'exp'> & { iss?: string | null; aud?: string | null; exp?: number | null },
  key: CryptoKey | Uint8Array = new TextEncoder().encode(secret),
  header: { alg: string; kid?: string } = { alg: 'HS256' },
): Promise<string> {
  const { iss = issuer, aud = audience, exp = now() + 300, ...rest } = claims;
  const jwt = new SignJWT(rest).setProtectedHeader(header).setIssuedAt();
  if (iss !== null) jwt.setIssuer(iss);
  if (aud !== null) jwt.setAudience(aud);
  if (exp !== null) jwt.setExpirationTime(exp);
  return jwt.sign(key);
}

/** The server's JWT settings through the real variables and their checks. */
function jwtSettings(variables: Record<string, string>) {
  return loadConfig({ JWT_ISSUER: issuer, JWT_AUDIENCE: audience, JWT_CLOCK_TOLERANCE_MS: '0', ...variables }).jwt;
}

/** Refused over HTTP with 401 invalid_token and `message`, and over WebSocket with 4403 and the same reason. */
async function expectRefused(server: TestApp, token: string, message: RegExp) {
  const response = await postWithToken(server.graphqlUrl, token);
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
  const body = (await response.json()) as { error: string; code: string };
  expect(body).toMatchObject({ code: 'INVALID_TOKEN', error: expect.stringMatching(message) });
  const socket = await connectWithToken(server.graphqlUrl, token);
  expect(socket.acked).toBe(false);
  expect(await socket.closed).toEqual({ code: 4403, reason: expect.stringMatching(message) });
}

describe('JSON Web Tokens signed with JWT_SECRET (HS256)', () => {
  let server: TestApp;
  let gate: Gate;
  beforeAll(async () => {
    gate = createGate();
    server = await startTestApp(
      { apiTokens: parseApiTokens({ API_TOKENS: `alice:user:${staticAlice}` }), jwt: jwtSettings({ JWT_SECRET: secret }) },
      { contracts: false, extraTasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 5 } })] },
    );
  });
  afterAll(async () => {
    gate?.releaseAll();
    await server?.close();
  });

  it('accepts a valid token over HTTP and WebSocket, and the static tokens beside it', async () => {
    const token = await sign({ sub: 'alice' });
    expect((await postWithToken(server.graphqlUrl, token)).status).toBe(200);
    expect((await postWithToken(server.graphqlUrl, staticAlice)).status).toBe(200);
    const socket = await connectWithToken(server.graphqlUrl, token);
    expect(socket.acked).toBe(true);
    socket.socket.close();
  });

  it.each([
    ['a wrong issuer', () => sign({ sub: 'alice', iss: 'https://elsewhere.test' }), /"iss" claim is not accepted/],
    ['a wrong audience', () => sign({ sub: 'alice', aud: 'another-service' }), /"aud" claim is not accepted/],
    ['no audience', () => sign({ sub: 'alice', aud: null }), /"aud" claim is not accepted/],
    ['another secret', () => sign({ sub: 'alice' }, new TextEncoder().encode('another-secret-of-at-least-32-bytes')), /signature is not valid/],
    ['an expired token', () => sign({ sub: 'alice', exp: now() - 60 }), /has expired/],
    ['a token not valid yet', () => sign({ sub: 'alice', nbf: now() + 600 }), /not valid yet/],
    ['no caller claim', () => sign({ name: 'Alice' }), /no valid "sub" claim/],
    ['a caller claim that is not a string', () => sign({ sub: 42 as unknown as string }), /no valid "sub" claim/],
    ['a caller claim with spaces', () => sign({ sub: 'alice smith' }), /no valid "sub" claim/],
  ])('refuses %s with 401 over HTTP and 4403 over WebSocket, saying why', async (_, token, message) => {
    await expectRefused(server, await token(), message);
  });

  it('refuses an unsigned token ("alg": "none") as an unknown bearer', async () => {
    const unsigned = new UnsecuredJWT({ sub: 'ops', role: 'admin' }).setIssuer(issuer).setAudience(audience).encode();
    const response = await postWithToken(server.graphqlUrl, unsigned);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect((await (await connectWithToken(server.graphqlUrl, unsigned)).closed).code).toBe(4403);
  });

  it('records the caller as jwt:<sub>: users see their own executions, admins every one, a static token of the same name none', async () => {
    const asAlice = server.as(await sign({ sub: 'alice', role: 'user' }));
    const started = await asAlice.request(StartTaskDocument, { task: 'Gated', input: {} });
    if (started.startTask.__typename !== 'TaskQueued') throw new Error(started.startTask.__typename);
    const id = started.startTask.execution.id;
    expect((await server.app.store.executions.get(id))?.startedBy).toBe('jwt:alice');

    const visibleTo = async (token: string) => (await server.as(token).request(TaskStatusDocument, { executionId: id })).taskStatus?.id ?? null;
    expect(await visibleTo(await sign({ sub: 'alice' }))).toBe(id);
    expect(await visibleTo(await sign({ sub: 'bob' }))).toBeNull();
    expect(await visibleTo(await sign({ sub: 'bob', role: 'superuser' }))).toBeNull();
    expect(await visibleTo(staticAlice)).toBeNull();
    expect(await visibleTo(await sign({ sub: 'ops', role: 'admin' }))).toBe(id);
    expect(await visibleTo(await sign({ sub: 'ops', role: ['reader', 'admin'] }))).toBe(id);

    const bobsList = await server.as(await sign({ sub: 'bob' })).request(TaskExecutionsDocument, { first: 10 });
    expect(bobsList.taskExecutions.totalCount).toBe(0);
  });

  it('closes a WebSocket with 4403 "Token expired" once its token expires', async () => {
    const token = await sign({ sub: 'alice', exp: now() + 2 });
    const socket = await connectWithToken(server.graphqlUrl, token);
    expect(socket.acked).toBe(true);
    const closed = await Promise.race([
      socket.closed,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the socket was not closed at expiry')), 10_000).unref()),
    ]);
    expect(closed).toEqual({ code: 4403, reason: 'Token expired' });
    await expectRefused(server, token, /has expired/);
  });
});

describe('JSON Web Tokens verified with the issuer\'s key set (JWT_JWKS_URL)', () => {
  let jwks: Server;
  let jwksUrl: string;
  let server: TestApp;
  let rsa: CryptoKey;
  let ec: CryptoKey;
  beforeAll(async () => {
    const rsaPair = await generateKeyPair('RS256');
    const ecPair = await generateKeyPair('ES256');
    rsa = rsaPair.privateKey;
    ec = ecPair.privateKey;
    const keys = [
      { ...(await exportJWK(rsaPair.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ecPair.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    jwks = createHttpServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })));
    jwks.listen(0, '127.0.0.1');
    await once(jwks, 'listening');
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    server = await startTestApp({ jwt: jwtSettings({ JWT_JWKS_URL: jwksUrl }) }, { contracts: false });
  });
  afterAll(async () => {
    await server?.close();
    jwks?.close();
  });

  it('accepts RS256 and ES256 tokens signed by the keys of the set', async () => {
    for (const token of [await sign({ sub: 'alice' }, rsa, { alg: 'RS256', kid: 'rsa-1' }), await sign({ sub: 'bob' }, ec, { alg: 'ES256', kid: 'ec-1' })]) {
      expect((await postWithToken(server.graphqlUrl, token)).status).toBe(200);
      const socket = await connectWithToken(server.graphqlUrl, token);
      expect(socket.acked).toBe(true);
      socket.socket.close();
    }
  });

  it('refuses a key the set does not hold, and an HMAC token (no public key doubles as a secret)', async () => {
    const stranger = await generateKeyPair('RS256');
    await expectRefused(server, await sign({ sub: 'alice' }, stranger.privateKey, { alg: 'RS256', kid: 'rsa-2' }), /signing key is not known/);
    await expectRefused(server, await sign({ sub: 'alice' }), /signing algorithm is not accepted/);
  });

  it('answers 503 with Retry-After over HTTP, and 1013 over WebSocket, while the key set cannot be fetched', async () => {
    const broken = createHttpServer((_, res) => res.writeHead(500).end());
    broken.listen(0, '127.0.0.1');
    await once(broken, 'listening');
    const url = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/jwks.json`;
    const outage = await startTestApp({ jwt: jwtSettings({ JWT_JWKS_URL: url }) }, { contracts: false });
    try {
      const token = await sign({ sub: 'alice' }, rsa, { alg: 'RS256', kid: 'rsa-1' });
      const response = await postWithToken(outage.graphqlUrl, token);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toMatchObject({ code: 'AUTH_UNAVAILABLE', error: expect.stringMatching(/cannot be fetched/) });
      const socket = await connectWithToken(outage.graphqlUrl, token);
      expect((await socket.closed).code).toBe(1013);
      // Once the set answers again, the same token gets in (jose fetches again on the next token).
      broken.removeAllListeners('request');
      broken.on('request', (req, res) => jwks.emit('request', req, res));
      await waitFor(async () => (await postWithToken(outage.graphqlUrl, token)).status === 200, { what: 'the key set to be fetched again' });
    } finally {
      await outage.close();
      broken.close();
    }
  });
});
