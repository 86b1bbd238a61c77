import { readFile } from 'node:fs/promises';
import type { Request } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseApiTokens } from '../../src/auth/api-tokens.js';
import { ContractsDocument, TaskDocument } from '../generated/graphql.js';
import { openBrowser, requestsOutside, type BrowserSession } from '../support/browser.js';
import { contractManager, executionIdOf, waitForStatus } from '../support/contract-manager-page.js';
import { demoGroup } from '../support/contract-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const aliceToken = 'alice-user-token-0123456789';
const opsToken = 'ops-admin-token-0123456789';
const tokenKey = 'contract-manager.api-token';

/** The page against a server with API tokens: alice has a user token, ops an admin one. */
describe('the Contract Manager page: signing in with an API token', () => {
  let server: TestApp;
  let browser: BrowserSession;
  /** The Authorization header of every request the page sent to the API and the download route. */
  let sentAuthorization: Array<{ url: string; authorization: string | undefined }>;
  /** The connectionParams of every graphql-ws connection the page opened, in order. */
  let socketParams: Array<Record<string, unknown>>;
  let consoleErrors: string[];

  beforeEach(async () => {
    server = await startTestApp({ apiTokens: parseApiTokens({ API_TOKENS: `alice:user:${aliceToken},ops:admin:${opsToken}` }) });
    browser = await openBrowser();
    sentAuthorization = [];
    socketParams = [];
    consoleErrors = [];
    browser.page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    browser.page.on('websocket', (socket) => {
      socket.on('framesent', ({ payload }) => {
        const message = JSON.parse(String(payload)) as { type: string; payload?: Record<string, unknown> };
        if (message.type === 'connection_init') socketParams.push(message.payload ?? {});
      });
    });
    browser.page.on('request', (request: Request) => {
      if (/\/(graphql|contracts\/)/.test(request.url())) sentAuthorization.push({ url: request.url(), authorization: request.headers().authorization });
    });
  });
  afterEach(async () => {
    expect(requestsOutside(browser.requests, server.url)).toEqual([]);
    await browser?.close();
    await server?.close();
  });

  /** Called as ops (admin): the test's own view of the server. */
  const asOps = () => ({ ...server, ...server.as(opsToken) });
  const storedTokens = () =>
    browser.page.evaluate<{ session: string | null; local: string | null }, string>(
      (key) => ({ session: sessionStorage.getItem(key), local: localStorage.getItem(key) }),
      tokenKey,
    );

  it('asks for a token, refuses a wrong one, and with a good one shows the page, a batch to 100%, its contracts and a PDF; Sign out asks again', async () => {
    const ui = contractManager(browser.page);
    await browser.page.goto(server.url);

    // The server answered 401: the page asks for a token, explains where it comes from, and shows nothing else.
    await ui.signInForm.waitFor({ timeout: 10_000 });
    expect(await ui.tokenField.getAttribute('type')).toBe('password');
    await browser.page.getByText('Your token comes from the server operator.', { exact: false }).waitFor({ timeout: 5_000 });
    await ui.signInForm.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 5_000 });
    expect(await ui.group('Standard').count()).toBe(0);
    expect(await ui.signOutButton.count()).toBe(0);
    // The field has the focus: the token can be pasted at once.
    expect(await ui.tokenField.evaluate((field) => field === document.activeElement)).toBe(true);

    // A wrong token: refused, said so, the form stays, nothing is kept.
    await ui.signIn('not-a-token-anyone-has-0123');
    await ui.signInForm.getByRole('alert').getByText('That token was not accepted', { exact: false }).waitFor({ timeout: 10_000 });
    expect(await ui.tokenField.getAttribute('aria-invalid')).toBe('true');
    expect(await ui.signInForm.isVisible()).toBe(true);
    // What was typed stays, to fix a typo in it.
    expect(await ui.tokenField.inputValue()).toBe('not-a-token-anyone-has-0123');
    expect(await storedTokens()).toEqual({ session: null, local: null });

    // alice's token: the page loads, live, and keeps the token for this tab only.
    await ui.tokenField.fill(aliceToken);
    await ui.signInForm.getByRole('button', { name: 'Sign in' }).click();
    await ui.group('Standard').waitFor({ timeout: 10_000 });
    await ui.connection.getByText('Live', { exact: true }).waitFor({ timeout: 10_000 });
    await ui.signOutButton.waitFor({ timeout: 5_000 });
    expect(await ui.signInForm.count()).toBe(0);
    // The keyboard focus moved from the form that is gone to the page.
    expect(await browser.page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(await storedTokens()).toEqual({ session: aliceToken, local: null });
    // The live connection that is up sent the token; the refused ones were not tried again and again.
    expect(socketParams.at(-1)).toEqual({ authorization: `Bearer ${aliceToken}` });
    expect(socketParams.length).toBeLessThanOrEqual(3);

    // Starting Standard shows progress up to 100% and the contracts it made.
    const standard = await demoGroup(asOps(), 'Standard');
    await ui.startButton('Standard').click();
    const item = ui.executionsOf('Standard').first();
    await item.waitFor({ timeout: 10_000 });
    const id = await executionIdOf(item);
    await waitForStatus(ui.execution(id), 'completed');
    await ui.execution(id).getByText('100%', { exact: true }).waitFor({ timeout: 5_000 });
    await browser.page.getByLabel('Filter by execution').selectOption(id);
    await browser.page.getByText(`${standard.clientCount} contracts from the chosen execution`).waitFor({ timeout: 10_000 });
    await ui.contracts.locator('tbody tr').nth(standard.clientCount - 1).waitFor({ timeout: 5_000 });

    // A download sends the token (a plain link could not) and saves the PDF under its name.
    const link = ui.contracts.getByRole('link', { name: /^Download/ }).first();
    const [download] = await Promise.all([browser.page.waitForEvent('download', { timeout: 10_000 }), link.click()]);
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { contracts } = await server.as(aliceToken).request(ContractsDocument, { first: 1 });
    expect(download.suggestedFilename()).toBe(contracts.edges[0]!.node.fileName);
    expect(bytes.byteLength).toBe(contracts.edges[0]!.node.sizeBytes);
    const downloadRequest = sentAuthorization.find((sent) => sent.url.includes('/contracts/'));
    expect(downloadRequest?.authorization).toBe(`Bearer ${aliceToken}`);
    // Every API request after signing in carried the token.
    const afterSignIn = sentAuthorization.slice(sentAuthorization.findIndex((sent) => sent.authorization === `Bearer ${aliceToken}`));
    expect(afterSignIn.filter((sent) => sent.authorization !== `Bearer ${aliceToken}`)).toEqual([]);

    // The keyboard reaches the download link too: Enter on it downloads.
    await link.focus();
    const [again] = await Promise.all([browser.page.waitForEvent('download', { timeout: 10_000 }), browser.page.keyboard.press('Enter')]);
    expect(again.suggestedFilename()).toMatch(/\.pdf$/);

    // A reload keeps the tab signed in.
    await browser.page.reload();
    await ui.group('Standard').waitFor({ timeout: 10_000 });
    await ui.signOutButton.waitFor({ timeout: 5_000 });

    // Sign out: the token is forgotten and the form is back, with nothing of alice's left on the page.
    await ui.signOutButton.click();
    await ui.signInForm.waitFor({ timeout: 5_000 });
    expect(await ui.group('Standard').count()).toBe(0);
    expect(await ui.tracker.count()).toBe(0);
    expect(await ui.signOutButton.count()).toBe(0);
    expect(await storedTokens()).toEqual({ session: null, local: null });
    await ui.connection.getByText('Not signed in', { exact: true }).waitFor({ timeout: 5_000 });
    // A refused live connection is a sign-in matter, not an error of the page.
    expect(consoleErrors.filter((text) => !text.includes('401'))).toEqual([]);
  });

  it('tells a user token that it may not change task settings or templates, where it tried', async () => {
    const ui = contractManager(browser.page);
    await ui.openSignedIn(server.url, aliceToken);

    const settings = browser.page.getByRole('form', { name: 'ContractCreator' });
    await settings.getByRole('spinbutton', { name: 'Max queue length' }).fill('3');
    await settings.getByRole('button', { name: 'Save limits' }).click();
    await settings.getByRole('status').getByText('Not allowed. Only an admin token may configure tasks.').waitFor({ timeout: 5_000 });

    const group = ui.group('Standard');
    await group.getByRole('button', { name: 'Edit the template of Standard' }).click();
    const editor = group.getByRole('form', { name: 'Template of Standard' });
    await editor.getByLabel('Title').fill('Changed by alice');
    await editor.getByRole('button', { name: 'Save template' }).click();
    await editor.getByRole('status').getByText('Not allowed. Only an admin token may change contract templates.').waitFor({ timeout: 5_000 });

    // Nothing changed on the server; the page still works for what alice may do.
    const { task } = await server.as(opsToken).request(TaskDocument, { name: 'ContractCreator' });
    expect(task?.maxQueueLength).not.toBe(3);
    expect((await demoGroup(asOps(), 'Standard')).template.title).not.toBe('Changed by alice');
    expect(await ui.signOutButton.isVisible()).toBe(true);
  });

  it('shows the admin everything it may do: its saves go through', async () => {
    const ui = contractManager(browser.page);
    await ui.openSignedIn(server.url, opsToken);
    const settings = browser.page.getByRole('form', { name: 'ContractCreator' });
    await settings.getByRole('spinbutton', { name: 'Max queue length' }).fill('7');
    await settings.getByRole('button', { name: 'Save limits' }).click();
    await settings.getByRole('status').getByText('Saved.', { exact: false }).waitFor({ timeout: 5_000 });
    const { task } = await server.as(opsToken).request(TaskDocument, { name: 'ContractCreator' });
    expect(task?.maxQueueLength).toBe(7);
  });
});

describe('the Contract Manager page on a server without tokens', () => {
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

  it('shows no sign-in form and no Sign out, and downloads with a plain link', async () => {
    const ui = contractManager(browser.page);
    await ui.open(server.url);
    expect(await ui.signInForm.count()).toBe(0);
    expect(await ui.signOutButton.count()).toBe(0);
    const premium = await demoGroup(server, 'Premium');
    await ui.startButton('Premium').click();
    await waitForStatus(ui.executionsOf('Premium').first(), 'completed');
    // The list is read again shortly after the last contract: wait for it, so its rows stop moving.
    await browser.page.getByText(`${premium.clientCount} contracts in total`).waitFor({ timeout: 10_000 });
    const link = ui.contracts.getByRole('link', { name: /^Download/ }).first();
    await link.waitFor({ timeout: 10_000 });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/contracts\/.+\.pdf$/);
    const [download] = await Promise.all([browser.page.waitForEvent('download', { timeout: 10_000 }), link.click()]);
    expect(download.url()).toBe(new URL(href!, server.url).href);
    expect((await readFile(await download.path())).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await ui.signInForm.count()).toBe(0);
    expect(requestsOutside(browser.requests, server.url)).toEqual([]);
  });
});
