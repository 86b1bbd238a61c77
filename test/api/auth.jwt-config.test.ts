import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const secret = 'a-shared-secret-of-at-least-32-bytes';
const issued = { JWT_ISSUER: 'https://issuer.test', JWT_AUDIENCE: 'async-task-server' };

/** The JWT_* settings: checked at start, each problem naming its variable, never showing the secret. */
describe('JSON Web Token settings', () => {
  it.each([
    ['both a secret and a key set', { JWT_SECRET: secret, JWT_JWKS_URL: 'https://issuer.test/jwks.json' }, /JWT_SECRET and JWT_JWKS_URL: set one of them, not both/],
    ['a secret shorter than 32 bytes', { JWT_SECRET: 'short-secret' }, /JWT_SECRET: must be at least 32 bytes/],
    ['a key set over http to another host', { JWT_JWKS_URL: 'http://issuer.test/jwks.json' }, /JWT_JWKS_URL: must be an https:\/\/ URL \(http:\/\/ only to a loopback host/],
    ['a key set URL that is no URL', { JWT_JWKS_URL: 'issuer.test/jwks.json' }, /JWT_JWKS_URL: must be an https:\/\/ URL/],
    ['a public-key algorithm with a secret', { JWT_SECRET: secret, JWT_ALGORITHMS: 'HS256,RS256' }, /JWT_ALGORITHMS: "RS256" cannot be used with JWT_SECRET/],
    ['HMAC with a key set', { JWT_JWKS_URL: 'https://issuer.test/jwks.json', JWT_ALGORITHMS: 'HS256' }, /JWT_ALGORITHMS: "HS256" cannot be used with JWT_JWKS_URL/],
    ['an issuer without a key', { JWT_ISSUER: 'https://issuer.test' }, /JWT_ISSUER: JSON Web Tokens are off; set JWT_SECRET or JWT_JWKS_URL/],
    ['production without an issuer and an audience', { NODE_ENV: 'production', JWT_SECRET: secret }, /JWT_ISSUER: required .*\n.*JWT_AUDIENCE: required/],
  ])('refuses %s', (_, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('names the option as well as the variable when the setting comes from code', () => {
    expect(() => loadConfig({}, { jwtSecret: 'short-secret' })).toThrow(/jwtSecret \(JWT_SECRET\): must be at least 32 bytes/);
    expect(loadConfig({}, { jwtSecret: secret, jwtAlgorithms: ['HS512'] }).jwt?.algorithms).toEqual(['HS512']);
  });

  it('accepts http to loopback, and JWTs alone in production: the server is then not open', () => {
    const local = loadConfig({ JWT_JWKS_URL: 'http://127.0.0.1:8080/jwks.json' }).jwt;
    expect(local).toMatchObject({ jwksUrl: 'http://127.0.0.1:8080/jwks.json', secret: null, callerClaim: 'sub', roleClaim: 'role', adminRole: 'admin', clockToleranceMs: 5_000 });
    expect(local?.algorithms).toContain('RS256');
    expect(local?.algorithms).not.toContain('HS256');

    const production = loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, ...issued });
    expect(production).toMatchObject({ production: true, apiTokens: [], jwt: { issuer: issued.JWT_ISSUER, audience: issued.JWT_AUDIENCE, algorithms: ['HS256', 'HS384', 'HS512'] } });
    // Origins: with JWTs the server is not open, so non-loopback CORS origins are allowed.
    expect(loadConfig({ JWT_SECRET: secret, CORS_ORIGINS: 'https://app.example.com' }).corsOrigins).toEqual(['https://app.example.com']);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.com' })).toThrow(ConfigError);
  });

  it('keeps the secret out of the config as logs and JSON show it, and out of error messages', () => {
    const config = loadConfig({ JWT_SECRET: secret });
    expect(JSON.stringify(config)).not.toContain(secret);
    expect(inspect(config, { depth: 10 })).not.toContain(secret);
    let message = '';
    try {
      loadConfig({ JWT_SECRET: secret, JWT_JWKS_URL: 'http://issuer.test/jwks.json', JWT_ALGORITHMS: 'XS1' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/JWT_JWKS_URL/);
    expect(message).not.toContain(secret);
  });
});
