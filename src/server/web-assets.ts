import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

/**
 * Where `npm run build:web` puts the Contract Manager page: dist/web. Compiled, this file is
 * dist/server/web-assets.js, beside it; under tsx or vitest it is src/server/web-assets.ts.
 */
export const defaultWebRoot = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../dist/web/' : '../web/', import.meta.url));

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page may load and connect to its own origin only: no CDN, no inline script. 'self' in
 * connect-src covers the same-origin WebSocket (ws: and wss:) in current browsers.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built web page: `/` is index.html, other files by their path under the web root.
 * Returns false for anything that is not a file there (the request then goes on to GraphQL),
 * including every path with `..`, `.` or dot-file segments, backslashes or NUL bytes.
 *
 * Vite names everything under /assets/ by its content hash, so those are cached for a year;
 * index.html is revalidated on every load (ETag), so a new build is picked up at once.
 */
export async function serveWebAsset(req: IncomingMessage, res: ServerResponse, root = defaultWebRoot): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const rawPath = (req.url ?? '/').split('?')[0]!;
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return false;
  }
  if (path === '/') path = '/index.html';
  const segments = path.split('/').slice(1);
  if (path.includes('\\') || path.includes('\0') || segments.some((segment) => segment === '' || segment.startsWith('.'))) return false;
  const contentType = contentTypes[extname(path).toLowerCase()];
  if (!contentType) return false;

  const base = resolve(root);
  const file = resolve(base, ...segments);
  if (!file.startsWith(base + sep)) return false;
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    if (path !== '/index.html') return false;
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end('The web page has not been built yet: run `npm run build:web` (or `npm start`, which builds everything).\n');
    return true;
  }

  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'cache-control': segments[0] === 'assets' ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag,
    'x-content-type-options': 'nosniff',
  };
  if (contentType.startsWith('text/html')) {
    headers['content-security-policy'] = contentSecurityPolicy;
    headers['referrer-policy'] = 'same-origin';
  }
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers).end();
    return true;
  }
  headers['content-length'] = info.size;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  // A client that goes away mid-file is not a server error: just let the response go.
  await pipeline(createReadStream(file), res).catch(() => res.destroy());
  return true;
}
