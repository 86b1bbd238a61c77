import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterFeedHealth, Store } from '../store/store.js';

/** How this instance follows the others' events (see engine/cluster-bridge.ts), as /ready reports it. */
export type LiveEventsHealth = ClusterFeedHealth | { mechanism: 'in-process'; healthy: true };

/**
 * The server's own plain routes: liveness and readiness. Returns false when the request is not
 * one of them.
 */
export async function handleCoreRoute(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: { store: Store; isShuttingDown: () => boolean; liveEvents: () => LiveEventsHealth },
): Promise<boolean> {
  if (path === '/health') {
    sendJson(res, 200, { status: 'ok' });
    return true;
  }
  if (path === '/ready') {
    if (deps.isShuttingDown()) {
      sendJson(res, 503, { status: 'shutting-down', store: deps.store.kind, events: deps.liveEvents() });
      return true;
    }
    try {
      await withinReadyTimeout(deps.store.ping());
      sendJson(res, 200, { status: 'ready', store: deps.store.kind, events: deps.liveEvents() });
    } catch (error) {
      sendJson(res, 503, { status: 'store-unreachable', store: deps.store.kind, events: deps.liveEvents(), error: (error as Error).message });
    }
    return true;
  }
  return false;
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
export function pathOf(target: string): string | null {
  try {
    return new URL(target, 'http://localhost').pathname;
  } catch {
    return null;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}
