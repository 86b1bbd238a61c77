import { forbidden, ownedBy, pageArgs, pageRequestOf, withUserErrors, type Builder } from '../extension.js';
import type { ContractRefs } from './contract-graphql-types.js';
import type { ContractService, GroupOutcome } from './contract-service.js';
import type { ContractStore } from './contract-store.js';

/** Queries and mutations of the contract example. Resolvers stay thin: one service call each. */
export function addContractOperations(
  builder: Builder,
  refs: ContractRefs,
  services: { contracts: ContractStore; contractService: ContractService },
): void {
  const { contracts, contractService } = services;
  builder.queryFields((t) => ({
    contractGroups: t.field({ type: [refs.ContractGroup], resolve: () => contracts.listGroups() }),
    contractGroup: t.field({
      type: refs.ContractGroup,
      nullable: true,
      args: { id: t.arg.id({ required: true }) },
      resolve: (_, { id }) => contracts.getGroup(String(id)),
    }),
    contracts: t.field({
      type: refs.ContractConnection,
      description: 'The outbound-contracts list, newest first, optionally of one execution and/or group.',
      args: { executionId: t.arg.id({ required: false }), groupId: t.arg.id({ required: false }), ...pageArgs(t) },
      resolve: (_, args, { principal }) =>
        withUserErrors(() =>
          contracts.listContracts(
            {
              executionId: args.executionId == null ? null : String(args.executionId),
              groupId: args.groupId == null ? null : String(args.groupId),
              startedBy: ownedBy(principal),
            },
            pageRequestOf(args),
          ),
        ),
    }),
  }));

  builder.mutationFields((t) => ({
    createContractGroup: t.field({
      type: refs.ContractGroupResult,
      args: { name: t.arg.string({ required: true }), title: t.arg.string({ required: true }), body: t.arg.string({ required: true }) },
      resolve: async (_, args, { principal }) =>
        principal.role === 'admin' ? groupResult(await contractService.createGroup(args)) : forbidden('create contract groups'),
    }),
    updateContractTemplate: t.field({
      type: refs.ContractGroupResult,
      description: 'A new template version. Executions already started keep the template they snapshotted.',
      args: { groupId: t.arg.id({ required: true }), title: t.arg.string({ required: true }), body: t.arg.string({ required: true }) },
      resolve: async (_, { groupId, ...template }, { principal }) =>
        principal.role === 'admin'
          ? groupResult(await contractService.updateTemplate(String(groupId), template))
          : forbidden('change contract templates'),
    }),
    addClients: t.field({
      type: refs.ContractGroupResult,
      args: { groupId: t.arg.id({ required: true }), clients: t.arg({ type: [refs.ClientInput], required: true }) },
      resolve: async (_, { groupId, clients }, { principal }) =>
        principal.role === 'admin'
          ? groupResult(await contractService.addClients(String(groupId), clients))
          : forbidden('add clients'),
    }),
  }));
}

function groupResult(outcome: GroupOutcome) {
  return outcome.kind === 'ContractGroup' ? outcome.group : outcome;
}
