import {
  AddClientsDocument,
  ContractGroupDocument,
  ContractGroupsDocument,
  CreateContractGroupDocument,
  StartTaskDocument,
  TaskFeedbackDocument,
  type ClientInput,
} from '../generated/graphql.js';
import type { TestApp } from './test-app.js';

/** One demo group by name, with its clients. */
export async function demoGroup(server: TestApp, name: 'Standard' | 'Premium') {
  const { contractGroups } = await server.request(ContractGroupsDocument);
  const listed = contractGroups.find((group) => group.name === name);
  if (!listed) throw new Error(`The demo group ${name} is missing`);
  const { contractGroup } = await server.request(ContractGroupDocument, { id: listed.id });
  return contractGroup!;
}

/** `count` made-up clients; addresses and e-mails use the reserved example.com domain. */
export function madeUpClients(count: number, prefix = 'Client'): ClientInput[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix} ${i + 1}`,
    email: `${prefix.toLowerCase().replace(/\W+/g, '.')}.${i + 1}@example.com`,
    address: `${i + 1} Example Street, Springfield`,
  }));
}

/**
 * Creates a contract group over GraphQL with `clients` (added in calls of at most 1000, the
 * API's limit per call) and returns its id.
 */
export async function createGroup(
  server: Pick<TestApp, 'request'>,
  group: { name: string; title?: string; body?: string; clients?: ClientInput[] },
): Promise<string> {
  const created = await server.request(CreateContractGroupDocument, {
    name: group.name,
    title: group.title ?? `${group.name} Agreement`,
    body: group.body ?? 'Agreement with {{name}} ({{email}}), {{address}}, dated {{date}}.',
  });
  if (created.createContractGroup.__typename !== 'ContractGroup') {
    throw new Error(`createContractGroup answered ${JSON.stringify(created.createContractGroup)}`);
  }
  const groupId = created.createContractGroup.id;
  const clients = group.clients ?? [];
  for (let i = 0; i < clients.length; i += 1000) {
    const added = await server.request(AddClientsDocument, { groupId, clients: clients.slice(i, i + 1000) });
    if (added.addClients.__typename !== 'ContractGroup') throw new Error(`addClients answered ${JSON.stringify(added.addClients)}`);
  }
  return groupId;
}

/** Starts ContractCreator on a group; anything but TaskQueued fails the test. */
export async function startContractCreator(server: TestApp, groupId: string) {
  const { startTask } = await server.request(StartTaskDocument, { task: 'ContractCreator', input: { groupId } });
  if (startTask.__typename !== 'TaskQueued') throw new Error(`startTask answered ${JSON.stringify(startTask)}`);
  return startTask.execution;
}

/** Replays and follows an execution's feedback until the stream completes; returns every event. */
export async function feedbackUntilEnd(server: TestApp, executionId: string) {
  const feed = server.subscribe(TaskFeedbackDocument, { executionId, afterSequence: 0 });
  await feed.done;
  return feed.events.map((event) => event.taskFeedback);
}
