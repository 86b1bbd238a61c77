import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWithToken, postWithToken } from '../support/auth-probes.js';
import { startServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait-for.js';

const tokenA = 'first-token-0123456789abcdef';
const tokenB = 'second-token-0123456789abcdef';
const shortToken = 'too-short';

/** SIGHUP reads API_TOKENS_FILE again: the new tokens work, the old ones stop, a bad file changes nothing. */
describe('reloading API tokens on SIGHUP', () => {
  let directory: string;
  let file: string;
  let server: Awaited<ReturnType<typeof startServerProcess>>;
  const writeTokens = (entries: unknown) => writeFileSync(file, typeof entries === 'string' ? entries : JSON.stringify(entries));
  /** Sends SIGHUP and waits for the log line it causes (the `nth` of them). */
  async function hangUp(nth: number) {
    server.child.kill('SIGHUP');
    return waitFor(() => server.lines.filter((line) => /API tokens (not )?reloaded/.test(line))[nth - 1], { what: `reload ${nth} in the log` });
  }

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'token-reload-'));
    file = join(directory, 'tokens.json');
    writeTokens([{ name: 'first', role: 'user', token: tokenA }]);
    server = await startServerProcess({ API_TOKENS_FILE: file, API_TOKENS: '' });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('swaps the tokens without a restart and closes the sockets of a removed token with 4403', async () => {
    expect((await postWithToken(`${server.url}/graphql`, tokenA)).status).toBe(200);
    expect((await postWithToken(`${server.url}/graphql`, tokenB)).status).toBe(401);
    const socket = await connectWithToken(`${server.url}/graphql`, tokenA);
    expect(socket.acked).toBe(true);

    writeTokens([{ name: 'second', role: 'admin', token: tokenB }]);
    const line = await hangUp(1);
    expect(JSON.parse(line)).toMatchObject({ msg: 'API tokens reloaded', tokens: 1, closedSockets: 1 });
    expect((await postWithToken(`${server.url}/graphql`, tokenB)).status).toBe(200);
    expect((await postWithToken(`${server.url}/graphql`, tokenA)).status).toBe(401);
    expect(await socket.closed).toEqual({ code: 4403, reason: 'Token revoked' });
  });

  it.each([
    ['a file that is not JSON', '[{ "name": "second",', /API_TOKENS_FILE: cannot read .* as JSON/],
    ['a token that is too short', [{ name: 'third', role: 'user', token: shortToken }], /API_TOKENS_FILE entry 1: token must be at least 16 characters/],
    ['an empty list (the server would turn open)', [], /API_TOKENS_FILE: holds no tokens/],
  ])('keeps the tokens in use when the file has %s, and logs the problem, never a token', async (_, contents, problem) => {
    const before = server.lines.filter((line) => /API tokens (not )?reloaded/.test(line)).length;
    writeTokens(contents);
    const line = JSON.parse(await hangUp(before + 1)) as { msg: string; problem: string; level: number };
    expect(line).toMatchObject({ msg: 'API tokens not reloaded; the previous tokens stay in use', problem: expect.stringMatching(problem), level: 50 });
    expect((await postWithToken(`${server.url}/graphql`, tokenB)).status).toBe(200);
  });

  it('never writes a token to the log, and still stops cleanly', async () => {
    const log = server.lines.join('\n');
    for (const token of [tokenA, tokenB, shortToken]) expect(log).not.toContain(token);
    expect(await server.stop()).toMatchObject({ code: 0 });
  });
});
