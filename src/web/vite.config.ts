import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds the Contract Manager page into dist/web, which the server serves at `/`
 * (src/server/web-assets.ts). `npm run build:web` runs it; `npm run dev:web` serves the page with hot
 * reload and forwards the API to a server started with `npm run dev` on port 4000.
 */
export const webRoot = fileURLToPath(new URL('.', import.meta.url));
export const webOutDir = fileURLToPath(new URL('../../dist/web', import.meta.url));
const apiTarget = process.env.API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: webRoot,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: webOutDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Every asset is a file of its own: the page's Content-Security-Policy allows no data: scripts.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/graphql': { target: apiTarget, ws: true },
      '/contracts': apiTarget,
    },
  },
});
