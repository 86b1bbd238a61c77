/**
 * The real server in a process of its own, for scenarios that measure the server's event loop:
 * the load generator must not share that loop. Forked by bench-server-process.ts (for the
 * responsiveness and fan-out scenarios) and driven over IPC; it listens on a free loopback port.
 *
 *   → { type: 'ready', url }                 once listening
 *   ← { type: 'measure-start' }              starts the event-loop delay histogram and CPU clocks
 *   ← { type: 'measure-stop', resolutionMs } → LoopFigures
 *   ← { type: 'feedback', executionId, … }   ctx.feedback in a running BenchRemote flow → { type: 'fed', emittedAt }
 *   ← { type: 'finish', executionId }        lets that flow return
 *   ← { type: 'memory' }                     a full GC, then → { type: 'memory', rss, heapUsed } (bytes)
 *   ← { type: 'cpu-threads' }                → ThreadCpuFigures: CPU per thread from /proc, with each thread's role
 *   ← { type: 'stop' }                       stops the app and exits
 *
 * BENCH_GC_LOG=1 in the environment logs every main-thread GC pause of a measured window;
 * BENCH_HEAP_SNAPSHOTS=<dir> writes a heap snapshot at every memory reading.
 */
import { readFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import { monitorEventLoopDelay, performance, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import { pino } from 'pino';
import { loadContractSettings } from '../../src/contracts/contract-settings.js';
import { createContractsExtension } from '../../src/contracts/contracts-extension.js';
import { createApp } from '../../src/server/app.js';
import { createRemote } from '../support/remote-task.js';
import { benchConfig } from './bench-config.js';
import { forceGc } from './force-gc.js';
import { remoteTaskName } from './probe-tasks.js';
import { findLibuvThreads, findPlatformThreads, readThreadTimes, type ProcessThreadTimes, type ThreadRoles } from './thread-cpu.js';

export type ServerCommand =
  | { type: 'measure-start'; resolutionMs: number }
  | { type: 'measure-stop'; resolutionMs: number }
  | { type: 'feedback'; executionId: string; message: string; progress: number }
  | { type: 'finish'; executionId: string }
  | { type: 'memory' }
  | { type: 'cpu-threads' }
  | { type: 'stop' };

export interface LoopFigures {
  type: 'figures';
  /** Event-loop delay, ms. */
  p50: number;
  p99: number;
  max: number;
  samples: number;
  /** CPU time of the whole server process (main thread and workers) per wall-clock second: cores in use. */
  cpuCores: number;
  /** Event-loop utilisation of the main thread, 0..1. */
  mainThreadBusy: number;
  /** Garbage-collection pauses of the main thread: how many, their sum and the longest, ms. */
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
  /**
   * Time the main thread was runnable but waiting for a core (Linux schedstat), in ms, and per
   * time it got on a core: what competing threads (the render workers) cost the event loop.
   */
  runQueueWaitMs: number | null;
  runQueueWaitPerSliceMs: number | null;
}

export type ServerMessage =
  | { type: 'ready'; url: string }
  | LoopFigures
  /** When ctx.feedback was called: performance.timeOrigin + performance.now(), comparable across processes. */
  | { type: 'fed'; emittedAt: number }
  | { type: 'memory'; rss: number; heapUsed: number }
  | ThreadCpuFigures
  | { type: 'error'; message: string };

/** Every thread's CPU time so far (null without /proc) and which threads are the main, render and libuv ones. */
export interface ThreadCpuFigures extends ThreadRoles {
  type: 'cpu-threads';
  times: ProcessThreadTimes | null;
}

const send = (message: ServerMessage) => process.send?.(message);

const remote = createRemote();
const app = await createApp(benchConfig(), {
  logger: pino({ level: 'silent' }),
  tasks: [remote.task({ name: remoteTaskName, limits: { maxConcurrentExecutions: 10, timeoutMinutes: 30 } })],
  extensions: [createContractsExtension(loadContractSettings(process.env))],
  // Lets the contract-cost scenario ask each pool thread for its Linux tid.
  workers: [new URL('./thread-probe-worker.ts', import.meta.url)],
});
const { url } = await app.start(0);

let measuring: {
  histogram: IntervalHistogram;
  cpu: NodeJS.CpuUsage;
  elu: ReturnType<typeof performance.eventLoopUtilization>;
  at: number;
  gc: number[];
  gcObserver: PerformanceObserver;
  sched: { waitNs: number; slices: number } | null;
} | null = null;

/** The main thread's scheduler statistics: /proc/<pid>/task/<pid> is the main thread. Linux only. */
function mainThreadSchedstat(): { waitNs: number; slices: number } | null {
  try {
    const [, wait, slices] = readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
    return { waitNs: wait!, slices: slices! };
  } catch {
    return null;
  }
}

process.on('message', (command: ServerCommand) => {
  if (command.type === 'measure-start') {
    const histogram = monitorEventLoopDelay({ resolution: command.resolutionMs });
    histogram.enable();
    const gc: number[] = [];
    const gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        gc.push(entry.duration);
        // BENCH_GC_LOG=1: every main-thread pause, with V8's kind (1 scavenge, 2 mark-compact,
        // 4 incremental marking step, 8 weak callbacks) and flags, for finding out which one hurts.
        if (process.env.BENCH_GC_LOG) console.error(`gc ${JSON.stringify({ ms: +entry.duration.toFixed(2), ...((entry as { detail?: object }).detail ?? {}) })}`);
      }
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    measuring = {
      histogram,
      cpu: process.cpuUsage(),
      elu: performance.eventLoopUtilization(),
      at: performance.now(),
      gc,
      gcObserver,
      sched: mainThreadSchedstat(),
    };
  } else if (command.type === 'measure-stop') {
    if (!measuring) return send({ type: 'error', message: 'measure-stop without measure-start' });
    const { histogram, cpu, elu, at, gc, gcObserver, sched } = measuring;
    histogram.disable();
    gcObserver.disconnect();
    const schedNow = mainThreadSchedstat();
    const waitMs = sched && schedNow ? (schedNow.waitNs - sched.waitNs) / 1e6 : null;
    const slices = sched && schedNow ? schedNow.slices - sched.slices : 0;
    const used = process.cpuUsage(cpu);
    const wallMs = performance.now() - at;
    // Node 20's histogram records the whole interval between two ticks of its timer, resolution
    // included (an idle loop at resolution 1 ms shows p50 = 1.08 ms): the delay is what is beyond it.
    const delayMs = (ns: number) => Math.max(0, ns / 1e6 - command.resolutionMs);
    send({
      type: 'figures',
      p50: delayMs(histogram.percentile(50)),
      p99: delayMs(histogram.percentile(99)),
      max: delayMs(histogram.max),
      samples: histogram.count,
      cpuCores: (used.user + used.system) / 1000 / wallMs,
      mainThreadBusy: performance.eventLoopUtilization(elu).utilization,
      gcCount: gc.length,
      gcTotalMs: gc.reduce((sum, ms) => sum + ms, 0),
      gcMaxMs: Math.max(0, ...gc),
      runQueueWaitMs: waitMs,
      runQueueWaitPerSliceMs: waitMs !== null && slices > 0 ? waitMs / slices : null,
    });
    measuring = null;
  } else if (command.type === 'feedback') {
    remote.context(command.executionId).then(async (ctx) => {
      const emittedAt = performance.timeOrigin + performance.now();
      await ctx.feedback(command.message, { mode: 'append', progress: command.progress });
      send({ type: 'fed', emittedAt });
    }, (error: unknown) => send({ type: 'error', message: String(error) }));
  } else if (command.type === 'finish') {
    remote.finish(command.executionId, { ok: true });
  } else if (command.type === 'memory') {
    forceGc();
    const { rss, heapUsed } = process.memoryUsage();
    // BENCH_HEAP_SNAPSHOTS=<dir>: a heap snapshot at every reading, to see what a subscriber holds.
    if (process.env.BENCH_HEAP_SNAPSHOTS) writeHeapSnapshot(`${process.env.BENCH_HEAP_SNAPSHOTS}/server-${Date.now()}.heapsnapshot`);
    send({ type: 'memory', rss, heapUsed });
  } else if (command.type === 'cpu-threads') {
    threadCpuFigures().then(send, (error: unknown) => send({ type: 'error', message: String(error) }));
  } else if (command.type === 'stop') {
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  }
});
// The parent is gone (killed, crashed): do not linger as an orphan holding worker threads.
process.on('disconnect', () => process.exit(0));

send({ type: 'ready', url });

let libuvTids: Promise<number[]> | undefined;

/**
 * The roles are found before the times are read. The libuv probe (about 0.5 s of CPU) runs once,
 * at the first request, which a scenario makes before its first window; the pool probe costs
 * only a few messages (the threads wait, they do not spin), which a window's end then includes.
 * Pool threads are asked every time: an aborted job's thread is replaced by a new one.
 */
async function threadCpuFigures(): Promise<ThreadCpuFigures> {
  libuvTids ??= findLibuvThreads();
  const libuv = await libuvTids;
  const renderTids = new Set<number>();
  const signal = new AbortController().signal;
  for (let round = 0; round < 5 && renderTids.size < app.pool.threads; round++) {
    const tids = await Promise.all(
      Array.from({ length: app.pool.threads }, () => app.pool.run<number | null>('benchLinuxThreadId', { holdMs: 30 }, { signal })),
    );
    for (const tid of tids) if (tid !== null) renderTids.add(tid);
  }
  return { type: 'cpu-threads', mainTid: process.pid, renderTids: [...renderTids], libuvTids: libuv, platformTids: findPlatformThreads(), times: readThreadTimes() };
}
