import type { ContractStore } from './contract-store.js';
import { demoContractGroups } from './demo-data.js';

/** Loads the demo groups and their clients, once: a store that has groups already is left alone. */
export async function loadDemoData(contracts: ContractStore, at: Date = new Date()): Promise<number> {
  if ((await contracts.listGroups()).length > 0) return 0;
  for (const demo of demoContractGroups) {
    try {
      await contracts.createGroup({ id: demo.id, name: demo.name, title: demo.template.title, body: demo.template.body, at });
    } catch (error) {
      // Another server instance starting on the same database loaded it first.
      if (await contracts.getGroup(demo.id)) return 0;
      throw error;
    }
    await contracts.addClients(demo.id, [...demo.clients]);
  }
  return demoContractGroups.length;
}
