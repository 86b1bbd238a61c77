import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { JwtConfig } from './jwt-config.js';
import type { Principal } from './principal.js';

/** Every end-user principal is `jwt:<caller>`: no static token name holds a ":", so the two never meet. */
export const jwtPrincipalPrefix = 'jwt:';

/** The caller claim's rule: what identity providers put in `sub` (`auth0|42`, UUIDs, e-mail addresses, …). */
const callerPattern = /^[\w.@:|+=~-]{1,200}$/;

export type JwtVerification =
  | { ok: true; principal: Principal; /** When the token stops being accepted (exp plus the tolerance), epoch ms; null without exp. */ expiresAt: number | null }
  /** The token's fault (401 / 4403); `message` is safe to show the caller. */
  | { ok: false; problem: 'invalid'; message: string }
  /** The key set cannot be fetched: the server's fault (503 / 1013); `cause` is for the log only. */
  | { ok: false; problem: 'unavailable'; message: string; cause: unknown };

/** Thrown by the key lookup when the key set itself cannot be had, told apart from a token's fault. */
class KeySetUnavailableError extends Error {
  readonly code = 'JWKS_UNAVAILABLE';
}

/**
 * Verifies a JSON Web Token (signature, algorithm, exp/nbf, issuer, audience) and maps its claims
 * to a principal. Asynchronous: a key set is fetched on first use, then cached by jose (10 min;
 * refetched at most every 30 s when a token names an unknown key, which is how key rotation is seen).
 */
export function createJwtVerifier(jwt: JwtConfig): (token: string) => Promise<JwtVerification> {
  const getKey: JWTVerifyGetKey = jwt.secret ? () => jwt.secret! : remoteKeySet(new URL(jwt.jwksUrl!));
  const options: JWTVerifyOptions = {
    algorithms: jwt.algorithms,
    clockTolerance: jwt.clockToleranceMs / 1_000,
    ...(jwt.issuer === null ? {} : { issuer: jwt.issuer }),
    ...(jwt.audience === null ? {} : { audience: jwt.audience }),
  };
  return async (token) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, getKey, options));
    } catch (error) {
      return refusal(error);
    }
    const caller = payload[jwt.callerClaim];
    if (typeof caller !== 'string' || !callerPattern.test(caller)) {
      return { ok: false, problem: 'invalid', message: `The token has no valid "${jwt.callerClaim}" claim (who is calling).` };
    }
    const role = payload[jwt.roleClaim];
    const admin = role === jwt.adminRole || (Array.isArray(role) && role.includes(jwt.adminRole));
    return {
      ok: true,
      principal: { name: `${jwtPrincipalPrefix}${caller}`, role: admin ? 'admin' : 'user' },
      expiresAt: typeof payload.exp === 'number' ? payload.exp * 1_000 + jwt.clockToleranceMs : null,
    };
  };
}

/** The issuer's key set; a fetch that fails (network, timeout, not 200, not a key set) is the server's outage. */
function remoteKeySet(url: URL): JWTVerifyGetKey {
  const keySet = createRemoteJWKSet(url, { timeoutDuration: 5_000 });
  return async (header, token) => {
    try {
      return await keySet(header, token);
    } catch (error) {
      // The token's fault: it names a key the (freshly fetched) set does not hold, or one it cannot use.
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported) {
        throw error;
      }
      throw new KeySetUnavailableError('the JSON Web Key Set could not be fetched', { cause: error });
    }
  };
}

/** What the caller is told: which check failed, never the expected values or jose's internals. */
function refusal(error: unknown): JwtVerification {
  const invalid = (message: string): JwtVerification => ({ ok: false, problem: 'invalid', message });
  if (error instanceof KeySetUnavailableError) {
    return { ok: false, problem: 'unavailable', message: 'The keys that verify tokens cannot be fetched right now; try again shortly.', cause: error.cause };
  }
  if (error instanceof errors.JWTExpired) return invalid('The token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return invalid(error.claim === 'nbf' ? 'The token is not valid yet.' : `The token's "${error.claim}" claim is not accepted.`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid("The token's signature is not valid.");
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid("The token's signing algorithm is not accepted.");
  if (error instanceof errors.JWKSNoMatchingKey) return invalid("The token's signing key is not known.");
  if (error instanceof errors.JOSEError) return invalid('The token is not a valid JSON Web Token.');
  throw error;
}
