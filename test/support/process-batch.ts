import type { Store } from '../../src/store/store.js';

/** A contract group of `size` made-up clients, written straight to the store. */
export async function seedGroup(store: Store, size: number, name = 'Batch group'): Promise<string> {
  const group = await store.contracts.createGroup({
    name,
    title: `${name} Agreement`,
    body: 'This agreement between us and {{name}} ({{email}}, {{address}}) starts on {{date}}.',
    at: new Date(),
  });
  await store.contracts.addClients(
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
