import type { Builder } from './builder.js';
import { pageInfoOf } from './common-types.js';

/** The contract example: groups with templates, clients, generated contracts, their errors. */
export function addContractTypes(builder: Builder) {
  builder.objectType('ContractTemplate', {
    description: 'A contract template. Body placeholders: {{name}}, {{email}}, {{address}}, {{date}}.',
    fields: (t) => ({
      title: t.exposeString('title'),
      body: t.exposeString('body'),
      version: t.exposeInt('version', { description: 'Raised by every template update.' }),
    }),
  });

  builder.objectType('ContractGroup', {
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      template: t.field({ type: 'ContractTemplate', resolve: (group) => group.template }),
      clients: t.field({ type: ['Client'], resolve: (group, _, { contracts }) => contracts.listClients(group.id) }),
      clientCount: t.int({ resolve: (group, _, { contracts }) => contracts.countClients(group.id) }),
      createdAt: t.field({ type: 'DateTime', resolve: (group) => group.createdAt }),
    }),
  });

  builder.objectType('Client', {
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      email: t.exposeString('email'),
      address: t.exposeString('address'),
      group: t.field({ type: 'ContractGroup', resolve: async (client, _, { contracts }) => (await contracts.getGroup(client.groupId))! }),
    }),
  });

  builder.objectType('Contract', {
    description: 'A generated contract PDF in the outbound-contracts list.',
    fields: (t) => ({
      id: t.exposeID('id'),
      client: t.field({ type: 'Client', resolve: async (contract, _, { contracts }) => (await contracts.getClient(contract.clientId))! }),
      group: t.field({ type: 'ContractGroup', resolve: async (contract, _, { contracts }) => (await contracts.getGroup(contract.groupId))! }),
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

  builder.objectType('ContractEdge', {
    fields: (t) => ({ cursor: t.exposeString('cursor'), node: t.field({ type: 'Contract', resolve: (edge) => edge.node }) }),
  });
  builder.objectType('ContractConnection', {
    fields: (t) => ({
      edges: t.field({ type: ['ContractEdge'], resolve: (page) => page.edges }),
      pageInfo: t.field({ type: 'PageInfo', resolve: pageInfoOf }),
      totalCount: t.exposeInt('totalCount'),
    }),
  });

  builder.objectType('ContractGroupNotFound', {
    interfaces: ['Error'],
    fields: (t) => ({ groupId: t.exposeID('groupId') }),
  });
  builder.objectType('InvalidContractInput', {
    description: 'The input did not pass validation; nothing was changed.',
    interfaces: ['Error'],
    fields: (t) => ({ problems: t.field({ type: ['InputProblem'], resolve: (outcome) => outcome.problems }) }),
  });

  const ContractGroupResult = builder.unionType('ContractGroupResult', {
    types: ['ContractGroup', 'ContractGroupNotFound', 'InvalidContractInput', 'Forbidden'],
    resolveType: (value) => ('kind' in value ? (value as { kind: string }).kind : 'ContractGroup'),
  });
  const ClientInput = builder.inputType('ClientInput', {
    fields: (t) => ({
      name: t.string({ required: true }),
      email: t.string({ required: true }),
      address: t.string({ required: true }),
    }),
  });
  return { ContractGroupResult, ClientInput };
}

export type ContractRefs = ReturnType<typeof addContractTypes>;

export function contractDownloadPath(contractId: string): string {
  return `/contracts/${encodeURIComponent(contractId)}.pdf`;
}
