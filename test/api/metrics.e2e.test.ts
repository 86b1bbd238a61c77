import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiTokens } from '../../src/auth/api-tokens.js';
import { loadConfig } from '../../src/config.js';
import { StartTaskDocument, StopTaskDocument, TaskExecutionUpdatesDocument, TaskFeedbackDocument, TaskStatusDocument } from '../generated/graphql.js';
import { failingTask } from '../support/failing-task.js';
import { createGate, gatedTask } from '../support/gated-task.js';
import { greeterTask } from '../support/greeter-task.js';
import { parsePrometheusText } from '../support/prometheus-text.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const ops = 'ops-token-0123456789abcdef';
const alice = 'alice-token-0123456789abcdef';
const scraper = 'scraper-token-0123456789abcdef';

/** GET /metrics with an optional bearer token. */
function scrape(server: TestApp, token?: string): Promise<Response> {
  return fetch(`${server.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

async function metricsOf(server: TestApp) {
  const response = await scrape(server, scraper);
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
}

describe('GET /metrics with API tokens', () => {
  let server: TestApp;
  const gate = createGate();
  const ids: Record<string, string> = {};

  /** Starts a task as the admin; returns the execution id, or the answer's type when it was refused. */
  async function start(task: string, input: unknown = {}): Promise<string> {
    const { startTask } = await server.as(ops).request(StartTaskDocument, { task, input });
    return startTask.__typename === 'TaskQueued' ? startTask.execution.id : startTask.__typename;
  }
  async function statusOf(id: string) {
    return (await server.as(ops).request(TaskStatusDocument, { executionId: id })).taskStatus?.status;
  }
  async function finished(id: string, status: string) {
    await waitFor(async () => (await statusOf(id)) === status, { what: `${id} to be ${status}` });
  }

  beforeAll(async () => {
    server = await startTestApp(
      {
        apiTokens: parseApiTokens({ API_TOKENS: `ops:admin:${ops},alice:user:${alice}` }),
        metricsTokenSha256: loadConfig({ METRICS_TOKEN: scraper }).metricsTokenSha256,
      },
      { contracts: false, extraTasks: () => [gatedTask(gate, { limits: { maxQueueLength: 1 } }), failingTask(), greeterTask(gate)] },
    );
    // Gated: one runs (A), one waits (B), the next is refused; B is stopped while it waits.
    ids.a = await start('Gated');
    await waitFor(() => gate.running.has(ids.a!), { what: 'A to run' });
    ids.b = await start('Gated');
    expect(await start('Gated')).toBe('QueueFull');
    expect((await server.as(ops).request(StopTaskDocument, { executionId: ids.b })).stopTask.__typename).toBe('TaskStopped');
    gate.release(ids.a);
    await finished(ids.a, 'COMPLETED');
    // D is stopped while it runs.
    ids.d = await start('Gated');
    await waitFor(() => gate.running.has(ids.d!), { what: 'D to run' });
    expect((await server.as(ops).request(StopTaskDocument, { executionId: ids.d })).stopTask.__typename).toBe('TaskStopped');
    expect(await start('Gated', { label: 5 })).toBe('InvalidTaskInput');
    expect(await start('NoSuchTask')).toBe('TaskNotFound');
    ids.failing = await start('Failing');
    await finished(ids.failing, 'FAILED');
    // The greeter sends one feedback message, waits at the gate, then sends two more.
    ids.greeter = await start('Greeter', { name: 'Ada', times: 3 });
    await waitFor(() => gate.running.has(ids.greeter!), { what: 'the greeter to wait' });
    gate.release(ids.greeter);
    await finished(ids.greeter, 'COMPLETED');
    // E runs and F waits while the test scrapes.
    ids.e = await start('Gated');
    await waitFor(() => gate.running.has(ids.e!), { what: 'E to run' });
    ids.f = await start('Gated');
  });
  afterAll(async () => {
    gate.releaseAll();
    await server?.close();
  });

  it('answers 401 without a valid token, 403 to a user, 200 to METRICS_TOKEN and to an admin', async () => {
    for (const token of [undefined, 'not-a-configured-token-at-all']) {
      const response = await scrape(server, token);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect((await scrape(server, alice)).status).toBe(403);
    for (const token of [scraper, ops]) {
      const response = await scrape(server, token);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    }
  });

  it('lets METRICS_TOKEN open nothing but /metrics', async () => {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${scraper}` },
      body: JSON.stringify({ query: '{ tasks { name } }' }),
    });
    expect(response.status).toBe(401);
  });

  it('counts starts, refusals by reason, ends by status and feedback, by task', async () => {
    const metrics = await metricsOf(server);
    expect(metrics.type('async_task_executions_started_total')).toBe('counter');
    expect(metrics.value('async_task_executions_started_total', { task: 'Gated' })).toBe(5);
    expect(metrics.value('async_task_executions_started_total', { task: 'Failing' })).toBe(1);
    expect(metrics.value('async_task_starts_refused_total', { task: 'Gated', reason: 'QueueFull' })).toBe(1);
    expect(metrics.value('async_task_starts_refused_total', { task: 'Gated', reason: 'InvalidTaskInput' })).toBe(1);
    // A name the caller made up is not a label value of its own.
    expect(metrics.value('async_task_starts_refused_total', { task: '(unknown)', reason: 'TaskNotFound' })).toBe(1);
    expect(metrics.samples.some((sample) => sample.labels.task === 'NoSuchTask')).toBe(false);

    expect(metrics.value('async_task_executions_finished_total', { task: 'Gated', status: 'COMPLETED' })).toBe(1);
    expect(metrics.value('async_task_executions_finished_total', { task: 'Gated', status: 'STOPPED' })).toBe(2);
    expect(metrics.value('async_task_executions_finished_total', { task: 'Failing', status: 'FAILED' })).toBe(1);
    expect(metrics.value('async_task_executions_finished_total', { task: 'Greeter', status: 'COMPLETED' })).toBe(1);
    expect(metrics.value('async_task_feedback_events_total', { task: 'Greeter' })).toBe(3);
  });

  it('times runs that ended from RUNNING and the wait of every claim', async () => {
    const metrics = await metricsOf(server);
    expect(metrics.type('async_task_execution_run_duration_seconds')).toBe('histogram');
    const runs = (task: string, status: string) => metrics.value('async_task_execution_run_duration_seconds_count', { task, status });
    expect(runs('Gated', 'COMPLETED')).toBe(1);
    // B was stopped while it waited: it never ran, so only D's run is timed.
    expect(runs('Gated', 'STOPPED')).toBe(1);
    expect(runs('Failing', 'FAILED')).toBe(1);
    expect(metrics.value('async_task_execution_run_duration_seconds_bucket', { task: 'Gated', status: 'STOPPED', le: '+Inf' })).toBe(1);
    // Claims: A, D and E of Gated (B never ran; F waits).
    expect(metrics.value('async_task_execution_wait_duration_seconds_count', { task: 'Gated' })).toBe(3);
    expect(metrics.value('async_task_execution_wait_duration_seconds_count', { task: 'Greeter' })).toBe(1);
  });

  it("reports every task's queued and running executions from the store, and the worker pool", async () => {
    const metrics = await metricsOf(server);
    expect(metrics.value('async_task_executions', { task: 'Gated', status: 'RUNNING' })).toBe(1);
    expect(metrics.value('async_task_executions', { task: 'Gated', status: 'QUEUED' })).toBe(1);
    expect(metrics.value('async_task_executions', { task: 'Greeter', status: 'RUNNING' })).toBe(0);
    expect(metrics.value('async_task_worker_pool_threads')).toBe(2);
    expect(metrics.value('async_task_worker_pool_queue_size')).toBe(0);
    const utilization = metrics.value('async_task_worker_pool_utilization')!;
    expect(utilization).toBeGreaterThanOrEqual(0);
    expect(utilization).toBeLessThanOrEqual(1);
    // Node's default metrics, event-loop delay among them.
    expect(metrics.value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(metrics.value('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(metrics.type('process_cpu_user_seconds_total')).toBe('counter');
  });

  it('counts the live feedback streams and tracker feeds open here', async () => {
    const subscribers = async (kind: string) => (await metricsOf(server)).value('async_task_live_subscribers', { kind });
    expect(await subscribers('feedback')).toBe(0);
    expect(await subscribers('tracker')).toBe(0);
    const feed = server.as(ops).subscribe(TaskFeedbackDocument, { executionId: ids.e!, afterSequence: 0 });
    const tracker = server.as(ops).subscribe(TaskExecutionUpdatesDocument, { task: 'Gated' });
    await waitFor(async () => (await subscribers('feedback')) === 1 && (await subscribers('tracker')) === 1, { what: 'both streams to be counted' });
    feed.unsubscribe();
    tracker.unsubscribe();
    await waitFor(async () => (await subscribers('feedback')) === 0 && (await subscribers('tracker')) === 0, { what: 'both streams to be gone' });
  });
});

describe('GET /metrics on a server without tokens', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({}, { contracts: false });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is open like the rest of the server', async () => {
    const response = await scrape(server);
    expect(response.status).toBe(200);
    expect(parsePrometheusText(await response.text()).value('async_task_worker_pool_threads')).toBe(2);
  });
});
