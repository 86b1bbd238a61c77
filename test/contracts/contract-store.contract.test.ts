import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContractStore, NewContract } from '../../src/contracts/contract-store.js';
import { InvalidCursorError } from '../../src/store/store.js';
import { contractStoreAdapters } from '../support/store-adapters.js';

/**
 * The contract example's store port (src/contracts/contract-store.ts), over each of its adapters:
 * tests go through the port only, so any adapter added to the list must pass them unchanged.
 */
const adapters = contractStoreAdapters();

const t0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(t0 + seconds * 1_000);
const pdfOf = (...bytes: number[]) => new Uint8Array(bytes);

describe.each(adapters)('Contract store contract: %s', (_, createStore) => {
  let store: { contracts: ContractStore; close(): Promise<void> };
  let clockSeconds = 0;
  beforeEach(async () => {
    store = await createStore();
    clockSeconds = 0;
  });
  afterEach(async () => {
    await store.close();
  });

  const tick = () => at(++clockSeconds);
  const contracts = () => store.contracts;
  const saveOne = async (contract: NewContract, pdf: Uint8Array) => (await contracts().saveContracts([{ contract, pdf }]))[0]!;
  const newGroup = (name = 'Consulting') => contracts().createGroup({ name, title: 'Agreement', body: 'Dear {{name}}', at: tick() });
  const party = (name: string) => ({ name, email: `${name.toLowerCase()}@example.org`, address: `${name} Street 1` });

  describe('groups, clients and contracts', () => {

    it('creates, finds (by name, case-insensitively) and lists groups', async () => {
      const group = await newGroup();
      expect(group).toMatchObject({ name: 'Consulting', template: { title: 'Agreement', body: 'Dear {{name}}', version: 1 } });
      expect(await contracts().getGroup(group.id)).toEqual(group);
      expect(await contracts().findGroupByName('consulting')).toEqual(group);
      expect(await contracts().findGroupByName('CONSULTING')).toEqual(group);
      expect(await contracts().findGroupByName('Consult')).toBeNull();
      expect(await contracts().getGroup('unknown')).toBeNull();
      const other = await newGroup('Other');
      expect((await contracts().listGroups()).map((g) => g.id).sort()).toEqual([group.id, other.id].sort());
      const given = await contracts().createGroup({ id: 'stable-id', name: 'Stable', title: 'T', body: 'B', at: tick() });
      expect(given.id).toBe('stable-id');
      expect(await contracts().getGroup('stable-id')).toEqual(given);
    });

    it('replaces a template and raises its version', async () => {
      const group = await newGroup();
      const updated = await contracts().updateTemplate(group.id, { title: 'New', body: 'Hello {{name}}' });
      expect(updated!.template).toEqual({ title: 'New', body: 'Hello {{name}}', version: 2 });
      expect((await contracts().updateTemplate(group.id, { title: 'Newer', body: 'x' }))!.template.version).toBe(3);
      expect((await contracts().getGroup(group.id))!.template).toEqual({ title: 'Newer', body: 'x', version: 3 });
      expect(await contracts().updateTemplate('unknown', { title: 'x', body: 'y' })).toBeNull();
    });

    it('adds clients to a group and lists them in the order added', async () => {
      const group = await newGroup();
      const other = await newGroup('Other');
      const added = await contracts().addClients(group.id, [party('Ada'), party('Grace')]);
      await contracts().addClients(other.id, [party('Alan')]);

      expect(added.map((client) => ({ name: client.name, groupId: client.groupId }))).toEqual([
        { name: 'Ada', groupId: group.id },
        { name: 'Grace', groupId: group.id },
      ]);
      expect(new Set(added.map((client) => client.id)).size).toBe(2);
      expect(await contracts().listClients(group.id)).toEqual(added);
      expect(await contracts().getClient(added[1]!.id)).toEqual(added[1]);
      expect(await contracts().countClients(group.id)).toBe(2);
      expect(await contracts().countClients(other.id)).toBe(1);
      expect(await contracts().getClient('unknown')).toBeNull();
      expect(await contracts().listClients('unknown')).toEqual([]);
    });

    it('saves one contract per execution and client: a second save returns the first and stores nothing', async () => {
      const group = await newGroup();
      const [ada] = await contracts().addClients(group.id, [party('Ada')]);
      const draft = { executionId: 'e-1', groupId: group.id, clientId: ada!.id, fileName: 'ada.pdf', createdAt: tick(), attempt: 1 };

      const first = await saveOne({ ...draft, id: 'c-1' }, pdfOf(1, 2, 3));
      const second = await saveOne({ ...draft, id: 'c-2', fileName: 'again.pdf' }, pdfOf(9, 9, 9, 9));

      expect(first).toMatchObject({ id: 'c-1', sizeBytes: 3, fileName: 'ada.pdf' });
      expect(second).toEqual(first);
      expect(await contracts().getContract('c-2')).toBeNull();
      expect(await contracts().getContract('c-1')).toEqual(first);
      expect(Array.from((await contracts().readContractPdf('c-1'))!)).toEqual([1, 2, 3]);
      expect((await contracts().listContracts({}, { first: 10 })).totalCount).toBe(1);
      expect(await contracts().contractedClientIds('e-1')).toEqual(new Set([ada!.id]));
      expect(await contracts().contractedClientIds('e-2')).toEqual(new Set());

      // the same client in another execution is a new contract
      await saveOne({ ...draft, id: 'c-3', executionId: 'e-2' }, pdfOf(4));
      expect((await contracts().listContracts({}, { first: 10 })).totalCount).toBe(2);
      expect(await contracts().readContractPdf('unknown')).toBeNull();
    });

    it('saves a batch in order: new pairs stored, pairs saved before (in the batch or earlier) returned as they are', async () => {
      const group = await newGroup();
      const [ada, bob, cy] = await contracts().addClients(group.id, [party('Ada'), party('Bob'), party('Cy')]);
      const draft = (id: string, clientId: string) => ({ id, executionId: 'e-1', groupId: group.id, clientId, fileName: `${id}.pdf`, createdAt: tick(), attempt: 1 });
      // Past the size a store may keep inside the contract's record (MongoDB: 1 MiB inline, larger in GridFS).
      const large = new Uint8Array(1024 * 1024 + 17).map((_, i) => i % 251);
      const earlier = await saveOne(draft('c-bob', bob!.id), pdfOf(5));

      const saved = await contracts().saveContracts([
        { contract: draft('c-ada', ada!.id), pdf: pdfOf(1, 2) },
        { contract: draft('c-bob-again', bob!.id), pdf: pdfOf(6, 6) },
        { contract: draft('c-cy', cy!.id), pdf: large },
        { contract: draft('c-ada-again', ada!.id), pdf: pdfOf(9) },
      ]);

      expect(saved.map((contract) => [contract.id, contract.sizeBytes])).toEqual([
        ['c-ada', 2],
        ['c-bob', 1],
        ['c-cy', large.byteLength],
        ['c-ada', 2],
      ]);
      expect(saved[1]).toEqual(earlier);
      expect(Array.from((await contracts().readContractPdf('c-ada'))!)).toEqual([1, 2]);
      expect(Array.from((await contracts().readContractPdf('c-bob'))!)).toEqual([5]);
      expect(Buffer.from((await contracts().readContractPdf('c-cy'))!).equals(Buffer.from(large))).toBe(true);
      for (const id of ['c-bob-again', 'c-ada-again']) {
        expect(await contracts().getContract(id)).toBeNull();
        expect(await contracts().readContractPdf(id)).toBeNull();
      }
      expect((await contracts().listContracts({ executionId: 'e-1' }, { first: 10 })).totalCount).toBe(3);
      expect(await contracts().contractedClientIds('e-1')).toEqual(new Set([ada!.id, bob!.id, cy!.id]));
      expect(await contracts().getContract('c-cy')).toMatchObject({ id: 'c-cy', sizeBytes: large.byteLength });

      // Deleting the execution's contracts takes inline and large PDFs alike.
      await contracts().deleteContractsOf('e-1', []);
      for (const id of ['c-ada', 'c-bob', 'c-cy']) expect(await contracts().readContractPdf(id)).toBeNull();
    });

    it("discards a contract and its PDF only for the attempt that stored it", async () => {
      const group = await newGroup('G');
      const [ada, bob] = await contracts().addClients(group.id, [party('Ada'), party('Bob')]);
      const save = (id: string, clientId: string, attempt: number) =>
        saveOne({ id, executionId: 'e-1', groupId: group.id, clientId, fileName: `${id}.pdf`, createdAt: tick(), attempt }, pdfOf(7));
      await save('c-ada', ada!.id, 1);
      await save('c-bob', bob!.id, 2);

      expect(await contracts().discardContract('c-bob', 1)).toBe(false);
      expect(await contracts().discardContract('c-ada', 1)).toBe(true);
      expect(await contracts().discardContract('c-ada', 1)).toBe(false);

      expect(await contracts().getContract('c-ada')).toBeNull();
      expect(await contracts().readContractPdf('c-ada')).toBeNull();
      expect(await contracts().getContract('c-bob')).toMatchObject({ attempt: 2 });
      expect(await contracts().contractedClientIds('e-1')).toEqual(new Set([bob!.id]));
      expect((await contracts().listContracts({ executionId: 'e-1' }, { first: 10 })).edges.map((edge) => edge.node.id)).toEqual(['c-bob']);
      // The client can be stored again (a later attempt of a re-run would).
      expect(await save('c-ada', ada!.id, 3)).toMatchObject({ id: 'c-ada', attempt: 3 });
    });

    it('lists contracts newest first, filtered by execution or group, in pages', async () => {
      const g1 = await newGroup('G1');
      const g2 = await newGroup('G2');
      const clients = await contracts().addClients(g1.id, [party('A'), party('B'), party('C')]);
      const [d] = await contracts().addClients(g2.id, [party('D')]);
      const save = (id: string, executionId: string, groupId: string, clientId: string) =>
        saveOne({ id, executionId, groupId, clientId, fileName: `${id}.pdf`, createdAt: tick(), attempt: 1 }, pdfOf(1));
      await save('c1', 'e1', g1.id, clients[0]!.id);
      await save('c2', 'e1', g1.id, clients[1]!.id);
      await save('c3', 'e2', g2.id, d!.id);
      await save('c4', 'e1', g1.id, clients[2]!.id);

      const ids = async (filter: { executionId?: string | null; groupId?: string | null }, first = 10, after: string | null = null) => {
        const page = await contracts().listContracts(filter, { first, after });
        return { ids: page.edges.map((edge) => edge.node.id), total: page.totalCount, next: page.hasNextPage, cursor: page.edges.at(-1)?.cursor };
      };
      expect(await ids({})).toMatchObject({ ids: ['c4', 'c3', 'c2', 'c1'], total: 4, next: false });
      expect(await ids({ executionId: 'e1' })).toMatchObject({ ids: ['c4', 'c2', 'c1'], total: 3 });
      expect(await ids({ groupId: g2.id })).toMatchObject({ ids: ['c3'], total: 1 });
      expect(await ids({ executionId: 'e1', groupId: g2.id })).toMatchObject({ ids: [], total: 0 });
      // An empty id matches nothing, it does not mean "any".
      expect(await ids({ executionId: '' })).toMatchObject({ ids: [], total: 0 });
      expect(await ids({ groupId: '' })).toMatchObject({ ids: [], total: 0 });

      const page1 = await ids({ executionId: 'e1' }, 2);
      expect(page1).toMatchObject({ ids: ['c4', 'c2'], total: 3, next: true });
      expect(await ids({ executionId: 'e1' }, 2, page1.cursor!)).toMatchObject({ ids: ['c1'], total: 3, next: false });
    });

    it('refuses a cursor it did not produce', async () => {
      await expect(contracts().listContracts({}, { first: 2, after: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });

  describe('returned records are copies', () => {
    it('does not change stored groups, clients or contracts when returned ones are mutated', async () => {
      const group = await contracts().createGroup({ name: 'G', title: 'Title', body: 'Body', at: tick() });
      group.template.title = 'tampered';
      (await contracts().getGroup(group.id))!.template.version = 99;
      (await contracts().listGroups())[0]!.name = 'tampered';
      const [client] = await contracts().addClients(group.id, [{ name: 'Ada', email: 'ada@example.org', address: 'Here' }]);
      client!.name = 'tampered';
      (await contracts().listClients(group.id))[0]!.name = 'tampered';
      const contract = await saveOne(
        { id: 'c-1', executionId: 'e', groupId: group.id, clientId: client!.id, fileName: 'a.pdf', createdAt: tick(), attempt: 1 },
        pdfOf(1, 2, 3),
      );
      contract.fileName = 'tampered.pdf';
      (await contracts().listContracts({}, { first: 1 })).edges[0]!.node.sizeBytes = 99;
      (await contracts().contractedClientIds('e')).add('tampered');

      expect(await contracts().getGroup(group.id)).toMatchObject({ name: 'G', template: { title: 'Title', body: 'Body', version: 1 } });
      expect((await contracts().getClient(client!.id))!.name).toBe('Ada');
      expect((await contracts().listClients(group.id))[0]!.name).toBe('Ada');
      expect(await contracts().getContract('c-1')).toMatchObject({ fileName: 'a.pdf', sizeBytes: 3 });
      expect(await contracts().contractedClientIds('e')).toEqual(new Set([client!.id]));
    });

    it('keeps stored PDF bytes apart from the buffer passed in and from the bytes it returns', async () => {
      const group = await contracts().createGroup({ name: 'G', title: 'Title', body: 'Body', at: tick() });
      const [client] = await contracts().addClients(group.id, [{ name: 'Ada', email: 'ada@example.org', address: 'Here' }]);
      const pdf = pdfOf(1, 2, 3);
      await saveOne(
        { id: 'c-1', executionId: 'e', groupId: group.id, clientId: client!.id, fileName: 'a.pdf', createdAt: tick(), attempt: 1 },
        pdf,
      );
      pdf[0] = 0;
      (await contracts().readContractPdf('c-1'))![1] = 0;

      expect(Array.from((await contracts().readContractPdf('c-1'))!)).toEqual([1, 2, 3]);
    });
  });
});
