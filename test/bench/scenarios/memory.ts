/**
 * Scenario 6, memory: the heap and resident memory while 100,000 executions with feedback run on
 * the embedded store, measured at 10%, 50% and 100% of them: with retention (the store keeps at
 * most MAX_FINISHED_EXECUTIONS finished ones) the heap stays flat after the first 10%. In a fresh
 * process per run (resident memory only grows within a process, so a second run there would
 * measure the first).
 */
import { startTestApp } from '../../support/test-app.js';
import { benchConfig } from '../bench-config.js';
import { createDeadline, within } from '../deadline.js';
import { forceGc } from '../force-gc.js';
import { beginRun, otherLoadMetric } from '../machine.js';
import { feedbackTask, feedbackTaskName } from '../probe-tasks.js';
import { createRecorder, type Scenario } from '../report.js';

const mib = 2 ** 20;
/** Shares of the executions after which the heap is measured. */
const checkpoints = [0.1, 0.5, 1] as const;

export const memoryScenario: Scenario = {
  name: 'memory',
  title: '6. Memory (100,000 executions with feedback, embedded store with its default cap of 10,000 finished)',
  processPerRun: true,
  async run({ quick, runs }) {
    const settings = {
      executions: quick ? 20_000 : 100_000,
      feedbackPerExecution: 5,
      startsInFlight: 100,
    };
    const recorder = createRecorder();
    recorder.declare('resident memory, app started', 'MiB');
    recorder.declare('resident memory after', 'MiB');
    recorder.declare('resident memory growth', 'MiB');
    recorder.declare('JS heap growth (used)', 'MiB');
    recorder.declare('JS heap growth (reserved)', 'MiB');
    recorder.declare('JS heap per execution', 'KiB');
    for (const share of checkpoints) recorder.declare(`JS heap used after ${share * 100}%`, 'MiB');
    recorder.declare('JS heap growth from 10% to 100%', 'MiB');
    recorder.declare('finished executions kept', 'executions');
    recorder.declare('time for all executions', 's');
    recorder.declare(otherLoadMetric, 'cores');
    const server = await startTestApp(benchConfig(), { extraTasks: () => [feedbackTask()] });
    try {
      for (let run = 0; run < runs; run++) {
        const meter = await beginRun(quick);
        forceGc();
        const before = process.memoryUsage();
        const started = performance.now();
        const heapAt: number[] = [];
        let done = 0;
        for (const share of checkpoints) {
          const upTo = Math.round(settings.executions * share);
          await runExecutions(server.app.engine, upTo - done, settings.feedbackPerExecution, settings.startsInFlight);
          done = upTo;
          // The retention pass that keeps the cap runs every 100 finished executions: let the last one end.
          await server.app.engine.purgeExpired();
          forceGc();
          heapAt.push(process.memoryUsage().heapUsed);
          recorder.record(`JS heap used after ${share * 100}%`, heapAt.at(-1)! / mib);
        }
        recorder.record('JS heap growth from 10% to 100%', (heapAt.at(-1)! - heapAt[0]!) / mib);
        recorder.record('finished executions kept', (await server.app.engine.list({}, { first: 1 })).totalCount);
        const seconds = (performance.now() - started) / 1000;
        forceGc();
        const after = process.memoryUsage();
        recorder.record('resident memory, app started', before.rss / mib);
        recorder.record('resident memory after', after.rss / mib);
        recorder.record('resident memory growth', (after.rss - before.rss) / mib);
        recorder.record('JS heap growth (used)', (after.heapUsed - before.heapUsed) / mib);
        recorder.record('JS heap growth (reserved)', (after.heapTotal - before.heapTotal) / mib);
        recorder.record('JS heap per execution', (after.heapUsed - before.heapUsed) / settings.executions / 1024);
        recorder.record('time for all executions', seconds);
        recorder.record(otherLoadMetric, meter.stop());
      }
    } finally {
      await server.close();
    }
    return {
      name: this.name,
      title: this.title,
      runs,
      metrics: recorder.metrics(),
      settings,
      notes: [
        `Each execution sends ${settings.feedbackPerExecution} appended feedback lines with progress, so the store keeps ${settings.feedbackPerExecution + 3} events per execution. Measured after a full GC. The embedded store keeps at most MAX_FINISHED_EXECUTIONS (default 10,000) finished executions and deletes older ones (retention), so the heap stops growing once it holds that many.`,
      ],
    };
  },
};

type Engine = Awaited<ReturnType<typeof startTestApp>>['app']['engine'];

async function runExecutions(engine: Engine, count: number, messages: number, inFlight: number): Promise<void> {
  const updates = engine.listenToUpdates();
  try {
    const deadline = createDeadline(300_000, `${count} executions with feedback`);
    let finished = 0;
    let started = 0;
    let wake = () => {};
    const allDone = (async () => {
      while (finished < count) {
        const taken = await updates.take();
        if (taken.kind === 'closed') throw new Error('the tracker feed closed');
        if (taken.kind !== 'value' || !taken.value.finishedAt) continue;
        if (taken.value.status !== 'COMPLETED') throw new Error(`an execution ended ${taken.value.status}: ${taken.value.error}`);
        finished++;
        wake();
      }
    })();
    // At most `inFlight` unfinished at a time: a real server is not handed 10,000 starts at once.
    while (started < count) {
      if (started - finished >= inFlight) {
        await within(new Promise<void>((resolve) => (wake = resolve)), deadline.remainingMs(), 'an execution to finish');
        continue;
      }
      const outcome = await engine.start(feedbackTaskName, { messages });
      if (outcome.kind !== 'TaskQueued') throw new Error(`engine.start answered ${outcome.kind}`);
      started++;
    }
    await within(allDone, deadline.remainingMs(), 'the executions to finish');
  } finally {
    updates.close();
  }
}
