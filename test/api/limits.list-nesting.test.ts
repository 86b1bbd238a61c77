import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * ContractGroup.clients lists every client of a group; below another list it multiplies
 * (groups → clients → group → clients …) and one small query could keep the server busy for
 * seconds. It is refused there, with a message that says where to query it instead.
 */
describe('unbounded lists below other lists', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(async () => {
    await server?.close();
  });

  const run = (query: string) => server.execute(parse(query));

  it.each([
    ['the group ↔ client cycle', '{ contractGroups { clients { group { clients { id } } } } }'],
    ['clients of every contract', '{ contracts(first: 10) { edges { node { client { group { clients { id } } } } } } }'],
    ['the cycle hidden in fragments', '{ contractGroups { ...G } } fragment G on ContractGroup { clients { ...C } } fragment C on Client { group { clients { id } } }'],
    ['through an inline fragment', '{ contractGroups { ... on ContractGroup { clients { group { ... on ContractGroup { clients { id } } } } } } }'],
  ])('refuses %s with a message that says where to ask instead', async (_, query) => {
    const result = await run(query);
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/ContractGroup\.clients .* cannot be selected below another list.*contractGroup\(id/),
      extensions: { code: 'LIMIT_EXCEEDED', limit: 'unboundedListNesting' },
    });
  });

  it.each([
    ['clients of one group', '{ contractGroup(id: "premium") { clients { name group { name clientCount } } } }'],
    ['clients of every group', '{ contractGroups { name clients { id } } }'],
    ['the group of each contract, with its client count', '{ contracts(first: 5) { edges { node { client { group { name clientCount } } } } } }'],
  ])('still answers %s', async (_, query) => {
    const result = await run(query);
    expect(result.errors).toBeUndefined();
    expect(result.data).toBeDefined();
  });
});
