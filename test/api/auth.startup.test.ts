import { describe, expect, it } from 'vitest';
import { parseApiTokens } from '../../src/auth/api-tokens.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { runServerExpectingFailure, startServerProcess } from '../support/server-process.js';

const secret = 'very-secret-token-value-42';

describe('API token configuration', () => {
  it('refuses to start in production without tokens, with a message that says what to set', async () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    const { code, output } = await runServerExpectingFailure({ NODE_ENV: 'production', API_TOKENS: '' });
    expect(code).toBe(1);
    expect(output).toMatch(/NODE_ENV=production needs API tokens: set API_TOKENS/);
  });

  it('refuses malformed, short or duplicate tokens, naming the entry and never the token', () => {
    for (const API_TOKENS of ['alice:user:short', 'alice:boss:0123456789abcdef', `a:user:${secret},b:user:${secret}`, `a:user:${secret},a:admin:${secret}x`]) {
      let message = '';
      try {
        parseApiTokens({ API_TOKENS });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^API_TOKENS entry \d/);
      expect(message).not.toContain(secret);
    }
  });

  it('runs open with a warning when no token is configured, and never logs a configured token', async () => {
    const open = await startServerProcess({});
    await open.stop();
    expect(open.lines.join('\n')).toMatch(/No API tokens configured: the server is open/);

    const locked = await startServerProcess({ API_TOKENS: `alice:user:${secret}`, LOG_LEVEL: 'trace' });
    const denied = await fetch(`${locked.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ tasks { name } }"}' });
    const allowed = await fetch(`${locked.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: '{"query":"{ tasks { name } }"}',
    });
    expect(denied.status).toBe(401);
    expect(allowed.status).toBe(200);
    expect(await locked.stop()).toMatchObject({ code: 0 });
    expect(locked.lines.join('\n')).not.toContain(secret);
    expect(locked.lines.join('\n')).not.toMatch(/server is open/);
  });
});
