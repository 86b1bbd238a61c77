import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every URL the page would fetch a script or a stylesheet from: <script src>, <link href> other
 * than inline data, CSS @import and url(), and ES module imports and importScripts in inline code.
 */
function scriptAndStyleUrls(html: string): string[] {
  const patterns = [
    /<script\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)/gi,
    /<link\b[^>]*?\bhref\s*=\s*["']?([^"'\s>]+)/gi,
    /@import\s+(?:url\()?\s*["']?([^"')\s;]+)/gi,
    /url\(\s*["']?(https?:\/\/[^"')\s]+)/gi,
    /\bimport\s*\(\s*["'`](https?:\/\/[^"'`]+)/gi,
    /\b(?:import|export)\b[^;'"`]*?\bfrom\s*["'](https?:\/\/[^"']+)/gi,
    /\bimportScripts\s*\(\s*["'`](https?:\/\/[^"'`]+)/gi,
  ];
  return patterns.flatMap((pattern) => [...html.matchAll(pattern)].map((match) => match[1]!));
}

describe('GraphiQL at /graphql', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves a self-contained GraphiQL page to a browser', async () => {
    const response = await fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toMatch(/<html/i);
    expect(html).toContain('GraphiQL');

    const urls = scriptAndStyleUrls(html);
    // Only the page itself and its own origin may be loaded from: no CDN.
    const external = urls.filter((url) => /^(https?:)?\/\//i.test(url) && new URL(url, server.url).origin !== new URL(server.url).origin);
    expect(external).toEqual([]);
  });

  it('finds the script and stylesheet URLs it checks for', () => {
    // The check above must be able to fail: it recognises a page that loads GraphiQL from a CDN.
    const cdnPage = `<html><head>
      <link rel="stylesheet" href="https://unpkg.com/graphiql/graphiql.min.css" />
      <script src="https://unpkg.com/graphiql/graphiql.min.js"></script>
      <script type="module">import { x } from 'https://esm.sh/graphiql';</script>
      <style>@import url("https://fonts.googleapis.com/css?family=Roboto");</style>
    </head></html>`;
    expect(scriptAndStyleUrls(cdnPage)).toEqual([
      'https://unpkg.com/graphiql/graphiql.min.js',
      'https://unpkg.com/graphiql/graphiql.min.css',
      'https://fonts.googleapis.com/css?family=Roboto',
      'https://fonts.googleapis.com/css?family=Roboto',
      'https://esm.sh/graphiql',
    ]);
  });
});
