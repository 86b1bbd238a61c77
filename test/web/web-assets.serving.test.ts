import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWebAsset } from '../../src/server/web-assets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A raw GET: unlike fetch, it sends the path exactly as written (no `..` folding). */
function rawGet(baseUrl: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(`${baseUrl}/`, { method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serving the built page (src/server/web-assets.ts)', () => {
  let root: string;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    // A made-up build next to a secret that must stay out of reach.
    const base = await mkdtemp(join(tmpdir(), 'web-assets-'));
    root = join(base, 'web');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(base, 'secret.json'), '{"secret":true}');
    await writeFile(join(root, 'index.html'), '<!doctype html><title>page</title>');
    await writeFile(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(root, 'assets', 'index-abc123.css'), 'body{}');
    await writeFile(join(root, 'assets', 'logo-abc123.svg'), '<svg/>');
    await writeFile(join(root, '.env'), 'TOKEN=1');
    server = createServer((req, res) => {
      serveWebAsset(req, res, root).then((handled) => {
        if (!handled) res.writeHead(404).end('not here');
      }, (error: unknown) => res.writeHead(500).end(String(error)));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await rm(join(root, '..'), { recursive: true, force: true });
  });

  it('serves index.html at / with a strict content security policy, revalidated on every load', async () => {
    const response = await rawGet(url, '/');
    expect(response.status).toBe(200);
    expect(response.body).toContain('<title>page</title>');
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("connect-src 'self'");

    const again = await rawGet(url, '/', { 'if-none-match': String(response.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const head = await rawGet(url, '/index.html', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('<!doctype html><title>page</title>'.length));
  });

  it('serves hashed assets with their content type, cached for a year', async () => {
    const cases = [
      ['/assets/index-abc123.js', 'text/javascript; charset=utf-8'],
      ['/assets/index-abc123.css', 'text/css; charset=utf-8'],
      ['/assets/logo-abc123.svg', 'image/svg+xml'],
    ] as const;
    for (const [path, type] of cases) {
      const response = await rawGet(url, path);
      expect(response.status, path).toBe(200);
      expect(response.headers['content-type'], path).toBe(type);
      expect(response.headers['cache-control'], path).toBe('public, max-age=31536000, immutable');
    }
  });

  it('never serves a file outside the web root, a dot-file, or an unknown kind of file', async () => {
    const attempts = [
      '/../secret.json',
      '/assets/../../secret.json',
      '/%2e%2e/secret.json',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.json',
      '/assets/..%5c..%5csecret.json',
      '/..%2fsecret.json',
      '//etc/passwd',
      '/.env',
      '/assets/index-abc123.js%00.html',
      '/%E0%A4%A',
      '/assets/',
      '/missing.js',
    ];
    for (const path of attempts) {
      const response = await rawGet(url, path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).toBe('not here');
    }
    expect((await rawGet(url, '/assets/index-abc123.js', {}, 'POST')).status).toBe(404);
  });

  it('says how to build the page when it has not been built', async () => {
    const unbuilt = createServer((req, res) => void serveWebAsset(req, res, join(root, 'nothing-here')));
    unbuilt.listen(0, '127.0.0.1');
    await once(unbuilt, 'listening');
    try {
      const response = await rawGet(`http://127.0.0.1:${(unbuilt.address() as AddressInfo).port}`, '/');
      expect(response.status).toBe(503);
      expect(response.body).toContain('npm run build:web');
    } finally {
      unbuilt.close();
    }
  });
});

describe('the page beside the API on the real server', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves the Contract Manager at / and leaves /graphql, GraphiQL and /health as they were', async () => {
    const page = await fetch(`${app.url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Contract Manager');
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const bundle = await fetch(`${app.url}${script}`);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');

    const graphiql = await fetch(app.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(await graphiql.text()).toContain('GraphiQL');
    const api = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ tasks { name } }' }),
    });
    expect(((await api.json()) as { data: { tasks: Array<{ name: string }> } }).data.tasks).toContainEqual({ name: 'ContractCreator' });
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  });
});
