import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Principal } from './principal.js';

/** A configured token, kept only as its SHA-256 so the secret never sits in config or logs. */
export interface ApiTokenEntry {
  name: string;
  role: Principal['role'];
  tokenSha256: string;
}

const tokenSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.@-]{1,100}$/, 'must be 1-100 letters, digits, "_", ".", "@" or "-"'),
  role: z.enum(['user', 'admin']),
  token: z.string().min(16, 'must be at least 16 characters').max(1_000),
});

export class ApiTokensError extends Error {
  readonly code = 'API_TOKENS_INVALID';
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'ApiTokensError';
  }
}

/**
 * Reads the tokens from `API_TOKENS` ("name:role:token" entries separated by commas) and from the
 * JSON file `API_TOKENS_FILE` ([{ "name", "role", "token" }]). Names and tokens must be unique.
 * Error messages name the entry, never the token.
 */
export function parseApiTokens(
  env: { API_TOKENS?: string | undefined; API_TOKENS_FILE?: string | undefined },
  /** Tokens given in code (createServer's `apiTokens` as a list), in place of API_TOKENS. */
  listed?: ReadonlyArray<unknown>,
): ApiTokenEntry[] {
  const entries: Array<{ source: string; value: unknown }> = [];
  listed?.forEach((value, index) => entries.push({ source: `apiTokens entry ${index + 1}`, value }));
  if (env.API_TOKENS) {
    env.API_TOKENS.split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .forEach((part, index) => {
        const [name, role, ...rest] = part.split(':');
        entries.push({ source: `API_TOKENS entry ${index + 1}`, value: { name, role, token: rest.join(':') } });
      });
  }
  if (env.API_TOKENS_FILE) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(env.API_TOKENS_FILE, 'utf8'));
    } catch (error) {
      throw new ApiTokensError('API_TOKENS_FILE', `cannot read ${env.API_TOKENS_FILE} as JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(parsed)) throw new ApiTokensError('API_TOKENS_FILE', 'must hold a JSON array of { name, role, token }');
    parsed.forEach((value, index) => entries.push({ source: `API_TOKENS_FILE entry ${index + 1}`, value }));
  }

  const names = new Set<string>();
  const hashes = new Set<string>();
  return entries.map(({ source, value }) => {
    const result = tokenSchema.safeParse(value);
    if (!result.success) {
      throw new ApiTokensError(source, result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; '));
    }
    const { name, role, token } = result.data;
    const tokenSha256 = sha256(token);
    if (names.has(name)) throw new ApiTokensError(source, `the name "${name}" is used twice`);
    if (hashes.has(tokenSha256)) throw new ApiTokensError(source, 'this token is used by another entry too');
    names.add(name);
    hashes.add(tokenSha256);
    return { name, role, tokenSha256 };
  });
}

/** The SHA-256 of a token, hex: what the server keeps and looks tokens up by. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
