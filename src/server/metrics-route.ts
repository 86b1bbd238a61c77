import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sha256 } from '../auth/api-tokens.js';
import { sendJson } from './core-routes.js';
import type { Route } from './extension.js';
import type { Metrics } from './metrics.js';

export const metricsPath = '/metrics';

/**
 * GET /metrics, in Prometheus' text format. Behind the same rule as the API: open when the server
 * runs open, else for an admin (API token or JWT) or for METRICS_TOKEN, a bearer token that opens
 * nothing else, made for scrapers. A user's token is known but not enough: 403.
 */
export function metricsRoute(metrics: Metrics, metricsTokenSha256: string | null): Route {
  return {
    path: metricsPath,
    async handle(req, res, { principal }) {
      if (principal?.role !== 'admin' && !isMetricsToken(req, metricsTokenSha256)) {
        if (principal) return sendJson(res, 403, { error: 'Metrics need an admin API token or METRICS_TOKEN.' });
        return sendJson(res, 401, { error: 'Missing or invalid token: send "Authorization: Bearer <METRICS_TOKEN or an admin API token>".' }, {
          'www-authenticate': 'Bearer',
        });
      }
      const body = await metrics.render();
      res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}

/** Compares digests, never the token itself: their length is fixed and equal. */
function isMetricsToken(req: IncomingMessage, expectedSha256: string | null): boolean {
  if (expectedSha256 === null) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match !== null && timingSafeEqual(Buffer.from(sha256(match[1]!), 'hex'), Buffer.from(expectedSha256, 'hex'));
}
