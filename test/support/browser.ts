import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';

/** Debian's Chromium (test/support/ensure-test-tools.sh installs it); CHROMIUM_PATH overrides. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for Chromium on a machine without internet: without the networking ones it keeps trying
 * to reach update, sync and component servers it cannot.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Every request the page made (documents, scripts, styles, fetches, WebSockets, downloads). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile (its own --user-data-dir, removed on close) and one page
 * at 1280x800. Each test opens its own and closes it, so no cookie or cache leaks between tests.
 */
export async function openBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<BrowserSession> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'contract-manager-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      args: chromiumArgs,
      headless: true,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      acceptDownloads: true,
      timeout: 30_000,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const requests: string[] = [];
  const record = (request: Request) => requests.push(request.url());
  context.on('request', record);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('websocket', (socket) => requests.push(socket.url()));
  return {
    context,
    page,
    requests,
    async close() {
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The requests that left the server under test: anything not on its origin (data: and blob: aside). */
export function requestsOutside(requests: readonly string[], serverUrl: string): string[] {
  const origin = new URL(serverUrl);
  return requests.filter((url) => {
    const target = new URL(url);
    if (target.protocol === 'data:' || target.protocol === 'blob:') return false;
    return target.host !== origin.host;
  });
}
