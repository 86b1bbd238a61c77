import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask } from '../../src/engine/task-definition.js';
import { TaskStatusDocument } from '../generated/graphql.js';
import { openBrowser, requestsOutside, type BrowserSession } from '../support/browser.js';
import { contractManager, executionIdOf, waitForStatus } from '../support/contract-manager-page.js';
import { createGate, type Gate } from '../support/gated-task.js';
import { greeterTask } from '../support/greeter-task.js';
import { shortId } from '../../src/web/components/format.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The backoff of Flaky's retry: long enough for the page to show the wait, short enough for a test. */
const retryDelayMs = 2_000;

/**
 * A task that fails while the test says so (`failures.left`), retried once after a fixed backoff;
 * with `hold` it waits at the gate instead, to fill its run slot and queue.
 */
function flakyTask(gate: Gate, failures: { left: number; count: number }) {
  return defineTask({
    name: 'Flaky',
    description: 'Fails while the test wants it to.',
    input: z.strictObject({ hold: z.boolean().default(false) }),
    limits: { maxConcurrentExecutions: 1, maxQueueLength: 1, timeoutMinutes: 1 },
    retry: { attempts: 2, backoff: 'fixed', delayMs: retryDelayMs },
    async run(ctx) {
      if (ctx.input.hold) {
        const released = gate.enter(ctx.executionId);
        try {
          return await new Promise((resolve, reject) => {
            released.then(resolve, reject);
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
          });
        } finally {
          gate.leave(ctx.executionId);
        }
      }
      if (failures.left > 0) {
        failures.left -= 1;
        throw new Error(`Flaky failure ${++failures.count}`);
      }
      return { ok: true };
    },
  });
}

/** Delayed starts from the Start a task form, and retries (the task's own, and the Retry button), in the tracker. */
describe('the Contract Manager page: scheduled and retried executions', () => {
  let gate: Gate;
  let failures: { left: number; count: number };
  let server: TestApp;
  let browser: BrowserSession;

  beforeEach(async () => {
    gate = createGate();
    failures = { left: 0, count: 0 };
    server = await startTestApp({ updatesCoalesceMs: 50 }, { contracts: false, extraTasks: () => [greeterTask(gate), flakyTask(gate, failures)] });
    browser = await openBrowser();
  });
  afterEach(async () => {
    expect(requestsOutside(browser.requests, server.url)).toEqual([]);
    await browser?.close();
    gate?.releaseAll();
    await server?.close();
  });

  it('starts a task later and with a priority from the form, shows it scheduled with its time, then follows it to COMPLETED', async () => {
    const ui = contractManager(browser.page);
    await ui.open(server.url, { contracts: false });
    await ui.taskPicker.selectOption('Greeter');
    const form = ui.inputForm('Greeter');
    await form.getByRole('textbox', { name: 'name' }).fill('Ada');
    await form.getByRole('spinbutton', { name: 'times' }).fill('2');
    // The options are labelled fields like the input's, with what they expect.
    const delay = form.getByRole('spinbutton', { name: 'Start in (seconds)' });
    const priority = form.getByRole('spinbutton', { name: 'Priority' });
    const status = form.getByRole('status');

    // A priority the server refuses is said beside its field, and nothing starts.
    await priority.fill('5000');
    await form.getByRole('button', { name: 'Start Greeter' }).click();
    await status.getByText('Not started. Invalid input for task Greeter: options.priority:', { exact: false }).waitFor({ timeout: 5_000 });
    expect(await priority.getAttribute('aria-invalid')).toBe('true');
    expect(await delay.getAttribute('aria-invalid')).toBeNull();
    expect(await ui.tracker.getByRole('listitem', { name: 'Greeter' }).count()).toBe(0);

    // Fixed, and started from the keyboard: Enter in the form submits it.
    await priority.fill('5');
    await delay.fill('3');
    const clickedAt = Date.now();
    await delay.press('Enter');
    await status.getByText(/^Started Greeter: execution \w{8} is scheduled for \d\d:\d\d:\d\d\.$/).waitFor({ timeout: 5_000 });
    const sentBy = Date.now();

    const item = ui.tracker.getByRole('listitem', { name: 'Greeter', exact: true }).first();
    await waitForStatus(item, 'scheduled', 5_000);
    const id = await executionIdOf(item);
    const waiting = item.locator('.waiting-for');
    await waiting.getByText(/^Scheduled for \d\d:\d\d:\d\d$/).waitFor({ timeout: 5_000 });
    // The time shown is when it starts: the delay after the start was sent.
    const runAt = Date.parse((await waiting.locator('time').getAttribute('datetime'))!);
    expect(runAt).toBeGreaterThanOrEqual(clickedAt + 3_000 - 50);
    expect(runAt).toBeLessThanOrEqual(sentBy + 3_000 + 50);
    await item.getByText(`Execution ${shortId(id)} · priority 5`).waitFor({ timeout: 5_000 });
    await ui.settingsOf('Greeter').getByText('0 running · 0 waiting · 1 scheduled').waitFor({ timeout: 5_000 });
    const { taskStatus: scheduled } = await server.request(TaskStatusDocument, { executionId: id });
    expect(scheduled?.status).toBe('SCHEDULED');

    // Its time comes: it runs (the Greeter waits at the gate), then completes once released.
    await waitForStatus(item, 'running', 10_000);
    expect(await waiting.count()).toBe(0);
    await item.getByText('Hello, Ada! (1 of 2)').waitFor({ timeout: 5_000 });
    gate.release(id);
    await waitForStatus(item, 'completed', 10_000);
    await item.getByText('Hello, Ada! (2 of 2)').waitFor({ timeout: 5_000 });
    const { taskStatus } = await server.request(TaskStatusDocument, { executionId: id });
    expect(taskStatus).toMatchObject({ status: 'COMPLETED', input: { name: 'Ada', times: 2, loud: false } });
  });

  it("shows a failed attempt's retry and its error, then retries the FAILED execution with its Retry button (said when refused)", async () => {
    failures.left = 2;
    const ui = contractManager(browser.page);
    await ui.open(server.url, { contracts: false });
    await ui.taskPicker.selectOption('Flaky');
    const form = ui.inputForm('Flaky');
    const start = form.getByRole('button', { name: 'Start Flaky' });
    await start.click();

    // The first attempt fails: it waits for its retry, with the time and the attempt's error.
    const item = ui.tracker.getByRole('listitem', { name: 'Flaky', exact: true }).first();
    const id = await executionIdOf(item);
    const failed = ui.execution(id);
    await waitForStatus(failed, 'scheduled', 5_000);
    await failed.locator('.waiting-for').getByText(/^Retry 2 of 2 at \d\d:\d\d:\d\d$/).waitFor({ timeout: 5_000 });
    await failed.getByText('Attempt 1 failed: Flaky failure 1', { exact: true }).waitFor({ timeout: 5_000 });

    // The second fails too, and that was the last: FAILED, with a Retry button.
    await waitForStatus(failed, 'failed', retryDelayMs + 10_000);
    await failed.getByText('Flaky failure 2', { exact: true }).waitFor({ timeout: 5_000 });
    await failed.getByText('After 2 failed attempts').waitFor({ timeout: 5_000 });
    const retry = failed.getByRole('button', { name: 'Retry Flaky' });

    // With its run slot and its queue place taken, the retry is refused, and the page says why.
    await form.getByRole('checkbox', { name: 'hold' }).check();
    await start.click();
    const holding = ui.tracker.locator('li.status-running', { hasText: 'Flaky' });
    await holding.waitFor({ timeout: 10_000 });
    const holdingId = await executionIdOf(holding);
    await start.click();
    const queued = ui.tracker.locator('li.status-queued', { hasText: 'Flaky' });
    await queued.getByText('Waiting: number 1 in the queue').waitFor({ timeout: 10_000 });
    await retry.click();
    const notice = failed.getByRole('status');
    await notice.getByText('Not retried. Queue full: task Flaky already has 1 execution(s) waiting').waitFor({ timeout: 5_000 });
    expect(await notice.getAttribute('aria-live')).toBe('polite');

    // A queue place again: retried, from the keyboard, as a new execution that names the one it retries.
    const queuedId = await executionIdOf(queued);
    await queued.getByRole('button', { name: 'Stop Flaky' }).click();
    await waitForStatus(ui.execution(queuedId), 'stopped', 10_000);
    await retry.focus();
    await browser.page.keyboard.press('Enter');
    const retried = ui.tracker.locator('li', { hasText: `Retry of execution ${shortId(id)}` });
    await retried.waitFor({ timeout: 5_000 });
    const retriedId = await executionIdOf(retried);
    await failed.getByText(`Retried as execution ${shortId(retriedId)}`).waitFor({ timeout: 5_000 });
    expect(await retry.count()).toBe(0);
    // The refusal is gone (and its empty region with it: hidden, so only found when asked for hidden ones).
    expect(await failed.getByRole('status', { includeHidden: true }).textContent({ timeout: 5_000 })).toBe('');

    // It waits behind the held run, then runs and completes.
    await waitForStatus(retried, 'queued', 5_000);
    gate.release(holdingId);
    await waitForStatus(retried, 'completed', 10_000);
    const { taskStatus } = await server.request(TaskStatusDocument, { executionId: retriedId });
    expect(taskStatus).toMatchObject({ status: 'COMPLETED', result: { ok: true } });
  });
});
