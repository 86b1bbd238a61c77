import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractsDocument, TaskStatusDocument } from '../generated/graphql.js';
import { openBrowser, requestsOutside, type BrowserSession } from '../support/browser.js';
import { contractManager, executionIdOf, waitForStatus } from '../support/contract-manager-page.js';
import { demoGroup } from '../support/contract-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('the Contract Manager page: processing a group', () => {
  let server: TestApp;
  let browser: BrowserSession;

  beforeEach(async () => {
    server = await startTestApp();
    browser = await openBrowser();
  });
  afterEach(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Clicks Start processing on a group and returns the tracker entry of the new execution. */
  async function start(ui: ReturnType<typeof contractManager>, groupName: string) {
    const before = await ui.executionsOf(groupName).count();
    await ui.startButton(groupName).click();
    await ui.executionsOf(groupName).nth(before).waitFor({ timeout: 10_000 });
    const id = await executionIdOf(ui.executionsOf(groupName).first());
    return { id, item: ui.execution(id) };
  }

  it('shows the groups, then a started batch live up to 100% and its contracts, loading nothing from elsewhere', async () => {
    const ui = contractManager(browser.page);
    await ui.open(server.url);
    const standard = await demoGroup(server, 'Standard');
    await ui.group('Standard').getByText(`${standard.clientCount} clients`).waitFor({ timeout: 5_000 });
    await ui.group('Standard').getByText(standard.template.title).waitFor({ timeout: 5_000 });

    const { id, item } = await start(ui, 'Standard');
    await waitForStatus(item, 'completed');
    await item.getByText('100%', { exact: true }).waitFor({ timeout: 5_000 });
    await item.getByText(`Created contract ${standard.clientCount} of ${standard.clientCount} for`).waitFor({ timeout: 5_000 });

    // The outbound list, filtered to this execution, holds one contract per client.
    await browser.page.getByLabel('Filter by execution').selectOption(id);
    await browser.page.getByText(`${standard.clientCount} contracts from the chosen execution`).waitFor({ timeout: 10_000 });
    const rows = ui.contracts.locator('tbody tr');
    await rows.nth(standard.clientCount - 1).waitFor({ timeout: 5_000 });
    expect(await rows.count()).toBe(standard.clientCount);
    const names = await rows.locator('td:first-child').allTextContents();
    expect(new Set(names)).toEqual(new Set(standard.clients.map((client) => client.name)));

    const { taskStatus } = await server.request(TaskStatusDocument, { executionId: id });
    expect(taskStatus).toMatchObject({ status: 'COMPLETED', progress: 1 });

    // Everything came from the server under test: the page, its script and style, the API.
    const origin = new URL(server.url).origin;
    expect(browser.requests).toEqual(expect.arrayContaining([`${origin}/`, `${origin}/graphql`]));
    expect(browser.requests.some((url) => /\/assets\/index-[\w-]+\.js$/.test(url))).toBe(true);
    expect(browser.requests.some((url) => url.startsWith(origin.replace(/^http/, 'ws')))).toBe(true);
    expect(requestsOutside(browser.requests, server.url)).toEqual([]);
  });

  it('downloads a contract as a PDF from its link', async () => {
    const ui = contractManager(browser.page);
    await ui.open(server.url);
    const premium = await demoGroup(server, 'Premium');
    const { item } = await start(ui, 'Premium');
    await waitForStatus(item, 'completed');
    // The list is read again shortly after the last contract: wait for it, so its first row is the newest.
    await browser.page.getByText(`${premium.clientCount} contracts in total`).waitFor({ timeout: 10_000 });

    const link = ui.contracts.getByRole('link', { name: /^Download/ }).first();
    await link.waitFor({ timeout: 10_000 });
    const [download] = await Promise.all([browser.page.waitForEvent('download', { timeout: 10_000 }), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // It is the contract the list says it is: the newest one.
    const { contracts } = await server.request(ContractsDocument, { first: 1 });
    expect(download.suggestedFilename()).toBe(contracts.edges[0]!.node.fileName);
    expect(bytes.byteLength).toBe(contracts.edges[0]!.node.sizeBytes);
    expect(requestsOutside(browser.requests, server.url)).toEqual([]);
  });

  it('reaches Start processing with Tab, shows where the focus is, and starts with Enter', async () => {
    const ui = contractManager(browser.page);
    await ui.open(server.url);
    const focused = () =>
      browser.page.evaluate<{ text: string; outline: string; group: string | null }>(`(() => {
        const element = document.activeElement;
        return {
          text: element ? element.textContent.trim() : '',
          outline: element ? getComputedStyle(element).outlineStyle : 'none',
          group: element && element.closest('article') ? element.closest('article').getAttribute('aria-labelledby') : null,
        };
      })()`);

    const standardNameId = await ui.group('Standard').getAttribute('aria-labelledby');
    let reached = false;
    for (let presses = 0; presses < 30 && !reached; presses++) {
      await browser.page.keyboard.press('Tab');
      const now = await focused();
      reached = now.text === 'Start processing' && now.group === standardNameId;
      if (reached) expect(now.outline).not.toBe('none');
    }
    expect(reached).toBe(true);

    await browser.page.keyboard.press('Enter');
    const item = ui.executionsOf('Standard').first();
    await item.waitFor({ timeout: 10_000 });
    await waitForStatus(item, 'completed');
    await ui.groupNotice('Standard').getByText('Started: 25 contracts to create.').waitFor({ timeout: 5_000 });
    expect(requestsOutside(browser.requests, server.url)).toEqual([]);
  });
});
