import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, requestsOutside, type BrowserSession } from '../support/browser.js';
import { contractManager, waitForStatus } from '../support/contract-manager-page.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const phone = { width: 390, height: 844 };

/** The page on a phone: everything fits the width, nothing of the header is cut off. */
describe('the Contract Manager page on a 390 px wide screen', () => {
  let server: TestApp;
  let browser: BrowserSession;

  beforeEach(async () => {
    server = await startTestApp();
    browser = await openBrowser({ viewport: phone });
  });
  afterEach(async () => {
    await browser?.close();
    await server?.close();
  });

  it('scrolls no wider than the screen with contracts listed, and shows the whole header', async () => {
    const ui = contractManager(browser.page);
    await ui.open(server.url);
    // Contract data: a finished batch, its contracts in the table and in the execution filter.
    await ui.startButton('Standard').click();
    await waitForStatus(ui.executionsOf('Standard').first(), 'completed');
    await browser.page.getByText('25 contracts in total').waitFor({ timeout: 10_000 });
    await ui.contracts.locator('tbody tr').nth(24).waitFor({ timeout: 5_000 });
    await ui.settingsOf('ContractCreator').waitFor({ timeout: 5_000 });

    const widths = await browser.page.evaluate<{ scrollWidth: number; bodyScrollWidth: number }>(
      `(() => ({ scrollWidth: document.documentElement.scrollWidth, bodyScrollWidth: document.body.scrollWidth }))()`,
    );
    expect(widths.scrollWidth).toBeLessThanOrEqual(phone.width);
    expect(widths.bodyScrollWidth).toBeLessThanOrEqual(phone.width);

    // The header and everything in it lie inside the screen, and inside the header (not cut off by it).
    const header = browser.page.getByRole('banner');
    const headerBox = (await header.boundingBox())!;
    expect(headerBox.x).toBeGreaterThanOrEqual(0);
    expect(headerBox.y).toBeGreaterThanOrEqual(0);
    expect(headerBox.x + headerBox.width).toBeLessThanOrEqual(phone.width);
    for (const part of [
      header.getByRole('heading', { name: 'Contract Manager' }),
      header.getByText('Personalised PDF contracts, created in the background'),
      ui.connection,
      header.getByRole('link', { name: 'GraphiQL' }),
    ]) {
      const box = (await part.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(headerBox.x);
      expect(box.x + box.width).toBeLessThanOrEqual(headerBox.x + headerBox.width);
      expect(box.y).toBeGreaterThanOrEqual(headerBox.y);
      expect(box.y + box.height).toBeLessThanOrEqual(headerBox.y + headerBox.height);
    }
    const clipped = await browser.page.evaluate<boolean>(`(() => {
      const header = document.querySelector('header');
      return header.scrollHeight > header.clientHeight || header.scrollWidth > header.clientWidth;
    })()`);
    expect(clipped).toBe(false);
    expect(requestsOutside(browser.requests, server.url)).toEqual([]);
  });
});
