import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaskStatusDocument } from '../generated/graphql.js';
import { openBrowser, requestsOutside, type BrowserSession } from '../support/browser.js';
import { contractManager, executionIdOf, waitForStatus } from '../support/contract-manager-page.js';
import { createGroup, demoGroup, madeUpClients } from '../support/contract-fixtures.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** A graphql-ws `subscribe` message the page sent. */
interface SentSubscribe {
  socket: number;
  query: string;
  variables: Record<string, unknown>;
}

describe('the Contract Manager page across a dropped connection', () => {
  let server: TestApp;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let browser: BrowserSession;

  beforeEach(async () => {
    server = await startTestApp({ updatesCoalesceMs: 50 });
    const { hostname, port } = new URL(server.url);
    proxy = await startTcpProxy({ host: hostname, port: Number(port) });
    browser = await openBrowser();
  });
  afterEach(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.close();
  });

  // A real run of a few seconds on a machine shared with the other test files: a minute at most.
  it('reconnects, resumes the feedback stream after the last event it saw, and catches up to the end', { timeout: 60_000 }, async () => {
    const premium = await demoGroup(server, 'Premium');
    // Long enough to be cut off mid-run (a few seconds), short enough to finish while cut off.
    const clientCount = 600;
    await createGroup(server, { name: 'Large group', title: premium.template.title, body: premium.template.body, clients: madeUpClients(clientCount) });

    // Every subscribe message, and on which WebSocket (the page's first, second, ...) it went.
    const sent: SentSubscribe[] = [];
    let sockets = 0;
    browser.page.on('websocket', (socket) => {
      const socketNumber = ++sockets;
      socket.on('framesent', ({ payload }) => {
        const message = JSON.parse(String(payload)) as { type: string; payload?: { query: string; variables?: Record<string, unknown> } };
        if (message.type === 'subscribe' && message.payload) {
          sent.push({ socket: socketNumber, query: message.payload.query, variables: message.payload.variables ?? {} });
        }
      });
    });

    // The browser reaches the server only through the proxy, so cutting the proxy drops it.
    const ui = contractManager(browser.page);
    await ui.open(proxy.url);
    await ui.startButton('Large group').click();
    const item = ui.executionsOf('Large group').first();
    await item.locator('.percent', { hasText: /^[1-9]\d?%$/ }).waitFor({ timeout: 15_000 });
    const id = await executionIdOf(item);

    proxy.cut();
    await ui.connection.getByText('Reconnecting…').waitFor({ timeout: 10_000 });
    const atCut = await server.request(TaskStatusDocument, { executionId: id });
    expect(atCut.taskStatus?.status).toBe('RUNNING');
    // While the page is cut off, the execution goes on to its end on the server.
    await waitFor(async () => (await server.request(TaskStatusDocument, { executionId: id })).taskStatus?.status === 'COMPLETED', {
      timeoutMs: 30_000,
      what: 'the execution to complete on the server while the page is offline',
    });
    const missed = (await server.request(TaskStatusDocument, { executionId: id })).taskStatus!.lastSequence;

    proxy.restore();
    await ui.connection.getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
    await waitForStatus(ui.execution(id), 'completed', 15_000);
    await ui.execution(id).getByText('100%', { exact: true }).waitFor({ timeout: 5_000 });
    await ui.execution(id).getByText(`Created contract ${clientCount} of ${clientCount} for`).waitFor({ timeout: 10_000 });
    // The outbound list caught up as well: it has every contract of the run.
    await browser.page.getByText(/^600 contracts in total/).waitFor({ timeout: 10_000 });

    // The feedback stream was opened again on the new socket, asking only for what it had not seen.
    const feedbackSubscribes = sent.filter((message) => message.query.includes('taskFeedback') && message.variables.executionId === id);
    const first = feedbackSubscribes.find((message) => message.socket === 1);
    const resumed = feedbackSubscribes.find((message) => message.socket > 1);
    expect(first).toBeDefined();
    expect(resumed).toBeDefined();
    const resumedAfter = resumed!.variables.afterSequence as number;
    expect(resumedAfter).toBeGreaterThan(0);
    expect(resumedAfter).toBeLessThan(missed);
    // The tracker feed was subscribed again too.
    expect(sent.some((message) => message.socket > 1 && message.query.includes('taskExecutionUpdates'))).toBe(true);

    expect(requestsOutside(browser.requests, proxy.url)).toEqual([]);
  });
});
