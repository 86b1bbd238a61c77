import type { IncomingMessage, ServerResponse } from 'node:http';
import { canSee, type Principal } from './auth/principal.js';
import type { ContractStore, Store } from './store/store.js';
import { serveWebAsset } from './web-assets.js';

/**
 * The plain HTTP routes beside GraphQL: liveness, readiness, contract downloads and the web page.
 * Returns false when the request is not one of them (it then goes to GraphQL).
 */
export async function handlePlainRoute(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { store: Store; contracts: ContractStore; isShuttingDown: () => boolean; principal: Principal | null },
): Promise<boolean> {
  const path = pathOf(req.url ?? '/');
  if (path === null) {
    sendJson(res, 400, { error: 'The request target is not a valid URL path.' });
    return true;
  }
  if (path === '/health') {
    sendJson(res, 200, { status: 'ok' });
    return true;
  }
  if (path === '/ready') {
    if (deps.isShuttingDown()) {
      sendJson(res, 503, { status: 'shutting-down', store: deps.store.kind });
      return true;
    }
    try {
      await withinReadyTimeout(deps.store.ping());
      sendJson(res, 200, { status: 'ready', store: deps.store.kind });
    } catch (error) {
      sendJson(res, 503, { status: 'store-unreachable', store: deps.store.kind, error: (error as Error).message });
    }
    return true;
  }
  const download = /^\/contracts\/([^/]+)\.pdf$/.exec(path);
  if (download) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    if (!deps.principal) {
      sendJson(res, 401, { error: 'Missing or invalid API token: send "Authorization: Bearer <token>".' });
      return true;
    }
    const id = decoded(download[1]!);
    if (id === null) {
      sendJson(res, 400, { error: 'The contract id in the URL has a malformed %-escape.' });
      return true;
    }
    const found = await deps.contracts.getContract(id);
    // Another caller's contract is answered exactly like one that does not exist.
    const contract = found && canSee(deps.principal, found.startedBy) ? found : null;
    const pdf = contract ? await deps.contracts.readContractPdf(id) : null;
    if (!contract || !pdf) {
      sendJson(res, 404, { error: `No contract has the id "${id}"` });
      return true;
    }
    res.writeHead(200, {
      'content-type': 'application/pdf',
      'content-length': pdf.byteLength,
      'content-disposition': `attachment; filename="${contract.fileName.replace(/["\\]/g, '')}"`,
      'cache-control': 'private, max-age=3600, immutable',
    });
    res.end(req.method === 'HEAD' ? undefined : pdf);
    return true;
  }
  return serveWebAsset(req, res);
}

/**
 * /ready answers within this long: a load balancer's health check usually gives up after 1-2 s,
 * and a database that does not answer a ping in a second is not one to send work to.
 */
const readyTimeoutMs = 1_000;

function withinReadyTimeout(ping: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the store did not answer a ping within ${readyTimeoutMs} ms`)), readyTimeoutMs);
  });
  return Promise.race([ping, timeout]).finally(() => clearTimeout(timer));
}

/** The path of a request target, or null when it is none (`//`, `http://[`, …): a 400, not a 500. */
function pathOf(target: string): string | null {
  try {
    return new URL(target, 'http://localhost').pathname;
  } catch {
    return null;
  }
}

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
