import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigureTaskDocument, ContractGroupDocument, TaskDocument, TaskStatusDocument } from '../generated/graphql.js';
import { openBrowser, requestsOutside, type BrowserSession } from '../support/browser.js';
import { contractManager, executionIdOf, waitForStatus } from '../support/contract-manager-page.js';
import { createGroup, demoGroup, madeUpClients } from '../support/contract-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Stop, Queue Full and the editable settings, as a user meets them on the page. */
describe('the Contract Manager page: stopping, limits and templates', () => {
  let server: TestApp;
  let browser: BrowserSession;

  beforeEach(async () => {
    server = await startTestApp({ updatesCoalesceMs: 50 });
    browser = await openBrowser();
  });
  afterEach(async () => {
    expect(requestsOutside(browser.requests, server.url)).toEqual([]);
    await browser?.close();
    await server?.close();
  });

  /**
   * A group large enough that its execution still runs long after the test has acted on it:
   * 1500 clients on the two-page Premium template. Tests stop it or leave it to the tear-down.
   */
  async function createLargeGroup(name = 'Large group'): Promise<string> {
    const premium = await demoGroup(server, 'Premium');
    return createGroup(server, { name, title: premium.template.title, body: premium.template.body, clients: madeUpClients(1500) });
  }

  async function configure(limits: { maxConcurrentExecutions?: number; maxQueueLength?: number }) {
    const { configureTask } = await server.request(ConfigureTaskDocument, { task: 'ContractCreator', ...limits });
    expect(configureTask.__typename).toBe('Task');
  }

  it('stops a running execution and shows it STOPPED', async () => {
    await createLargeGroup();
    const ui = contractManager(browser.page);
    await ui.open(server.url);

    await ui.startButton('Large group').click();
    const item = ui.executionsOf('Large group').first();
    await waitForStatus(item, 'running', 10_000);
    // Progress arrives while it runs: some contracts done, far from all.
    await item.locator('.percent', { hasText: /^[1-9]\d?%$/ }).waitFor({ timeout: 15_000 });
    const id = await executionIdOf(item);

    await ui.execution(id).getByRole('button', { name: 'Stop Large group' }).click();
    await waitForStatus(ui.execution(id), 'stopped', 10_000);
    await ui.execution(id).getByRole('button', { name: /^Stop/ }).waitFor({ state: 'detached', timeout: 5_000 });
    await browser.page.getByRole('status').getByText('Large group contracts: stopped').waitFor({ state: 'attached', timeout: 5_000 });

    const { taskStatus } = await server.request(TaskStatusDocument, { executionId: id });
    expect(taskStatus?.status).toBe('STOPPED');
    expect(taskStatus?.progress ?? 0).toBeLessThan(1);
  });

  it('shows why a start was refused: the third start of a task limited to one running and one waiting is Queue Full', async () => {
    await configure({ maxConcurrentExecutions: 1, maxQueueLength: 1 });
    await createLargeGroup();
    const ui = contractManager(browser.page);
    await ui.open(server.url);
    const executions = ui.executionsOf('Large group');

    await ui.startButton('Large group').click();
    await executions.nth(0).waitFor({ timeout: 10_000 });
    await ui.startButton('Large group').click();
    await executions.nth(1).waitFor({ timeout: 10_000 });
    await ui.tracker.getByText('Waiting: number 1 in the queue').waitFor({ timeout: 10_000 });
    await ui.startButton('Large group').click();

    const notice = ui.groupNotice('Large group');
    await notice.getByText('Not started. Queue full: task ContractCreator already has 1 execution(s) waiting').waitFor({ timeout: 10_000 });
    expect(await notice.getAttribute('aria-live')).toBe('polite');
    // The refused start left nothing behind: still one running and one waiting.
    expect(await executions.count()).toBe(2);
    const { task } = await server.request(TaskDocument, { name: 'ContractCreator' });
    expect(task).toMatchObject({ runningCount: 1, queuedCount: 1 });
  });

  it('changes a task limit with configureTask and shows a refused value with its reason', async () => {
    const ui = contractManager(browser.page);
    await ui.open(server.url);
    const settings = browser.page.getByRole('form', { name: 'ContractCreator' });
    const queueLength = settings.getByRole('spinbutton', { name: 'Max queue length' });

    await queueLength.fill('0');
    await settings.getByRole('button', { name: 'Save limits' }).click();
    // The server's reason, in the form's live region and beside the field it is about.
    await settings.getByRole('status').getByText('maxQueueLength: must be greater than 0 (got 0)', { exact: false }).waitFor({ timeout: 5_000 });
    expect(await queueLength.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await queueLength.getAttribute('aria-describedby'))!.split(' ');
    const fieldProblem = browser.page.locator(`[id="${describedBy.at(-1)}"]`);
    expect(await fieldProblem.textContent()).toBe('must be greater than 0 (got 0)');

    await queueLength.fill('3');
    await settings.getByRole('button', { name: 'Save limits' }).click();
    await settings.getByRole('status').getByText('Saved.', { exact: false }).waitFor({ timeout: 5_000 });
    const { task } = await server.request(TaskDocument, { name: 'ContractCreator' });
    expect(task?.maxQueueLength).toBe(3);
  });

  it('edits a group template with updateContractTemplate', async () => {
    const ui = contractManager(browser.page);
    await ui.open(server.url);
    const group = ui.group('Standard');

    await group.getByRole('button', { name: 'Edit the template of Standard' }).click();
    const editor = group.getByRole('form', { name: 'Template of Standard' });
    await editor.getByLabel('Title').fill('Standard Service Agreement 2026');
    await editor.getByLabel('Body').fill('Agreement with {{name}} at {{address}}, dated {{date}}.');
    await editor.getByRole('button', { name: 'Save template' }).click();
    await editor.getByText('Saved as version 2.').waitFor({ timeout: 5_000 });
    await group.locator('.template-title', { hasText: 'Standard Service Agreement 2026' }).waitFor({ timeout: 5_000 });

    const standard = await demoGroup(server, 'Standard');
    const { contractGroup } = await server.request(ContractGroupDocument, { id: standard.id });
    expect(contractGroup?.template).toMatchObject({
      title: 'Standard Service Agreement 2026',
      body: 'Agreement with {{name}} at {{address}}, dated {{date}}.',
      version: 2,
    });
  });
});
