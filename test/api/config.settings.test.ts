import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

/** createServer's settings: each overrides its environment variable and is checked by its rules. */
describe('settings given in code', () => {
  const token = 'ops-token-0123456789abcdef';

  it('override the environment, one by one, with the types code uses', () => {
    const config = loadConfig(
      { PORT: '4000', WORKER_THREADS: '4', GRAPHIQL: 'true', MONGODB_URL: 'mongodb://db.example/tasks', CORS_ORIGINS: 'http://localhost:1' },
      { port: 0, workerThreads: 1, graphiql: false, mongodbUrl: null, corsOrigins: ['http://localhost:5173', 'http://127.0.0.1:8080'] },
    );
    expect(config).toMatchObject({
      port: 0,
      workerThreads: 1,
      graphiql: false,
      mongodbUrl: null,
      corsOrigins: ['http://localhost:5173', 'http://127.0.0.1:8080'],
    });
    // What is not given comes from the environment.
    expect(loadConfig({ PORT: '4100' }, { workerThreads: 1 }).port).toBe(4100);
  });

  it('turns production on and off, which decides the defaults that depend on it', () => {
    expect(loadConfig({ NODE_ENV: 'production', API_TOKENS: `ops:admin:${token}` }, { production: false })).toMatchObject({ production: false, graphiql: true });
    expect(loadConfig({}, { production: true, apiTokens: `ops:admin:${token}` })).toMatchObject({ production: true, graphiql: false });
  });

  it('takes API tokens as the API_TOKENS text or as a list, and keeps only their hashes', () => {
    const fromText = loadConfig({}, { apiTokens: `ops:admin:${token}` }).apiTokens;
    const fromList = loadConfig({ API_TOKENS: 'ignored:user:aaaaaaaaaaaaaaaaaaaa' }, { apiTokens: [{ name: 'ops', role: 'admin', token }] }).apiTokens;
    expect(fromList).toEqual(fromText);
    expect(fromList).toEqual([{ name: 'ops', role: 'admin', tokenSha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(() => loadConfig({}, { apiTokens: [{ name: 'ops', role: 'admin', token: 'short' }] })).toThrow(/apiTokens entry 1: token must be at least 16 characters/);
  });

  it.each([
    ['port', { port: 70_000 }, /port \(PORT\): /],
    ['an empty host (which would listen everywhere)', { host: '' }, /host \(HOST\): /],
    ['a fractional worker count', { workerThreads: 1.5 }, /workerThreads \(WORKER_THREADS\): /],
    ['a URL that is not MongoDB', { mongodbUrl: 'postgres://db' }, /mongodbUrl \(MONGODB_URL\): must be a mongodb/],
    ['a CORS origin with a path', { corsOrigins: ['http://localhost:1/x'] }, /CORS_ORIGINS: "http:\/\/localhost:1\/x" is not an origin/],
  ])('refuses %s, naming the option and its variable', (_, settings, message) => {
    expect(() => loadConfig({}, settings)).toThrow(ConfigError);
    expect(() => loadConfig({}, settings)).toThrow(message);
  });
});
