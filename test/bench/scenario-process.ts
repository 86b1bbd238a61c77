/**
 * Runs one scenario in a process of its own (forked by run.ts) and sends its result back over
 * IPC: no scenario inherits another's heap, JIT state, sockets or worker threads.
 *
 * Usage (run.ts does this): scenario-process.ts <name> '{"quick":false,"runs":5}'
 */
import type { ScenarioOptions, ScenarioResult } from './report.js';
import { scenarioLoaders } from './scenario-registry.js';

export type ScenarioMessage = { ok: true; result: ScenarioResult } | { ok: false; error: string };

async function main(): Promise<ScenarioMessage> {
  const [name, optionsJson] = process.argv.slice(2);
  const load = name ? scenarioLoaders[name] : undefined;
  if (!load || !optionsJson) return { ok: false, error: `usage: scenario-process.ts <${Object.keys(scenarioLoaders).join('|')}> <options JSON>` };
  const scenario = await load();
  const result = await scenario.run(JSON.parse(optionsJson) as ScenarioOptions);
  return { ok: true, result };
}

const message = await main().catch((error: unknown): ScenarioMessage => ({
  ok: false,
  error: error instanceof Error ? (error.stack ?? error.message) : String(error),
}));
if (process.send) {
  process.send(message, undefined, {}, () => process.exit(0));
} else {
  console.log(JSON.stringify(message, null, 2));
  process.exit(message.ok ? 0 : 1);
}
