import { afterEach, describe, expect, it } from 'vitest';
import { openBrowser, requestsOutside, type BrowserSession } from '../support/browser.js';
import { contractManager, executionIdOf, waitForStatus } from '../support/contract-manager-page.js';
import { createGate } from '../support/gated-task.js';
import { greeterTask } from '../support/greeter-task.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Operations that name the contract example's types. */
const contractOperation = /\b(contractGroups?|contracts|updateContractTemplate)\b/;

describe('the Contract Manager page on a server without the contract example', () => {
  let server: TestApp | undefined;
  let browser: BrowserSession | undefined;
  afterEach(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the tracker, Start a task and the settings, no contract panel, and sends no contract operation', async () => {
    const gate = createGate();
    server = await startTestApp({}, { contracts: false, extraTasks: () => [greeterTask(gate)] });
    browser = await openBrowser();
    // Every operation the page sends, over HTTP and over the WebSocket.
    const operations: string[] = [];
    browser.page.on('request', (request) => {
      const body = request.postData();
      if (body && request.url().endsWith('/graphql')) operations.push(body);
    });
    browser.page.on('websocket', (socket) => socket.on('framesent', ({ payload }) => operations.push(String(payload))));

    const ui = contractManager(browser.page);
    await ui.open(server.url, { contracts: false });
    await browser.page.getByText('Background tasks, followed live').waitFor({ timeout: 5_000 });
    expect(await browser.page.getByRole('heading', { name: 'Contract groups' }).count()).toBe(0);
    expect(await browser.page.getByRole('heading', { name: 'Outbound contracts' }).count()).toBe(0);
    await ui.settingsOf('Greeter').getByRole('button', { name: 'Save limits' }).waitFor({ timeout: 5_000 });

    await ui.taskPicker.selectOption('Greeter');
    const form = ui.inputForm('Greeter');
    await form.getByRole('textbox', { name: 'name' }).fill('Ada');
    await form.getByRole('spinbutton', { name: 'times' }).fill('1');
    await form.getByRole('button', { name: 'Start Greeter' }).click();
    const item = ui.tracker.getByRole('listitem', { name: 'Greeter', exact: true }).first();
    await waitForStatus(item, 'running', 10_000);
    gate.release(await executionIdOf(item));
    await waitForStatus(item, 'completed', 10_000);

    expect(operations.length).toBeGreaterThan(0);
    expect(operations.filter((operation) => contractOperation.test(operation))).toEqual([]);
    expect(requestsOutside(browser.requests, server.url)).toEqual([]);
  });
});
