/**
 * CPU time per thread of a process, from Linux's /proc/<pid>/task/<tid>/stat, grouped by what
 * the threads do (issue 14: count every thread, not only the render thread). Node 20 names all
 * its threads "node", so names cannot tell them apart; the groups come from what each thread is
 * seen doing instead:
 * - main: the thread whose tid is the pid;
 * - render workers: the worker-pool threads, which report their own tid (thread-probe-worker.ts);
 * - libuv: the threadpool threads, found by giving the pool CPU work (pbkdf2) and seeing which
 *   threads spent it;
 * - V8 platform: the first threads Node starts after the main one, in tid order (node_platform.cc
 *   starts its delayed-task thread, then `--v8-pool-size` worker threads, default 4): they run
 *   background GC and compilation for every isolate of the process, workers' included;
 * - other: every other thread (the signal-watcher, the tsx loader's hook thread) and threads that
 *   exited during the window (their CPU is only in the process's total).
 */
import { pbkdf2 } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

export interface ThreadTimes {
  tid: number;
  comm: string;
  /** utime + stime, ms. */
  cpuMs: number;
  /** When the thread started, clock ticks since boot. */
  startTicks: number;
}

export interface ProcessThreadTimes {
  /** utime + stime of the whole process, ms: includes threads that have exited. */
  processCpuMs: number;
  threads: ThreadTimes[];
}

/** 100 on every Linux architecture Node runs on. */
const ticksPerSecond = 100;

/** The fields after the command name (which may contain spaces or parentheses). */
function statFields(text: string): string[] {
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** Every live thread's CPU time and the process total; null where /proc is missing (not Linux). */
export function readThreadTimes(pid: number | 'self' = 'self'): ProcessThreadTimes | null {
  try {
    const process = statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    const threads: ThreadTimes[] = [];
    for (const name of readdirSync(`/proc/${pid}/task`)) {
      let text: string;
      try {
        text = readFileSync(`/proc/${pid}/task/${name}/stat`, 'utf8');
      } catch {
        continue; // exited between the listing and the read
      }
      const fields = statFields(text);
      threads.push({
        tid: Number(name),
        comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')),
        // utime and stime are fields 14 and 15 of stat, starttime field 22 (1-based; the list here starts at field 3)
        cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond,
        startTicks: Number(fields[19]),
      });
    }
    return { processCpuMs: ((Number(process[11]) + Number(process[12])) * 1000) / ticksPerSecond, threads };
  } catch {
    return null;
  }
}

/**
 * One thread's CPU time split into user (JavaScript, V8, libuv) and system (the kernel, in the
 * thread's system calls), ms; null where /proc is missing. The main thread of another process is
 * `readUserSystemTimes(pid, pid)`.
 */
export function readUserSystemTimes(pid: number, tid: number): { userMs: number; systemMs: number } | null {
  try {
    const fields = statFields(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
    return { userMs: (Number(fields[11]) * 1000) / ticksPerSecond, systemMs: (Number(fields[12]) * 1000) / ticksPerSecond };
  } catch {
    return null;
  }
}

/**
 * The libuv threadpool's tids: runs one CPU-bound pbkdf2 per pool thread at once, a few rounds,
 * and keeps the threads that spent the time. Costs about `rounds` × 40 ms of CPU per pool thread:
 * call it outside a measured window. Empty where /proc is missing.
 */
export async function findLibuvThreads(rounds = 3): Promise<number[]> {
  const size = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  const before = readThreadTimes();
  if (!before) return [];
  const run = promisify(pbkdf2);
  for (let round = 0; round < rounds; round++) {
    await Promise.all(Array.from({ length: size }, () => run('bench', 'salt', 40_000, 32, 'sha256')));
  }
  const after = readThreadTimes()!;
  const earlier = new Map(before.threads.map((t) => [t.tid, t.cpuMs]));
  return after.threads
    .filter((t) => t.tid !== process.pid && t.cpuMs - (earlier.get(t.tid) ?? 0) >= 20)
    .sort((a, b) => b.cpuMs - (earlier.get(b.tid) ?? 0) - (a.cpuMs - (earlier.get(a.tid) ?? 0)))
    .slice(0, size)
    .map((t) => t.tid);
}

/** Node's platform threads (see above): the `--v8-pool-size` + 1 lowest tids after the main thread's. */
export function findPlatformThreads(): number[] {
  const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  const match = /--v8-pool-size[= ](\d+)/.exec(flags);
  // 0 means one per core, capped at 4 (NodePlatform); unset means 4.
  const poolSize = match ? Number(match[1]) || 4 : 4;
  const threads = readThreadTimes()?.threads ?? [];
  return threads
    .map((t) => t.tid)
    .filter((tid) => tid > process.pid)
    .sort((a, b) => a - b)
    .slice(0, poolSize + 1);
}

export const threadGroups = ['main', 'render workers', 'V8 platform', 'libuv', 'other'] as const;
export type ThreadGroup = (typeof threadGroups)[number];

export interface ThreadRoles {
  mainTid: number;
  renderTids: number[];
  libuvTids: number[];
  platformTids: number[];
}

/**
 * CPU ms per group between two readings of one process. Threads present at the end but not the
 * start count from zero; what the process total has beyond its live threads (threads that exited
 * meanwhile) goes to "other".
 */
export function cpuByGroup(before: ProcessThreadTimes, after: ProcessThreadTimes, roles: ThreadRoles): Record<ThreadGroup, number> & { total: number } {
  const earlier = new Map(before.threads.map((t) => [t.tid, t.cpuMs]));
  const platform = new Set(roles.platformTids);
  const render = new Set(roles.renderTids);
  const libuv = new Set(roles.libuvTids);
  const sums: Record<ThreadGroup, number> = { main: 0, 'render workers': 0, 'V8 platform': 0, libuv: 0, other: 0 };
  let live = 0;
  for (const thread of after.threads) {
    const delta = thread.cpuMs - (earlier.get(thread.tid) ?? 0);
    live += delta;
    const group: ThreadGroup =
      thread.tid === roles.mainTid
        ? 'main'
        : render.has(thread.tid)
          ? 'render workers'
          : libuv.has(thread.tid)
            ? 'libuv'
            : platform.has(thread.tid)
              ? 'V8 platform'
              : 'other';
    sums[group] += delta;
  }
  const total = after.processCpuMs - before.processCpuMs;
  // The per-thread and process figures are read a moment apart and rounded to ticks: only a
  // clearly larger total means threads exited.
  sums.other += Math.max(0, total - live);
  return { ...sums, total: Math.max(total, live) };
}
