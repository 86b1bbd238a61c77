import { randomUUID } from 'node:crypto';
import { createMemoryHistory, pageNewestFirst } from '../extension.js';
import type { Client, Contract, ContractGroup, ContractStore, NewContract } from './contract-store.js';

/** Contract groups, clients and contract PDFs in process memory (the embedded default). */
export function createMemoryContractStore(): ContractStore {
  const groups = new Map<string, ContractGroup>();
  const clients = new Map<string, Client>();
  const clientsByGroup = new Map<string, Client[]>();
  const contracts = new Map<string, { contract: Contract; pdf: Uint8Array; order: number }>();
  /** Every contract in creation order, for newest-first listings. */
  const history = createMemoryHistory<Contract>();
  /** "executionId clientId" → contract id: the uniqueness that makes a resumed batch skip work. */
  const byExecutionAndClient = new Map<string, string>();
  const clientsByExecution = new Map<string, Set<string>>();

  const copyGroup = (group: ContractGroup): ContractGroup => ({ ...group, template: { ...group.template } });

  /** Stores one contract with a copy of its PDF, unless the pair has one (then returns that). */
  function save(draft: NewContract, pdf: Uint8Array): Contract {
    const key = `${draft.executionId} ${draft.clientId}`;
    const existingId = byExecutionAndClient.get(key);
    if (existingId) return { ...contracts.get(existingId)!.contract };
    const contract: Contract = {
      id: draft.id,
      executionId: draft.executionId,
      startedBy: draft.startedBy ?? null,
      groupId: draft.groupId,
      clientId: draft.clientId,
      fileName: draft.fileName,
      sizeBytes: pdf.byteLength,
      createdAt: draft.createdAt,
      attempt: draft.attempt,
    };
    contracts.set(contract.id, { contract, pdf: pdf.slice(), order: history.add(contract) });
    byExecutionAndClient.set(key, contract.id);
    let contracted = clientsByExecution.get(draft.executionId);
    if (!contracted) clientsByExecution.set(draft.executionId, (contracted = new Set()));
    contracted.add(draft.clientId);
    return { ...contract };
  }

  /** Deletes a stored contract with its PDF, from every index. */
  function remove(id: string): void {
    const entry = contracts.get(id)!;
    const { executionId, clientId } = entry.contract;
    contracts.delete(id);
    byExecutionAndClient.delete(`${executionId} ${clientId}`);
    clientsByExecution.get(executionId)?.delete(clientId);
    history.remove(entry.order);
  }

  return {
    async createGroup({ id, name, title, body, at }) {
      const group: ContractGroup = { id: id ?? randomUUID(), name, template: { title, body, version: 1 }, createdAt: at };
      groups.set(group.id, group);
      clientsByGroup.set(group.id, []);
      return copyGroup(group);
    },

    async getGroup(id) {
      const group = groups.get(id);
      return group ? copyGroup(group) : null;
    },

    async findGroupByName(name) {
      const wanted = name.trim().toLowerCase();
      for (const group of groups.values()) if (group.name.toLowerCase() === wanted) return copyGroup(group);
      return null;
    },

    async listGroups() {
      return [...groups.values()].map(copyGroup);
    },

    async updateTemplate(groupId, template) {
      const group = groups.get(groupId);
      if (!group) return null;
      group.template = { ...template, version: group.template.version + 1 };
      return copyGroup(group);
    },

    async addClients(groupId, newClients) {
      const list = clientsByGroup.get(groupId);
      if (!list) throw new Error(`Contract group ${groupId} does not exist`);
      // Fields spelled out: `{ ...client, more }` gives every object its own hidden class on Node 20
      // (see memory-execution-store.ts, appendEvent).
      const added: Client[] = newClients.map(({ name, email, address }) => ({ id: randomUUID(), groupId, name, email, address }));
      for (const client of added) {
        clients.set(client.id, client);
        list.push(client);
      }
      return added.map((client) => ({ ...client }));
    },

    async listClients(groupId) {
      return (clientsByGroup.get(groupId) ?? []).map((client) => ({ ...client }));
    },

    async getClient(id) {
      const client = clients.get(id);
      return client ? { ...client } : null;
    },

    async countClients(groupId) {
      return clientsByGroup.get(groupId)?.length ?? 0;
    },

    async saveContracts(items) {
      return items.map(({ contract, pdf }) => save(contract, pdf));
    },

    async discardContract(id, attempt) {
      const entry = contracts.get(id);
      if (!entry || entry.contract.attempt !== attempt) return false;
      remove(id);
      return true;
    },

    async deleteContractsOf(executionId) {
      const contracted = clientsByExecution.get(executionId);
      if (!contracted) return;
      for (const clientId of contracted) remove(byExecutionAndClient.get(`${executionId} ${clientId}`)!);
      clientsByExecution.delete(executionId);
    },

    async discardPdfsWithoutContract() {
      // A contract and its PDF are stored in one synchronous step here: never one without the other.
      return 0;
    },

    async getContract(id) {
      const entry = contracts.get(id);
      return entry ? { ...entry.contract } : null;
    },

    async readContractPdf(id) {
      const pdf = contracts.get(id)?.pdf;
      return pdf ? pdf.slice() : null;
    },

    async contractedClientIds(executionId) {
      return new Set(clientsByExecution.get(executionId));
    },

    async listContracts(filter, page) {
      // `== null`, not falsiness: an empty string is a value to match (it matches nothing), not "any".
      const matching =
        filter.executionId != null || filter.groupId != null || filter.startedBy != null
          ? history.items().filter(
              ({ value }) =>
                (filter.executionId == null || value.executionId === filter.executionId) &&
                (filter.groupId == null || value.groupId === filter.groupId) &&
                (filter.startedBy == null || value.startedBy === filter.startedBy),
            )
          : history.items();
      const result = pageNewestFirst(matching, page);
      return { ...result, edges: result.edges.map((edge) => ({ ...edge, node: { ...edge.node } })) };
    },
  };
}
