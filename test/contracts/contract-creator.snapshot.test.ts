import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createContractCreator, type ContractCreatorSnapshot } from '../../src/contracts/contract-creator.js';
import { createContractService } from '../../src/contracts/contract-service.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { createExecutionEvents } from '../../src/engine/events.js';
import { createWorkerPool } from '../../src/engine/worker-pool.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { ContractStore } from '../../src/contracts/contract-store.js';
import { createMemoryContractStore } from '../../src/contracts/memory-contract-store.js';
import { startQueued, waitForStatus } from '../support/engine-helpers.js';
import { pdfText } from '../support/pdf-tools.js';
import { deferred } from '../support/wait-for.js';

const run = promisify(execFile);

/**
 * The store the ContractCreator sees, with one difference: listing the clients of `heldGroupId`
 * waits until the test lets it go, so an execution of that group holds its run slot for as long
 * as the test needs.
 */
function holdingListClients(contracts: ContractStore) {
  const reached = deferred();
  const letGo = deferred();
  let heldGroupId: string | null = null;
  const store: ContractStore = {
    ...contracts,
    async listClients(groupId) {
      if (groupId === heldGroupId) {
        reached.resolve();
        await letGo.promise;
      }
      return contracts.listClients(groupId);
    },
  };
  return {
    store,
    hold(groupId: string) {
      heldGroupId = groupId;
      return reached.promise;
    },
    letGo: () => letGo.resolve(),
  };
}

const clients = [
  { name: 'Ada Lovelace', email: 'ada@example.org', address: '12 St James Square, London' },
  { name: 'Grace Hopper', email: 'grace@example.org', address: '1 Navy Yard, Arlington' },
  { name: 'Alan Turing', email: 'alan@example.org', address: '78 High Street, Wilmslow' },
];

describe('ContractCreator input snapshot', () => {
  let dispose: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    try {
      await run('pdftotext', ['-v']);
    } catch {
      throw new Error('These tests need poppler: apt-get install -y poppler-utils');
    }
  });

  afterEach(async () => {
    await dispose?.();
    dispose = undefined;
  });

  async function setUp(): Promise<{ engine: Engine; contracts: ContractStore; held: ReturnType<typeof holdingListClients> }> {
    const store = createMemoryStore();
    const contracts = createMemoryContractStore();
    const pool = createWorkerPool({ modules: [new URL('../../src/contracts/workers.ts', import.meta.url)], threads: 2 });
    const events = createExecutionEvents({ coalesceMs: 50, maxBuffered: 1_000 });
    const engine = createEngine(
      { store, pool, events, logger: pino({ level: 'silent' }) },
      { leaseMs: 30_000, abortGraceMs: 500, maxInputBytes: 64 * 1024, maxInputDepth: 32 },
    );
    const held = holdingListClients(contracts);
    engine.register(createContractCreator(held.store, { batchSize: 2 }));
    dispose = async () => {
      held.letGo();
      await engine.close();
      events.close();
      await pool.close();
      await store.close();
    };
    return { engine, contracts, held };
  }

  it('renders the template as it was at start, though it was edited while the execution waited', async () => {
    const { engine, contracts, held } = await setUp();
    const service = createContractService(contracts);
    const blocker = await contracts.createGroup({ name: 'Blocker', title: 'Blocker', body: 'Holds the slot.', at: new Date() });
    await contracts.addClients(blocker.id, [clients[0]!]);
    const created = await service.createGroup({ name: 'Consulting', title: 'Original Services Agreement', body: 'Old terms for {{name}} of {{address}}.' });
    if (created.kind !== 'ContractGroup') throw new Error(JSON.stringify(created));
    const group = created.group;
    await service.addClients(group.id, clients);
    await engine.configure('ContractCreator', { maxConcurrentExecutions: 1 });

    const holding = held.hold(blocker.id);
    const first = await startQueued(engine, 'ContractCreator', { groupId: blocker.id });
    await holding;
    const second = await startQueued(engine, 'ContractCreator', { groupId: group.id });
    expect((await engine.status(second.id))!.status).toBe('QUEUED');
    expect(await engine.queuePosition(second.id)).toBe(1);

    const updated = await service.updateTemplate(group.id, { title: 'Revised Partnership Charter', body: 'New terms for {{name}}.' });
    expect(updated).toMatchObject({ kind: 'ContractGroup', group: { template: { title: 'Revised Partnership Charter', version: 2 } } });
    expect((await engine.status(second.id))!.status).toBe('QUEUED');

    held.letGo();
    await waitForStatus(engine, first.id, 'COMPLETED', 20_000);
    const done = await waitForStatus(engine, second.id, 'COMPLETED', 20_000);

    const snapshot = done.input as ContractCreatorSnapshot;
    expect(snapshot.template).toEqual({ title: 'Original Services Agreement', body: 'Old terms for {{name}} of {{address}}.', version: 1 });
    expect(snapshot.groupName).toBe('Consulting');
    expect(done.result).toEqual({ contractsCreated: 3 });

    const page = await contracts.listContracts({ executionId: second.id }, { first: 10 });
    expect(page.totalCount).toBe(3);
    const texts = await Promise.all(
      page.edges.map(async ({ node }) => pdfText((await contracts.readContractPdf(node.id))!)),
    );
    for (const client of clients) {
      const text = texts.find((candidate) => candidate.includes(client.name));
      expect(text, `the contract of ${client.name}`).toBeDefined();
      expect(text).toContain('Original Services Agreement');
      expect(text).toContain(`Old terms for ${client.name} of ${client.address}.`);
      expect(text).not.toContain('Revised Partnership Charter');
      expect(text).not.toContain('New terms');
    }

    // a start after the edit takes the new template
    const third = await startQueued(engine, 'ContractCreator', { groupId: group.id });
    expect((third.input as ContractCreatorSnapshot).template).toMatchObject({ title: 'Revised Partnership Charter', version: 2 });
    await waitForStatus(engine, third.id, 'COMPLETED', 20_000);
  });

  it('completes with no contracts for a group without clients', async () => {
    const { engine, contracts } = await setUp();
    const empty = await contracts.createGroup({ name: 'Empty', title: 'Nothing', body: 'No one.', at: new Date() });

    const execution = await startQueued(engine, 'ContractCreator', { groupId: empty.id });
    const done = await waitForStatus(engine, execution.id, 'COMPLETED', 20_000);

    expect(done.result).toEqual({ contractsCreated: 0 });
    expect(done.progress).toBe(1);
    expect(done.feedback).toMatch(/no clients/i);
    expect((await contracts.listContracts({ executionId: execution.id }, { first: 10 })).totalCount).toBe(0);
  });

  it('refuses an unknown groupId with a problem on "groupId", storing nothing', async () => {
    const { engine } = await setUp();

    const outcome = await engine.start('ContractCreator', { groupId: 'no-such-group' });

    expect(outcome).toMatchObject({ kind: 'InvalidTaskInput', task: 'ContractCreator', problems: [{ path: 'groupId' }] });
    if (outcome.kind === 'InvalidTaskInput') expect(outcome.problems[0]!.message).toContain('no-such-group');
    expect((await engine.list({}, { first: 10 })).totalCount).toBe(0);
  });

  it.each([
    ['an unknown field', (groupId: string) => ({ groupId, clientIds: ['x'] })],
    ['no groupId', () => ({})],
    ['a groupId that is not a string', () => ({ groupId: 42 })],
    ['no input at all', () => null],
  ])('refuses input with %s', async (_, input) => {
    const { engine, contracts } = await setUp();
    const group = await contracts.createGroup({ name: 'Real', title: 'T', body: 'B', at: new Date() });

    const outcome = await engine.start('ContractCreator', input(group.id));

    expect(outcome.kind).toBe('InvalidTaskInput');
    if (outcome.kind === 'InvalidTaskInput') expect(outcome.problems.length).toBeGreaterThan(0);
    expect((await engine.list({}, { first: 10 })).totalCount).toBe(0);
  });

  it('names the unknown field it refuses', async () => {
    const { engine, contracts } = await setUp();
    const group = await contracts.createGroup({ name: 'Real', title: 'T', body: 'B', at: new Date() });

    const outcome = await engine.start('ContractCreator', { groupId: group.id, template: { title: 'sneaky' } });

    expect(outcome.kind).toBe('InvalidTaskInput');
    if (outcome.kind !== 'InvalidTaskInput') return;
    expect(outcome.problems.map((problem) => `${problem.path} ${problem.message}`).join('; ')).toContain('template');
    expect((await engine.list({}, { first: 10 })).totalCount).toBe(0);
  });
});
