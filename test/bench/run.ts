/**
 * `npm run bench`: runs the scenarios of issue 4, each in a fresh process, prints one table and
 * writes the same figures as JSON.
 *
 *   npm run bench                        every scenario, full size (several minutes)
 *   npm run bench -- --quick             small sizes and two runs, to try things out
 *   npm run bench -- --only rendering    one scenario (or a comma-separated list)
 *   npm run bench -- --runs 7            runs per scenario (default 5, quick 2)
 *   npm run bench -- --out path.json     where the JSON goes (default ./bench-results.json)
 *   npm run bench -- --cpu-prof          CPU profiles of every process and worker in ./bench-profiles/
 *
 * The machine is part of the result: the JSON records the cores, CPU model, Node version and
 * the load average before and after, so a noisy run can be recognised as one.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { reportedConfig } from './bench-config.js';
import { cpuSnapshot, currentLoad, machineInfo, otherWorkCores, waitForQuietMachine } from './machine.js';
import { formatTable, mergeRuns, type ScenarioOptions, type ScenarioResult } from './report.js';
import { scenarioLoaders, scenarioNames } from './scenario-registry.js';
import type { ScenarioMessage } from './scenario-process.js';

const usage = `usage: npm run bench -- [--only ${scenarioNames.join(',')}] [--quick] [--runs N] [--out FILE] [--cpu-prof]`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      out: { type: 'string', default: './bench-results.json' },
      'cpu-prof': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const selected = values.only ? values.only.split(',').map((name) => name.trim()) : scenarioNames;
  const unknown = selected.filter((name) => !scenarioLoaders[name]);
  if (unknown.length > 0) {
    console.error(`unknown scenario ${unknown.join(', ')}\n${usage}`);
    return 2;
  }
  const runs = values.runs ? Number(values.runs) : values.quick ? 2 : 5;
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
    console.error(`--runs must be a whole number from 1 to 50\n${usage}`);
    return 2;
  }
  const options: ScenarioOptions = { quick: values.quick, runs };
  const profileDir = values['cpu-prof'] ? resolve('bench-profiles') : null;

  const machine = machineInfo();
  console.error(
    `${machine.cores} cores, ${machine.cpuModel}, Node ${machine.node}; load average ${machine.loadAverage.join(' ')}` +
      `${options.quick ? '; quick mode' : ''}`,
  );
  const startedAt = new Date();
  const results: ScenarioResult[] = [];
  const failures: Array<{ scenario: string; error: string }> = [];
  /** How quiet the machine was while each scenario ran. */
  const conditions: Record<string, { seconds: number; loadAverageAfter: number[]; otherWorkCores: number | null; stealCores: number | null }> = {};
  for (const name of selected) {
    const scenario = await scenarioLoaders[name]!();
    // The machine may be shared: give other processes' bursts a chance to pass first.
    const quiet = await waitForQuietMachine(options.quick ? 5_000 : 60_000);
    if (quiet.otherCores >= 0.25) {
      console.error(`  the machine is busy (other processes use ${quiet.otherCores} cores): measuring anyway`);
    }
    const began = performance.now();
    const cpuBefore = cpuSnapshot();
    console.error(`running ${name} (${runs} run${runs === 1 ? '' : 's'})…`);
    try {
      const parts: ScenarioResult[] = [];
      // A scenario that needs a fresh process per run (resident memory) gets one per run.
      for (const runOptions of scenario.processPerRun ? Array.from({ length: runs }, () => ({ ...options, runs: 1 })) : [options]) {
        parts.push(await runInChild(name, runOptions, profileDir, options.quick ? 5 * 60_000 : 20 * 60_000));
      }
      results.push(parts.length === 1 ? parts[0]! : mergeRuns(parts));
      const other = otherWorkCores(cpuBefore, cpuSnapshot());
      conditions[name] = {
        seconds: Math.round(performance.now() - began) / 1000,
        loadAverageAfter: currentLoad(),
        otherWorkCores: other?.otherCores ?? null,
        stealCores: other?.stealCores ?? null,
      };
      console.error(
        `  ${name} done in ${conditions[name].seconds.toFixed(1)} s; other processes used ${other ? `${other.otherCores} cores meanwhile` : 'unknown CPU'}`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ scenario: name, error: message });
      console.error(`  ${name} FAILED: ${message}`);
    }
  }

  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: { ...machine, loadAverageBefore: machine.loadAverage, loadAverageAfter: currentLoad() },
    options,
    /** The server settings every scenario ran with (environment variables apply, see bench-config.ts). */
    config: reportedConfig(),
    conditions,
    results,
    failures,
  };
  console.log(`\n${formatTable(results)}\n`);
  console.log(
    `${machine.cores} cores · ${machine.cpuModel} · Node ${machine.node} · load average before ${machine.loadAverage.join(' ')}, after ${report.machine.loadAverageAfter.join(' ')}`,
  );
  console.log(`server settings: ${Object.entries(report.config).map(([key, value]) => `${key}=${String(value)}`).join(' ')}`);
  const noise = Object.entries(conditions).map(([name, c]) => `${name} ${c.otherWorkCores ?? '?'}`);
  if (noise.length > 0) console.log(`other processes' CPU use while each scenario ran, in cores: ${noise.join(', ')}`);
  for (const result of results) for (const note of result.notes) console.log(`- ${result.name}: ${note}`);
  const out = resolve(values.out);
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten to ${out}${profileDir ? `; CPU profiles in ${profileDir}` : ''}`);
  return failures.length > 0 ? 1 : 0;
}

/** Forks scenario-process.ts for one scenario; kills it if it outlives `timeoutMs`. */
function runInChild(name: string, options: ScenarioOptions, profileDir: string | null, timeoutMs: number): Promise<ScenarioResult> {
  const execArgv = [...process.execArgv];
  if (profileDir) {
    const dir = resolve(profileDir, name);
    mkdirSync(dir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const child = fork(fileURLToPath(new URL('./scenario-process.ts', import.meta.url)), [name, JSON.stringify(options)], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolvePromise, reject) => {
    let answer: ScenarioMessage | null = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('message', (message: ScenarioMessage) => {
      answer = message;
    });
    // Settles on exit, not on the message: only a child that has been waited for has its CPU
    // time in this process's children's times, which the noise estimate relies on.
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!answer) reject(new Error(`${name} exited (${signal ?? `code ${code}`}) without a result`));
      else if (answer.ok) resolvePromise(answer.result);
      else reject(new Error(answer.error));
    });
  });
}

process.exitCode = await main();
