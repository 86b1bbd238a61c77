import { createSecretKey, type KeyObject } from 'node:crypto';
import { isLoopbackHost } from '../server/origin-policy.js';

/** What a shared secret can sign. */
export const hmacAlgorithms = ['HS256', 'HS384', 'HS512'];
/** What a key set's public keys can verify. Never HS*: a public key must not double as an HMAC secret. */
export const publicKeyAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** JSON Web Tokens of end users, verified beside the static API tokens (README: JSON Web Tokens). */
export interface JwtConfig {
  /**
   * JWT_SECRET's bytes (UTF-8) as a KeyObject, so neither logs nor JSON of the config show them;
   * null with a key set.
   */
  secret: KeyObject | null;
  /** JWT_JWKS_URL: the issuer's JSON Web Key Set; null with a secret. */
  jwksUrl: string | null;
  /** The `iss` a token must name; null: any (not allowed in production). */
  issuer: string | null;
  /** The `aud` a token must hold; null: any (not allowed in production). */
  audience: string | null;
  /** The claim that names the caller; it becomes the principal `jwt:<value>`. */
  callerClaim: string;
  /** The claim that holds the role (a string or a list of strings). */
  roleClaim: string;
  /** The role claim's value that makes the caller an admin; any other value, or none, is a user. */
  adminRole: string;
  /** The signing algorithms accepted (the token header's `alg`). */
  algorithms: string[];
  /** How far the issuer's clock may be off ours when exp, nbf and iat are checked, in ms. */
  clockToleranceMs: number;
}

/** The JWT_* variables once the schema in config.ts has checked each on its own. */
export interface JwtVariables {
  JWT_SECRET?: string | undefined;
  JWT_JWKS_URL?: string | undefined;
  JWT_ISSUER?: string | undefined;
  JWT_AUDIENCE?: string | undefined;
  JWT_CALLER_CLAIM: string;
  JWT_ROLE_CLAIM: string;
  JWT_ADMIN_ROLE: string;
  JWT_ALGORITHMS?: string | undefined;
  JWT_CLOCK_TOLERANCE_MS: number;
}

/** JWT_SECRET's rule: HMAC is only as strong as its key (RFC 7518 §3.2 asks for the hash's size). */
export function isLongEnoughSecret(secret: string): boolean {
  return Buffer.byteLength(secret, 'utf8') >= 32;
}

/** JWT_JWKS_URL's rule: keys fetched in the clear could be swapped on the way, except over loopback. */
export function isAcceptableJwksUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** The rules between the JWT_* variables; null when JSON Web Tokens are off. Problems name the variables. */
export function jwtConfigFrom(v: JwtVariables, production: boolean): { jwt: JwtConfig | null; problems: string[] } {
  const problems: string[] = [];
  if (v.JWT_SECRET && v.JWT_JWKS_URL) {
    problems.push('JWT_SECRET and JWT_JWKS_URL: set one of them, not both (a shared secret, or the issuer\'s key set)');
  }
  if (!v.JWT_SECRET && !v.JWT_JWKS_URL) {
    for (const variable of ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_ALGORITHMS'] as const) {
      if (v[variable]) problems.push(`${variable}: JSON Web Tokens are off; set JWT_SECRET or JWT_JWKS_URL to turn them on`);
    }
    return { jwt: null, problems };
  }
  if (production) {
    // Without them, any token signed by the key (for another service of the same issuer, say) would do.
    if (!v.JWT_ISSUER) problems.push('JWT_ISSUER: required with JSON Web Tokens when NODE_ENV=production (the "iss" your tokens carry)');
    if (!v.JWT_AUDIENCE) problems.push('JWT_AUDIENCE: required with JSON Web Tokens when NODE_ENV=production (the "aud" your tokens carry for this server)');
  }
  const family = v.JWT_SECRET ? hmacAlgorithms : publicKeyAlgorithms;
  const algorithms = v.JWT_ALGORITHMS ? v.JWT_ALGORITHMS.split(',').map((name) => name.trim()).filter(Boolean) : family;
  for (const algorithm of algorithms) {
    if (!family.includes(algorithm)) {
      problems.push(`JWT_ALGORITHMS: "${algorithm}" cannot be used with ${v.JWT_SECRET ? 'JWT_SECRET' : 'JWT_JWKS_URL'} (one of ${family.join(', ')})`);
    }
  }
  if (algorithms.length === 0) problems.push(`JWT_ALGORITHMS: name at least one of ${family.join(', ')}`);
  return {
    jwt: {
      secret: v.JWT_SECRET ? createSecretKey(Buffer.from(v.JWT_SECRET, 'utf8')) : null,
      jwksUrl: v.JWT_JWKS_URL ?? null,
      issuer: v.JWT_ISSUER ?? null,
      audience: v.JWT_AUDIENCE ?? null,
      callerClaim: v.JWT_CALLER_CLAIM,
      roleClaim: v.JWT_ROLE_CLAIM,
      adminRole: v.JWT_ADMIN_ROLE,
      algorithms,
      clockToleranceMs: v.JWT_CLOCK_TOLERANCE_MS,
    },
    problems,
  };
}
