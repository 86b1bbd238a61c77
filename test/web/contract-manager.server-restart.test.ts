import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StartTaskDocument } from '../generated/graphql.js';
import { openBrowser, requestsOutside, type BrowserSession } from '../support/browser.js';
import { contractManager, executionIdOf, waitForStatus } from '../support/contract-manager-page.js';
import { createGate, type Gate } from '../support/gated-task.js';
import { greeterTask } from '../support/greeter-task.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('the Contract Manager page across a server restart on the embedded store', () => {
  let gate: Gate;
  let first: TestApp | undefined;
  let second: TestApp | undefined;
  let browser: BrowserSession;

  /** Port 0 picks a free port; the second server takes the first one's, as a restarted server does. */
  const startServer = (port = 0) => startTestApp({ port, updatesCoalesceMs: 50 }, { extraTasks: () => [greeterTask(gate)] });

  beforeEach(async () => {
    gate = createGate();
    first = await startServer();
    browser = await openBrowser();
  });
  afterEach(async () => {
    await browser?.close();
    gate?.releaseAll();
    await first?.close();
    await second?.close();
  });

  it('reconnects to the new server and shows none of the executions that went with the old one', { timeout: 60_000 }, async () => {
    const url = first!.url;
    const ui = contractManager(browser.page);
    await ui.open(url);

    // On the first server: a finished contract batch, and a Greeter still running.
    await ui.startButton('Standard').click();
    const batch = ui.executionsOf('Standard').first();
    await waitForStatus(batch, 'completed');
    const batchId = await executionIdOf(batch);
    const { startTask } = await first!.request(StartTaskDocument, { task: 'Greeter', input: { name: 'Ada', times: 2 } });
    if (startTask.__typename !== 'TaskQueued') throw new Error(`startTask answered ${JSON.stringify(startTask)}`);
    const greeterId = startTask.execution.id;
    await waitForStatus(ui.execution(greeterId), 'running', 10_000);
    await browser.page.getByText('25 contracts in total').waitFor({ timeout: 10_000 });

    // The server stops, and its data with it; the page waits for it to come back.
    await first!.close();
    first = undefined;
    await ui.connection.getByText('Reconnecting…').waitFor({ timeout: 10_000 });

    // A new server on the same port, with nothing of the old one's executions.
    second = await startServer(Number(new URL(url).port));
    expect(second.url).toBe(url);
    await ui.connection.getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
    await ui.execution(batchId).waitFor({ state: 'detached', timeout: 10_000 });
    await ui.execution(greeterId).waitFor({ state: 'detached', timeout: 10_000 });
    await browser.page.getByText('No contracts yet.', { exact: false }).waitFor({ timeout: 10_000 });
    expect(await ui.tracker.getByRole('listitem').count()).toBe(0);
    // Nothing the page could not load is left standing: everything was read again.
    expect(await browser.page.locator('.problem').count()).toBe(0);

    // And it is live on the new one: a start there shows up as on any server.
    await ui.startButton('Standard').click();
    const next = ui.executionsOf('Standard').first();
    await waitForStatus(next, 'completed');
    expect(await executionIdOf(next)).not.toBe(batchId);
    await browser.page.getByText('25 contracts in total').waitFor({ timeout: 10_000 });
    expect(requestsOutside(browser.requests, url)).toEqual([]);
  });
});
