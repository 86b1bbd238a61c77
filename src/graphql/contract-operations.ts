import type { GroupOutcome } from '../contracts/contract-service.js';
import { ownedBy } from '../auth/principal.js';
import { forbidden, type Builder } from './builder.js';
import { pageArgs, pageRequestOf, withUserErrors } from './common-types.js';
import type { ContractRefs } from './contract-types.js';

/** Queries and mutations of the contract example. */
export function addContractOperations(builder: Builder, refs: ContractRefs): void {
  builder.queryFields((t) => ({
    contractGroups: t.field({ type: ['ContractGroup'], resolve: (_, __, { contracts }) => contracts.listGroups() }),
    contractGroup: t.field({
      type: 'ContractGroup',
      nullable: true,
      args: { id: t.arg.id({ required: true }) },
      resolve: (_, { id }, { contracts }) => contracts.getGroup(String(id)),
    }),
    contracts: t.field({
      type: 'ContractConnection',
      description: 'The outbound-contracts list, newest first, optionally of one execution and/or group.',
      args: { executionId: t.arg.id({ required: false }), groupId: t.arg.id({ required: false }), ...pageArgs(t) },
      resolve: (_, args, { contracts, principal }) =>
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
      resolve: async (_, args, { contractService, principal }) =>
        principal.role === 'admin' ? groupResult(await contractService.createGroup(args)) : forbidden('create contract groups'),
    }),
    updateContractTemplate: t.field({
      type: refs.ContractGroupResult,
      description: 'A new template version. Executions already started keep the template they snapshotted.',
      args: { groupId: t.arg.id({ required: true }), title: t.arg.string({ required: true }), body: t.arg.string({ required: true }) },
      resolve: async (_, { groupId, ...template }, { contractService, principal }) =>
        principal.role === 'admin'
          ? groupResult(await contractService.updateTemplate(String(groupId), template))
          : forbidden('change contract templates'),
    }),
    addClients: t.field({
      type: refs.ContractGroupResult,
      args: { groupId: t.arg.id({ required: true }), clients: t.arg({ type: [refs.ClientInput], required: true }) },
      resolve: async (_, { groupId, clients }, { contractService, principal }) =>
        principal.role === 'admin'
          ? groupResult(await contractService.addClients(String(groupId), clients))
          : forbidden('add clients'),
    }),
  }));
}

function groupResult(outcome: GroupOutcome) {
  return outcome.kind === 'ContractGroup' ? outcome.group : outcome;
}
