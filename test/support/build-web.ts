import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/**
 * Builds the Contract Manager page into dist/web with the project's own vite config, as
 * `npm run build:web` does; the server under test serves it from there.
 */
export async function buildWebPage(): Promise<void> {
  await build({ configFile: fileURLToPath(new URL('../../src/web/vite.config.ts', import.meta.url)), logLevel: 'warn' });
}

/** vitest globalSetup: one build before any test file runs, so the browser tests see the current page. */
export default async function setup(): Promise<void> {
  await buildWebPage();
}
