import { pageInfoOf, type Builder, type InputProblem, type Page } from '../extension.js';
import type { GroupOutcome } from './contract-service.js';
import type { Client, Contract, ContractGroup, ContractStore } from './contract-store.js';
import type { ContractTemplate } from './render-job.js';

type Outcome<K> = Extract<GroupOutcome, { kind: K }>;

/**
 * The contract example's GraphQL types: groups with templates, clients, generated contracts, and
 * their errors. Declared as object refs (no entry in the core builder's type map), with the
 * example's store reached through the closure, as any extension's types are.
 */
export function addContractTypes(builder: Builder, contracts: ContractStore) {
  const ContractTemplateRef = builder.objectRef<ContractTemplate>('ContractTemplate').implement({
    description: 'A contract template. Body placeholders: {{name}}, {{email}}, {{address}}, {{date}}.',
    fields: (t) => ({
      title: t.exposeString('title'),
      body: t.exposeString('body'),
      version: t.exposeInt('version', { description: 'Raised by every template update.' }),
    }),
  });

  const ContractGroupRef = builder.objectRef<ContractGroup>('ContractGroup');
  const ClientRef = builder.objectRef<Client>('Client');
  const ContractRef = builder.objectRef<Contract>('Contract');

  ContractGroupRef.implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      template: t.field({ type: ContractTemplateRef, resolve: (group) => group.template }),
      clients: t.field({ type: [ClientRef], resolve: (group) => contracts.listClients(group.id) }),
      clientCount: t.int({ resolve: (group) => contracts.countClients(group.id) }),
      createdAt: t.field({ type: 'DateTime', resolve: (group) => group.createdAt }),
    }),
  });

  ClientRef.implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      email: t.exposeString('email'),
      address: t.exposeString('address'),
      group: t.field({ type: ContractGroupRef, resolve: async (client) => (await contracts.getGroup(client.groupId))! }),
    }),
  });

  ContractRef.implement({
    description: 'A generated contract PDF in the outbound-contracts list.',
    fields: (t) => ({
      id: t.exposeID('id'),
      client: t.field({ type: ClientRef, resolve: async (contract) => (await contracts.getClient(contract.clientId))! }),
      group: t.field({ type: ContractGroupRef, resolve: async (contract) => (await contracts.getGroup(contract.groupId))! }),
      execution: t.field({
        type: 'TaskExecution',
        nullable: true,
        resolve: (contract, _, { engine }) => engine.status(contract.executionId),
      }),
      fileName: t.exposeString('fileName'),
      sizeBytes: t.exposeInt('sizeBytes'),
      createdAt: t.field({ type: 'DateTime', resolve: (contract) => contract.createdAt }),
      downloadUrl: t.string({
        description: 'Path of the PDF on this server: GET it to download.',
        resolve: (contract) => contractDownloadPath(contract.id),
      }),
    }),
  });

  const ContractEdgeRef = builder.objectRef<Page<Contract>['edges'][number]>('ContractEdge').implement({
    fields: (t) => ({ cursor: t.exposeString('cursor'), node: t.field({ type: ContractRef, resolve: (edge) => edge.node }) }),
  });
  const ContractConnectionRef = builder.objectRef<Page<Contract>>('ContractConnection').implement({
    fields: (t) => ({
      edges: t.field({ type: [ContractEdgeRef], resolve: (page) => page.edges }),
      pageInfo: t.field({ type: 'PageInfo', resolve: pageInfoOf }),
      totalCount: t.exposeInt('totalCount'),
    }),
  });

  const ContractGroupNotFoundRef = builder.objectRef<Outcome<'ContractGroupNotFound'>>('ContractGroupNotFound').implement({
    interfaces: ['Error'],
    fields: (t) => ({ groupId: t.exposeID('groupId') }),
  });
  const InvalidContractInputRef = builder.objectRef<Outcome<'InvalidContractInput'>>('InvalidContractInput').implement({
    description: 'The input did not pass validation; nothing was changed.',
    interfaces: ['Error'],
    fields: (t) => ({ problems: t.field({ type: ['InputProblem'], resolve: (outcome): InputProblem[] => outcome.problems }) }),
  });

  const ContractGroupResult = builder.unionType('ContractGroupResult', {
    types: [ContractGroupRef, ContractGroupNotFoundRef, InvalidContractInputRef, 'Forbidden'],
    resolveType: (value) => ('kind' in value ? (value as { kind: string }).kind : 'ContractGroup'),
  });
  const ClientInput = builder.inputType('ClientInput', {
    fields: (t) => ({
      name: t.string({ required: true }),
      email: t.string({ required: true }),
      address: t.string({ required: true }),
    }),
  });
  return { ContractGroup: ContractGroupRef, ContractConnection: ContractConnectionRef, ContractGroupResult, ClientInput };
}

export type ContractRefs = ReturnType<typeof addContractTypes>;

export function contractDownloadPath(contractId: string): string {
  return `/contracts/${encodeURIComponent(contractId)}.pdf`;
}
