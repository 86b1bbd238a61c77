import { ApiTokensError, sha256, type ApiTokenEntry } from './api-tokens.js';
import type { JwtConfig } from './jwt-config.js';
import { createJwtVerifier } from './jwt-verifier.js';
import { openAccess, type Principal } from './principal.js';

/** Three base64url parts, the last (the signature) not empty: an unsigned `alg: none` token never gets this far. */
const jwtShape = /^[\w-]+\.[\w-]+\.[\w-]+$/;
/** Larger bearers are refused unread: nobody's token is this large, and verifying costs. */
const maxJwtLength = 16 * 1024;

export type Authenticated = {
  ok: true;
  principal: Principal;
  /** When the credential stops being accepted (a JWT's exp), epoch ms; null when it does not expire. */
  expiresAt: number | null;
  /** The static token's SHA-256, so a reload can tell whether it still holds; null for a JWT or open access. */
  tokenSha256: string | null;
};

export type Authentication =
  | Authenticated
  /** `missing`: no "Bearer <token>"; `unknown`: a bearer that is no configured token and no JWT. */
  | { ok: false; problem: 'missing' | 'unknown' }
  /** A JWT that failed verification; `message` says why and is safe to show. */
  | { ok: false; problem: 'invalid'; message: string }
  /** The JWT could not be checked (the key set cannot be fetched): an outage, not the caller's fault. */
  | { ok: false; problem: 'unavailable'; message: string; cause: unknown };

export interface Authenticator {
  /** True when neither tokens nor JWTs are configured: every caller gets open access. Fixed at start. */
  readonly open: boolean;
  /** The caller of an `Authorization` value ("Bearer <token or JWT>"). A configured static token wins over a JWT. */
  authenticate(authorization: string | null | undefined): Promise<Authentication>;
  /**
   * Swaps the static token table (SIGHUP). Throws, keeping the old table, when the new one would
   * change whether the server is open: that is decided at start (origins, warnings) and needs a restart.
   */
  replaceTokens(tokens: ApiTokenEntry[]): void;
  /** Whether a credential accepted earlier would still be: false for a static token a reload removed or changed. */
  stillAccepts(authenticated: Authenticated): boolean;
}

export function createAuthenticator(tokens: ApiTokenEntry[], jwt: JwtConfig | null = null): Authenticator {
  // Looked up by the token's hash: comparing digests leaks nothing useful about the secret.
  let byHash = tableOf(tokens);
  const verifyJwt = jwt ? createJwtVerifier(jwt) : null;
  const open = tokens.length === 0 && !jwt;
  return {
    open,
    async authenticate(authorization) {
      if (open) return { ok: true, principal: openAccess, expiresAt: null, tokenSha256: null };
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!match) return { ok: false, problem: 'missing' };
      const token = match[1]!;
      const tokenSha256 = sha256(token);
      const principal = byHash.get(tokenSha256);
      if (principal) return { ok: true, principal, expiresAt: null, tokenSha256 };
      if (!verifyJwt || token.length > maxJwtLength || !jwtShape.test(token)) return { ok: false, problem: 'unknown' };
      const verified = await verifyJwt(token);
      return verified.ok ? { ...verified, tokenSha256: null } : verified;
    },
    replaceTokens(next) {
      if (open) throw new ApiTokensError('API_TOKENS_FILE', 'the server started without tokens (open to anyone); restart it to turn authentication on');
      if (next.length === 0 && !jwt) {
        throw new ApiTokensError('API_TOKENS_FILE', 'holds no tokens: without tokens or JWT_* the server would be open to anyone; restart it for that');
      }
      byHash = tableOf(next);
    },
    stillAccepts({ tokenSha256, principal }) {
      if (tokenSha256 === null) return true;
      const current = byHash.get(tokenSha256);
      return current !== undefined && current.name === principal.name && current.role === principal.role;
    },
  };
}

function tableOf(tokens: ApiTokenEntry[]): Map<string, Principal> {
  return new Map(tokens.map((entry) => [entry.tokenSha256, { name: entry.name, role: entry.role } satisfies Principal]));
}
