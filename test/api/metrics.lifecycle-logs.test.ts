import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiTokens } from '../../src/auth/api-tokens.js';
import { StartTaskDocument, StopTaskDocument, TaskStatusDocument } from '../generated/graphql.js';
import { failingTask } from '../support/failing-task.js';
import { createGate, gatedTask } from '../support/gated-task.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const alice = 'alice-token-0123456789abcdef';
const info = 30;

interface LogLine {
  level: number;
  msg: string;
  executionId?: string;
  [field: string]: unknown;
}

/** Its policy retries a failed attempt once, at once. */
const failingTwice = failingTask({ name: 'FailingTwice', retry: { attempts: 2, backoff: 'fixed', delayMs: 0 } });

/** One structured line per status change an instance writes, at info, stops, timeouts and failures included. */
describe('lifecycle log lines', () => {
  let server: TestApp;
  const gate = createGate();
  const lines: LogLine[] = [];

  beforeAll(async () => {
    // The server's log as JSON lines, as pino writes them to its destination.
    const destination = { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };
    server = await startTestApp(
      { apiTokens: parseApiTokens({ API_TOKENS: `alice:user:${alice}` }) },
      {
        contracts: false,
        logger: pino({ level: 'debug' }, destination),
        extraTasks: () => [gatedTask(gate), gatedTask(gate, { name: 'Slow', limits: { timeoutMinutes: 0.001 } }), failingTwice],
      },
    );
  });
  afterAll(async () => {
    gate.releaseAll();
    await server?.close();
  });

  async function start(task: string): Promise<string> {
    const { startTask } = await server.as(alice).request(StartTaskDocument, { task, input: {} });
    if (startTask.__typename !== 'TaskQueued') throw new Error(startTask.__typename);
    return startTask.execution.id;
  }
  async function untilStatus(id: string, status: string): Promise<void> {
    await waitFor(async () => (await server.as(alice).request(TaskStatusDocument, { executionId: id })).taskStatus?.status === status, {
      what: `${id} to be ${status}`,
    });
  }
  /** The lifecycle lines of one execution, once its last one (status `last`) is written. */
  async function lifecycleOf(id: string, last: string): Promise<LogLine[]> {
    const of = () => lines.filter((line) => line.executionId === id && line.msg === 'execution status changed');
    await waitFor(() => of().some((line) => line.to === last), { what: `the ${last} line of ${id}` });
    // Nothing else about it at info or above: each change is logged once.
    expect(lines.filter((line) => line.executionId === id && line.level >= info && line.msg !== 'execution status changed')).toEqual([]);
    return of();
  }

  it('logs queued, running and completed with who started it, the attempt and the durations', async () => {
    const id = await start('Gated');
    await waitFor(() => gate.running.has(id), { what: 'the execution to run' });
    gate.release(id);
    const [queued, running, completed, ...more] = await lifecycleOf(id, 'COMPLETED');
    expect(more).toEqual([]);
    const common = { level: info, executionId: id, task: 'Gated', startedBy: 'alice' };
    expect(queued).toMatchObject({ ...common, from: null, to: 'QUEUED', attempt: 0 });
    expect(running).toMatchObject({ ...common, from: 'QUEUED', to: 'RUNNING', attempt: 1, waitMs: expect.any(Number) });
    expect(completed).toMatchObject({ ...common, from: 'RUNNING', to: 'COMPLETED', attempt: 1, runMs: expect.any(Number), totalMs: expect.any(Number) });
    expect(completed).not.toHaveProperty('error');
  });

  it('logs a stop at info: of a running execution with its run, of a waiting one without', async () => {
    const running = await start('Gated');
    await waitFor(() => gate.running.has(running), { what: 'the execution to run' });
    const waiting = await start('Gated');
    for (const id of [waiting, running]) {
      expect((await server.as(alice).request(StopTaskDocument, { executionId: id })).stopTask.__typename).toBe('TaskStopped');
    }
    const stoppedRun = (await lifecycleOf(running, 'STOPPED')).at(-1);
    expect(stoppedRun).toMatchObject({ level: info, from: 'RUNNING', to: 'STOPPED', runMs: expect.any(Number), reason: expect.stringMatching(/stopped/) });
    const stoppedWait = await lifecycleOf(waiting, 'STOPPED');
    expect(stoppedWait.map((line) => line.to)).toEqual(['QUEUED', 'STOPPED']);
    expect(stoppedWait[1]).toMatchObject({ level: info, from: 'QUEUED', totalMs: expect.any(Number) });
    expect(stoppedWait[1]).not.toHaveProperty('runMs');
  });

  it('logs a timeout at info with its error', async () => {
    const id = await start('Slow');
    await untilStatus(id, 'TIMED_OUT');
    const timedOut = (await lifecycleOf(id, 'TIMED_OUT')).at(-1);
    expect(timedOut).toMatchObject({
      level: info,
      task: 'Slow',
      from: 'RUNNING',
      to: 'TIMED_OUT',
      error: expect.stringMatching(/timeout/),
      runMs: expect.any(Number),
    });
  });

  it('logs each failed attempt once, at info with its error: the retry, then the failure', async () => {
    const id = await start('FailingTwice');
    await untilStatus(id, 'FAILED');
    const changes = await lifecycleOf(id, 'FAILED');
    expect(changes.map((line) => [line.from, line.to])).toEqual([
      [null, 'QUEUED'],
      ['QUEUED', 'RUNNING'],
      ['RUNNING', 'SCHEDULED'],
      ['SCHEDULED', 'QUEUED'],
      ['QUEUED', 'RUNNING'],
      ['RUNNING', 'FAILED'],
    ]);
    expect(changes[2]).toMatchObject({
      level: info,
      attempt: 1,
      error: 'attempt 1 failed',
      runMs: expect.any(Number),
      reason: expect.stringMatching(/^Attempt 1 of 2 failed/),
      runAt: expect.any(String),
    });
    expect(changes[5]).toMatchObject({ level: info, attempt: 2, error: 'attempt 2 failed', runMs: expect.any(Number) });
    // The stack is still there for whoever debugs the task.
    expect(lines.some((line) => line.level < info && line.executionId === id && (line.err as { stack?: string } | undefined)?.stack)).toBe(true);
  });

  it('writes nothing at warn or error for executions that merely ended badly', () => {
    expect(lines.filter((line) => line.level >= 40 && line.executionId !== undefined)).toEqual([]);
  });
});
