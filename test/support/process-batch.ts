import { afterAll, beforeAll, expect } from 'vitest';
import type { Execution } from '../../src/engine/execution.js';
import { connectMongoStore } from '../../src/store/mongo-store.js';
import type { Store } from '../../src/store/store.js';
import { startMongoForTests, type MongoForTests } from './mongo-test-db.js';
import { startServerProcess } from './server-process.js';
import { contractStoreOn } from './store-adapters.js';
import type { Contract, ContractStore } from '../../src/contracts/contract-store.js';
import type { Page } from '../../src/extension.js';
import { waitFor } from './wait-for.js';

/** A contract group of `size` made-up clients, written straight to the store. */
export async function seedGroup(
  contracts: ContractStore,
  size: number,
  name = 'Batch group',
  body = 'This agreement between us and {{name}} ({{email}}, {{address}}) starts on {{date}}.',
): Promise<string> {
  const group = await contracts.createGroup({
    name,
    title: `${name} Agreement`,
    body,
    at: new Date(),
  });
  await contracts.addClients(
    group.id,
    Array.from({ length: size }, (_, i) => ({ name: `Client ${i + 1}`, email: `client${i + 1}@example.com`, address: `${i + 1} Test Street` })),
  );
  return group.id;
}

/** Starts ContractCreator on a server process over plain HTTP; returns the execution id. */
export async function startContractsOver(baseUrl: string, groupId: string): Promise<string> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($input: JSON) { startTask(task: "ContractCreator", input: $input) { ... on TaskQueued { execution { id } } } }',
      variables: { input: { groupId } },
    }),
  });
  const body = (await response.json()) as { data?: { startTask: { execution?: { id: string } } } };
  const id = body.data?.startTask.execution?.id;
  if (!id) throw new Error(`startTask failed: ${JSON.stringify(body)}`);
  return id;
}

/**
 * For tests that run real server processes on MongoDB: registers the hooks that start the
 * database server and, afterwards, kill the processes and close the stores the test opened.
 */
export function processBatchHarness(options: { replicaSet?: string } = {}) {
  let mongo: MongoForTests | undefined;
  const stores: Store[] = [];
  const processes: Array<{ stop(signal?: NodeJS.Signals): Promise<unknown> }> = [];
  beforeAll(async () => {
    mongo = await startMongoForTests(options);
  });
  afterAll(async () => {
    for (const server of processes) await server.stop('SIGKILL');
    for (const store of stores) await store.close();
    await mongo?.stop();
  });
  return {
    /** A fresh database: its URL for the server processes, and stores for the test's own checks. */
    async database(prefix: string) {
      const url = mongo!.databaseUrl(prefix);
      const store = await connectMongoStore({ url });
      stores.push(store);
      return { url, store, contracts: await contractStoreOn(store) };
    },
    /** The wire-protocol test server, when the tests run on it (not on MONGODB_TEST_URL). */
    get wire() {
      return mongo!.wire;
    },
    async server(env: Record<string, string>) {
      const server = await startServerProcess(env);
      processes.push(server);
      return server;
    },
  };
}

/** Waits until the execution has ended and returns it. */
export function waitUntilFinished(store: Store, executionId: string, timeoutMs = 30_000): Promise<Execution> {
  return waitFor(
    async () => {
      const execution = (await store.executions.get(executionId))!;
      return execution.finishedAt ? execution : undefined;
    },
    { timeoutMs, what: `execution ${executionId} to end` },
  );
}

/** The execution's contracts, checked to be exactly one per client of a group of `groupSize`. */
export async function expectOneContractPerClient(contracts: ContractStore, executionId: string, groupSize: number) {
  const stored: Contract[] = [];
  let page: Page<Contract> | null = null;
  do {
    page = await contracts.listContracts({ executionId }, { first: 1_000, after: page?.edges.at(-1)?.cursor ?? null });
    expect(page.totalCount).toBe(groupSize);
    stored.push(...page.edges.map((edge) => edge.node));
  } while (page.hasNextPage);
  expect(new Set(stored.map((contract) => contract.clientId)).size).toBe(groupSize);
  return stored;
}

/** The execution's feedback log, checked to be numbered 1..n without gaps. */
export async function expectContiguousLog(store: Store, executionId: string) {
  const events = await store.executions.eventsAfter(executionId, 0);
  expect(events.map((event) => event.sequence)).toEqual(events.map((_, i) => i + 1));
  return events;
}
