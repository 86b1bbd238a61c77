/**
 * `npm run screenshot`: builds the page, starts the app on a free port, runs a small scenario in
 * headless Chromium (one batch finished, one running, one waiting) and saves the page as
 * src/web/contract-manager.png for the README.
 */
import { fileURLToPath } from 'node:url';
import { ConfigureTaskDocument } from '../generated/graphql.js';
import { openBrowser } from '../support/browser.js';
import { buildWebPage } from '../support/build-web.js';
import { createGroup, demoGroup, madeUpClients } from '../support/contract-fixtures.js';
import { startTestApp } from '../support/test-app.js';

const output = fileURLToPath(new URL('../../src/web/contract-manager.png', import.meta.url));

await buildWebPage();
const server = await startTestApp({ updatesCoalesceMs: 100 });
const browser = await openBrowser();
try {
  // One at a time, so the third start waits in the queue while the second runs.
  await server.request(ConfigureTaskDocument, { task: 'ContractCreator', maxConcurrentExecutions: 1 });
  const premium = await demoGroup(server, 'Premium');
  await createGroup(server, {
    name: 'Enterprise accounts',
    title: premium.template.title,
    body: premium.template.body,
    clients: madeUpClients(2500, 'Enterprise client'),
  });

  const { page } = browser;
  await page.goto(server.url);
  const group = (name: string) => page.getByRole('article', { name });
  const tracker = page.getByRole('complementary', { name: 'Task tracker' });

  await group('Standard').getByRole('button', { name: 'Start processing' }).click();
  await tracker.getByRole('listitem').filter({ hasText: 'Standard' }).filter({ hasText: '100%' }).waitFor({ timeout: 30_000 });

  await group('Enterprise accounts').getByRole('button', { name: 'Start processing' }).click();
  await group('Premium').getByRole('button', { name: 'Start processing' }).click();
  await tracker.getByText('Waiting: number 1 in the queue').waitFor({ timeout: 10_000 });
  // Wait until the running batch is well on its way, then take the picture.
  await tracker
    .getByRole('listitem')
    .filter({ hasText: 'Enterprise accounts' })
    .locator('.percent', { hasText: /^[3-7]\d%$/ })
    .waitFor({ timeout: 30_000 });
  await page.screenshot({ path: output });
  console.log(`saved ${output}`);
} finally {
  await browser.close();
  await server.close();
}
