import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

/**
 * Which web pages may talk to the server: the browser-facing half of its security (README:
 * Security → Browsers and origins). Non-browser clients send no Origin and are not affected.
 *
 * - With API tokens: the server's own pages (the Origin's host is the request's Host) and the
 *   origins listed in CORS_ORIGINS.
 * - Without tokens (open mode, local use): the same, where the server's own pages and the listed
 *   origins must be on loopback, and only requests addressed to a loopback name or an IP address. A page on any other site cannot reach a developer's local
 *   server, neither directly (cross-site request or WebSocket hijacking) nor by pointing its own
 *   domain name at 127.0.0.1 (DNS rebinding: the browser then calls it same-origin, but the Host
 *   header still carries that domain name).
 *
 * Refusals happen before anything runs: 403 for HTTP, and a WebSocket upgrade is refused with 403
 * before the handshake, since browsers apply no CORS to WebSockets.
 */
export type OriginVerdict =
  | { allowed: true; /** Set for an allowed cross-origin caller: the CORS headers name it. */ corsOrigin: string | null }
  | { allowed: false; reason: string };

export interface OriginPolicy {
  check(req: Pick<IncomingMessage, 'headers'>): OriginVerdict;
  /** The CORS headers of an allowed cross-origin response, or of the answer to its preflight. */
  corsHeaders(corsOrigin: string, req: Pick<IncomingMessage, 'headers' | 'method'>): OutgoingHttpHeaders;
}

export function createOriginPolicy(options: { corsOrigins: string[]; open: boolean }): OriginPolicy {
  const listed = new Set(options.corsOrigins);
  return {
    check(req) {
      const host = header(req, 'host');
      if (options.open && host !== null && !isLocalHost(hostnameOf(host))) {
        return {
          allowed: false,
          reason: `Without API tokens this server answers only requests to localhost or an IP address, not to "${host}" (configure API_TOKENS to serve it under a name).`,
        };
      }
      const origin = header(req, 'origin');
      if (origin === null) return { allowed: true, corsOrigin: null };
      const normalised = normaliseOrigin(origin);
      const sameOrigin = normalised !== null && host !== null && sameHost(normalised, host);
      if (options.open && (normalised === null || !isLoopbackHost(new URL(normalised).hostname))) {
        return { allowed: false, reason: `Without API tokens only pages on localhost may call this server; the origin ${origin} may not.` };
      }
      if (sameOrigin) return { allowed: true, corsOrigin: null };
      if (normalised !== null && listed.has(normalised)) return { allowed: true, corsOrigin: normalised };
      return { allowed: false, reason: `The origin ${origin} may not call this server (CORS_ORIGINS lists the origins that may).` };
    },

    corsHeaders(corsOrigin, req) {
      const headers: OutgoingHttpHeaders = { 'access-control-allow-origin': corsOrigin, vary: 'Origin' };
      if (req.method === 'OPTIONS') {
        headers['access-control-allow-methods'] = 'GET, POST, OPTIONS';
        // The caller is allowed; which headers it sends (authorization, content-type, …) is its business.
        const requested = header(req, 'access-control-request-headers');
        if (requested) headers['access-control-allow-headers'] = requested;
        headers['access-control-max-age'] = '600';
      }
      return headers;
    },
  };
}

/**
 * CORS_ORIGINS as normalised origins. Throws with a message naming the variable when an entry is
 * not an origin, or when the server runs without tokens and an entry is not a loopback origin.
 */
export function parseCorsOrigins(text: string, options: { open: boolean }): string[] {
  const origins: string[] = [];
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const origin = normaliseOrigin(entry);
    if (origin === null) {
      throw new Error(`CORS_ORIGINS: "${entry}" is not an origin (scheme://host[:port], as a browser sends it, nothing after)`);
    }
    if (options.open && !isLoopbackHost(new URL(origin).hostname)) {
      throw new Error(
        `CORS_ORIGINS: ${origin} is not a loopback origin. Without API tokens only pages on localhost may call the server; configure API_TOKENS to allow other origins.`,
      );
    }
    origins.push(origin);
  }
  return origins;
}

/** `scheme://host[:port]` in the form browsers send, or null when `text` is not just an origin. */
function normaliseOrigin(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return null;
  return url.origin;
}

/** Whether `host` (a Host header) names the origin's host: `127.0.0.1:80` is `http://127.0.0.1`. */
function sameHost(origin: string, host: string): boolean {
  const { protocol, host: originHost } = new URL(origin);
  if (!/^[^\s/?#@\\]+$/.test(host)) return false; // a host, nothing else
  try {
    return new URL(`${protocol}//${host}`).host === originHost;
  } catch {
    return false; // not a host at all
  }
}

function header(req: Pick<IncomingMessage, 'headers'>, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The hostname of a Host header: `[::1]:4000` → `::1`, `localhost:4000` → `localhost`. */
function hostnameOf(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return host.replace(/:\d+$/, '').toLowerCase();
}

export function isLoopbackHost(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '::1';
}

/** A name no DNS answer can point elsewhere: a loopback name or any IP address. */
function isLocalHost(hostname: string): boolean {
  return isLoopbackHost(hostname) || isIP(hostname) !== 0;
}
