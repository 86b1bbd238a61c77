import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaskDocument, TaskStatusDocument } from '../generated/graphql.js';
import { openBrowser, requestsOutside, type BrowserSession } from '../support/browser.js';
import { contractManager, executionIdOf, waitForStatus } from '../support/contract-manager-page.js';
import { createGate, type Gate } from '../support/gated-task.js';
import { greeterTask } from '../support/greeter-task.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** A task that is not the contract example's, started from the Start a task form and followed in the tracker. */
describe('the Contract Manager page: any registered task', () => {
  let gate: Gate;
  let server: TestApp;
  let browser: BrowserSession;

  beforeEach(async () => {
    gate = createGate();
    server = await startTestApp({ updatesCoalesceMs: 50 }, { extraTasks: () => [greeterTask(gate)] });
    browser = await openBrowser();
  });
  afterEach(async () => {
    expect(requestsOutside(browser.requests, server.url)).toEqual([]);
    await browser?.close();
    gate?.releaseAll();
    await server?.close();
  });

  it('starts a task from a form made from its input schema, shows a refused value beside its field, and follows the run to COMPLETED', async () => {
    const ui = contractManager(browser.page);
    await ui.open(server.url);
    await ui.taskPicker.selectOption('Greeter');
    const form = ui.inputForm('Greeter');
    await ui.startPanel.getByText('Greets someone a few times.').waitFor({ timeout: 5_000 });
    // One field per property of the schema, each labelled, with what it expects.
    const name = form.getByRole('textbox', { name: 'name' });
    const times = form.getByRole('spinbutton', { name: 'times' });
    const loud = form.getByRole('checkbox', { name: 'loud' });
    await name.fill('Ada');
    await times.fill('9');
    await form.getByRole('button', { name: 'Start Greeter' }).click();

    // The server's refusal, in the form's live region and beside the field it is about.
    const status = form.getByRole('status');
    await status.getByText('Not started. Invalid input for task Greeter: times:', { exact: false }).waitFor({ timeout: 5_000 });
    expect(await status.getAttribute('aria-live')).toBe('polite');
    expect(await times.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await times.getAttribute('aria-describedby'))!.split(' ');
    expect(await browser.page.locator(`[id="${describedBy.at(-1)}"]`).textContent()).toBe('Too big: expected number to be <=5');
    expect(await name.getAttribute('aria-invalid')).toBeNull();
    expect(await ui.tracker.getByRole('listitem', { name: 'Greeter' }).count()).toBe(0);

    // Fixed, and started from the keyboard: Tab from the checkbox to the button, which shows the focus, and Enter.
    await times.fill('3');
    await loud.check();
    await browser.page.keyboard.press('Tab');
    const focused = await browser.page.evaluate<{ text: string; outline: string }>(
      `(() => ({ text: document.activeElement.textContent.trim(), outline: getComputedStyle(document.activeElement).outlineStyle }))()`,
    );
    expect(focused).toEqual({ text: 'Start Greeter', outline: 'solid' });
    await browser.page.keyboard.press('Enter');
    await status.getByText(/^Started Greeter: execution \w{8} is /).waitFor({ timeout: 5_000 });

    // The tracker follows it like any contract batch: running, its progress and latest feedback, a Stop button.
    const item = ui.tracker.getByRole('listitem', { name: 'Greeter', exact: true }).first();
    await waitForStatus(item, 'running', 10_000);
    const id = await executionIdOf(item);
    await item.getByText('HELLO, ADA! (1 of 3)').waitFor({ timeout: 5_000 });
    await item.getByText('33%', { exact: true }).waitFor({ timeout: 5_000 });
    await item.getByRole('button', { name: 'Stop Greeter' }).waitFor({ timeout: 5_000 });
    expect(await ui.settingsOf('Greeter').getByText('1 running · 0 waiting').count()).toBe(1);

    gate.release(id);
    await waitForStatus(item, 'completed', 10_000);
    await item.getByText('100%', { exact: true }).waitFor({ timeout: 5_000 });
    await item.getByText('HELLO, ADA! (3 of 3)').waitFor({ timeout: 5_000 });
    const { taskStatus } = await server.request(TaskStatusDocument, { executionId: id });
    expect(taskStatus).toMatchObject({ status: 'COMPLETED', input: { name: 'Ada', times: 3, loud: true } });
  });

  it('shows a second execution of the task waiting in the queue, and stops it', async () => {
    const ui = contractManager(browser.page);
    await ui.open(server.url);
    await ui.taskPicker.selectOption('Greeter');
    const form = ui.inputForm('Greeter');
    await form.getByRole('textbox', { name: 'name' }).fill('Grace');
    await form.getByRole('spinbutton', { name: 'times' }).fill('2');
    const start = form.getByRole('button', { name: 'Start Greeter' });
    const items = ui.tracker.getByRole('listitem', { name: 'Greeter', exact: true });
    await start.click();
    await waitForStatus(items.first(), 'running', 10_000);
    // Greeter runs one at a time: the second start waits.
    await start.click();
    await ui.tracker.getByText('Waiting: number 1 in the queue').waitFor({ timeout: 10_000 });
    const waiting = ui.tracker.locator('li.status-queued');
    const waitingId = await executionIdOf(waiting);
    await waiting.getByRole('button', { name: 'Stop Greeter' }).click();
    await waitForStatus(ui.execution(waitingId), 'stopped', 10_000);
    const { taskStatus } = await server.request(TaskStatusDocument, { executionId: waitingId });
    expect(taskStatus?.status).toBe('STOPPED');
  });

  it("changes the task's limits in its settings, and shows a refused value with its reason", async () => {
    const ui = contractManager(browser.page);
    await ui.open(server.url);
    const settings = ui.settingsOf('Greeter');
    await settings.getByText('Greets someone a few times.').waitFor({ timeout: 5_000 });
    const concurrency = settings.getByRole('spinbutton', { name: 'Max concurrent executions' });
    const queueLength = settings.getByRole('spinbutton', { name: 'Max queue length' });

    await concurrency.fill('0');
    await settings.getByRole('button', { name: 'Save limits' }).click();
    await settings.getByRole('status').getByText('maxConcurrentExecutions:', { exact: false }).waitFor({ timeout: 5_000 });
    expect(await concurrency.getAttribute('aria-invalid')).toBe('true');

    await concurrency.fill('2');
    await queueLength.fill('4');
    await settings.getByRole('button', { name: 'Save limits' }).click();
    await settings.getByRole('status').getByText('Saved.', { exact: false }).waitFor({ timeout: 5_000 });
    const task = await waitFor(async () => {
      const { task: current } = await server.request(TaskDocument, { name: 'Greeter' });
      return current?.maxQueueLength === 4 && current;
    }, { what: 'the new limits on the server' });
    expect(task).toMatchObject({ maxConcurrentExecutions: 2, maxQueueLength: 4 });
  });
});
