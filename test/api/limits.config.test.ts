import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const production = { NODE_ENV: 'production', API_TOKENS: 'ops:admin:0123456789abcdef0123' };

describe('limit settings in config.ts', () => {
  it('has a default for every limit', () => {
    expect(loadConfig({})).toMatchObject({
      maxRequestBodyBytes: 1024 * 1024,
      graphqlMaxTokens: 1000,
      graphqlMaxDepth: 7,
      graphqlMaxAliases: 10,
      graphqlMaxCost: 50_000,
      wsMaxPayloadBytes: 1024 * 1024,
      wsMaxSubscriptionsPerSocket: 100,
      wsConnectionInitTimeoutMs: 3_000,
      wsMaxSocketsPerCaller: 50,
      maxSubscriptionsPerCaller: 500,
      httpRequestTimeoutMs: 15_000,
      httpHeadersTimeoutMs: 10_000,
      maxTaskInputDepth: 32,
      corsOrigins: [],
    });
  });


  it('turns introspection and GraphiQL on in development and off in production', () => {
    expect(loadConfig({})).toMatchObject({ graphqlIntrospection: true, graphiql: true });
    expect(loadConfig(production)).toMatchObject({ graphqlIntrospection: false, graphiql: false });
  });

  it('lets the operator choose either way', () => {
    expect(loadConfig({ ...production, GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: '1' })).toMatchObject({ graphqlIntrospection: true, graphiql: true });
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false', GRAPHIQL: '0' })).toMatchObject({ graphqlIntrospection: false, graphiql: false });
  });

  it('reads every limit from its variable', () => {
    const config = loadConfig({
      MAX_REQUEST_BODY_BYTES: '2048',
      GRAPHQL_MAX_TOKENS: '500',
      GRAPHQL_MAX_DEPTH: '5',
      GRAPHQL_MAX_ALIASES: '0',
      GRAPHQL_MAX_COST: '1000',
      WS_MAX_PAYLOAD_BYTES: '4096',
      WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '3',
      WS_CONNECTION_INIT_TIMEOUT_MS: '250',
      WS_MAX_SOCKETS_PER_CALLER: '4',
      MAX_SUBSCRIPTIONS_PER_CALLER: '9',
      HTTP_REQUEST_TIMEOUT_MS: '5000',
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      MAX_TASK_INPUT_DEPTH: '8',
    });
    expect(config).toMatchObject({
      maxRequestBodyBytes: 2048,
      graphqlMaxTokens: 500,
      graphqlMaxDepth: 5,
      graphqlMaxAliases: 0,
      graphqlMaxCost: 1000,
      wsMaxPayloadBytes: 4096,
      wsMaxSubscriptionsPerSocket: 3,
      wsConnectionInitTimeoutMs: 250,
      wsMaxSocketsPerCaller: 4,
      maxSubscriptionsPerCaller: 9,
      httpRequestTimeoutMs: 5_000,
      httpHeadersTimeoutMs: 2_000,
      maxTaskInputDepth: 8,
    });
  });

  it('refuses a headers timeout longer than the request timeout (Node would not start the server)', () => {
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '20000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS: must be at most HTTP_REQUEST_TIMEOUT_MS \(15000\)/);
  });

  it.each([
    ['MAX_REQUEST_BODY_BYTES', '1mb'],
    ['MAX_REQUEST_BODY_BYTES', '10'],
    ['GRAPHQL_MAX_TOKENS', '-1'],
    ['GRAPHQL_MAX_DEPTH', '1'],
    ['GRAPHQL_MAX_ALIASES', '2.5'],
    ['GRAPHQL_MAX_COST', 'lots'],
    ['GRAPHQL_INTROSPECTION', 'yes'],
    ['GRAPHIQL', 'on'],
    ['WS_MAX_PAYLOAD_BYTES', '0'],
    ['WS_MAX_SUBSCRIPTIONS_PER_SOCKET', '0'],
    ['WS_CONNECTION_INIT_TIMEOUT_MS', '5'],
    ['WS_MAX_SOCKETS_PER_CALLER', '0'],
    ['MAX_SUBSCRIPTIONS_PER_CALLER', 'many'],
    ['HTTP_REQUEST_TIMEOUT_MS', '10'],
    ['MAX_TASK_INPUT_DEPTH', '0'],
    ['CORS_ORIGINS', 'not an origin'],
  ])('stops with a message naming %s for %j', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`${variable}: `));
  });
});
