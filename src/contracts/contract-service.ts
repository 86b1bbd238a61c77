import { z } from 'zod';
import { describeProblems, type InputProblem } from '../extension.js';
import { plainText } from './plain-text.js';
import type { ContractGroup, ContractStore, NewClient } from './contract-store.js';

const limits = { name: 100, title: 200, body: 20_000, clientsPerCall: 1_000 } as const;

const groupInput = z.object({
  name: plainText(limits.name),
  title: plainText(limits.title),
  body: plainText(limits.body, { multiline: true }),
});
const templateInput = groupInput.omit({ name: true });
const clientInput = z.object({
  name: plainText(200),
  email: z.email('must be an email address').max(320),
  // Addresses are often written on several lines; the contract prints them on one.
  address: plainText(500, { multiline: true }),
});
const clientsInput = z.array(clientInput).min(1, 'give at least one client').max(limits.clientsPerCall);

/** Errors carry their message: the core's `Error.message` shows an extension's outcome as it is. */
export type GroupOutcome =
  | { kind: 'ContractGroup'; group: ContractGroup }
  | { kind: 'ContractGroupNotFound'; groupId: string; message: string }
  | { kind: 'InvalidContractInput'; problems: InputProblem[]; message: string };

function groupNotFound(groupId: string): GroupOutcome {
  return { kind: 'ContractGroupNotFound', groupId, message: `No contract group has the id "${groupId}"` };
}

function invalidInput(problems: InputProblem[]): GroupOutcome {
  return { kind: 'InvalidContractInput', problems, message: `Invalid input: ${describeProblems(problems)}` };
}

/**
 * The contract example's write side: validates edits of groups, templates and clients and
 * answers expected problems as data.
 */
export function createContractService(contracts: ContractStore, clock: () => Date = () => new Date()) {
  return {
    async createGroup(input: { name: string; title: string; body: string }): Promise<GroupOutcome> {
      const parsed = groupInput.safeParse(input);
      if (!parsed.success) return invalid(parsed.error);
      if (await contracts.findGroupByName(parsed.data.name)) {
        return invalidInput([{ path: 'name', message: `a group named "${parsed.data.name}" exists already` }]);
      }
      return { kind: 'ContractGroup', group: await contracts.createGroup({ ...parsed.data, at: clock() }) };
    },

    /** A new template version; queued and running executions keep the snapshot they took. */
    async updateTemplate(groupId: string, input: { title: string; body: string }): Promise<GroupOutcome> {
      const parsed = templateInput.safeParse(input);
      if (!parsed.success) return invalid(parsed.error);
      const group = await contracts.updateTemplate(groupId, parsed.data);
      return group ? { kind: 'ContractGroup', group } : groupNotFound(groupId);
    },

    async addClients(groupId: string, clients: NewClient[]): Promise<GroupOutcome> {
      const parsed = clientsInput.safeParse(clients);
      if (!parsed.success) return invalid(parsed.error, 'clients');
      const group = await contracts.getGroup(groupId);
      if (!group) return groupNotFound(groupId);
      await contracts.addClients(groupId, parsed.data);
      return { kind: 'ContractGroup', group };
    },
  };
}

export type ContractService = ReturnType<typeof createContractService>;

function invalid(error: z.ZodError, prefix?: string): GroupOutcome {
  return invalidInput(
    error.issues.map((issue) => ({
      path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
      message: issue.message,
    })),
  );
}
