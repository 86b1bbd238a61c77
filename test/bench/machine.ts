import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** Where the figures came from: they mean little without the machine and the load on it. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  node: string;
  platform: string;
  totalMemoryMiB: number;
  /** 1, 5 and 15 minute load averages. */
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpuModel: cpuModel(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    totalMemoryMiB: Math.round(totalmem() / 2 ** 20),
    loadAverage: currentLoad(),
  };
}

export function currentLoad(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1]!.trim();
  } catch {
    // not Linux: fall back to what libuv reports
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** CPU time of the whole machine and of this process's finished children, in clock ticks. */
export interface CpuSnapshot {
  at: number;
  busyTicks: number;
  stealTicks: number;
  childrenTicks: number;
}

/** Linux only (/proc); null elsewhere. */
export function cpuSnapshot(): CpuSnapshot | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
    // /proc/self/stat: the command may contain spaces, so count fields after its closing ")".
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    const cutime = Number(fields[13]);
    const cstime = Number(fields[14]);
    return { at: performance.now(), busyTicks: user + nice + system + irq + softirq, stealTicks: steal, childrenTicks: cutime + cstime };
  } catch {
    return null;
  }
}

/**
 * How busy the machine was with other work between two snapshots, in cores: all busy CPU time
 * minus what this process's children (the scenario processes, waited for) used. Close to 0 on a
 * quiet machine; a value near the core count means the figures were measured against
 * competition and deserve a re-run.
 */
export function otherWorkCores(before: CpuSnapshot | null, after: CpuSnapshot | null): { otherCores: number; stealCores: number } | null {
  if (!before || !after) return null;
  const ticksPerSecond = 100; // USER_HZ: 100 on every Linux architecture Node runs on
  const seconds = (after.at - before.at) / 1000;
  if (seconds <= 0) return null;
  const other = after.busyTicks - before.busyTicks - (after.childrenTicks - before.childrenTicks);
  return {
    otherCores: Math.max(0, Math.round((other / ticksPerSecond / seconds) * 100) / 100),
    stealCores: Math.round(((after.stealTicks - before.stealTicks) / ticksPerSecond / seconds) * 100) / 100,
  };
}

/**
 * Waits (at most `maxWaitMs`) until other processes leave the machine alone: one second in which
 * they use under `maxCores`. Returns what they used in the last second checked.
 */
export async function waitForQuietMachine(
  maxWaitMs: number,
  options: { maxCores?: number; ownPids?: () => number[] } = {},
): Promise<{ otherCores: number; waitedMs: number }> {
  const started = performance.now();
  for (;;) {
    const meter = startNoiseMeter(options.ownPids);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const otherCores = meter.stop();
    const waitedMs = Math.round(performance.now() - started);
    if (!(otherCores >= (options.maxCores ?? 0.25)) || waitedMs >= maxWaitMs) return { otherCores, waitedMs };
  }
}

/**
 * What each measured run of a scenario starts with: a (bounded) wait for the machine to be
 * quiet, then a meter of what other processes use during the run.
 */
export async function beginRun(quick: boolean, ownPids?: () => number[]) {
  await waitForQuietMachine(quick ? 3_000 : 30_000, { ownPids });
  return startNoiseMeter(ownPids);
}

/** The metric every scenario reports beside its figures. */
export const otherLoadMetric = 'other processes during the run';

/**
 * Nanoseconds the calling thread has spent runnable but waiting for a core, since it started
 * (Linux schedstat); null elsewhere. The difference across a measured span says how much of it
 * was the scheduler's doing (other threads or processes on the cores) rather than our code.
 */
export function runQueueWaitNs(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]);
  } catch {
    return null;
  }
}

/** utime + stime + cutime + cstime of a live process (all its threads, and children it has reaped), in ticks. */
function processTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  } catch {
    return 0; // gone: what it used is in its parent's children's times
  }
}

/**
 * Measures how much CPU processes other than ours used between start and stop, in cores:
 * busy time of the whole machine minus this process (all its threads and reaped children) and
 * the live processes given. Use it per run, so a run that was disturbed can be told apart.
 */
export function startNoiseMeter(ownPids: () => number[] = () => []) {
  const machineBusy = () => cpuSnapshot()?.busyTicks ?? Number.NaN;
  const own = () => [process.pid, ...ownPids()].reduce((sum, pid) => sum + processTicks(pid), 0);
  const startedAt = performance.now();
  const busyBefore = machineBusy();
  const ownBefore = own();
  return {
    /** Cores' worth of CPU that other processes used meanwhile (NaN where /proc is missing). */
    stop(): number {
      const seconds = (performance.now() - startedAt) / 1000;
      const other = machineBusy() - busyBefore - (own() - ownBefore);
      return Math.max(0, Math.round((other / 100 / seconds) * 100) / 100);
    },
  };
}
