import { canSee, sendJson, type Route } from '../extension.js';
import type { ContractStore } from './contract-store.js';

/**
 * `GET /contracts/{id}.pdf`: a contract's PDF, for the caller who may see it (the API token that
 * started its execution, or an admin). Another caller's contract is answered exactly like one
 * that does not exist.
 */
export function contractDownloadRoute(contracts: ContractStore): Route {
  return {
    path: /\/contracts\/([^/]+)\.pdf/,
    async handle(req, res, { principal, match }) {
      if (!principal) {
        return sendJson(res, 401, { error: 'Missing or invalid API token: send "Authorization: Bearer <token>".' }, { 'www-authenticate': 'Bearer' });
      }
      const id = decoded(match![1]!);
      if (id === null) return sendJson(res, 400, { error: 'The contract id in the URL has a malformed %-escape.' });
      const found = await contracts.getContract(id);
      const contract = found && canSee(principal, found.startedBy) ? found : null;
      const pdf = contract ? await contracts.readContractPdf(id) : null;
      if (!contract || !pdf) return sendJson(res, 404, { error: `No contract has the id "${id}"` });
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-length': pdf.byteLength,
        'content-disposition': `attachment; filename="${contract.fileName.replace(/["\\]/g, '')}"`,
        'cache-control': 'private, max-age=3600, immutable',
      });
      res.end(req.method === 'HEAD' ? undefined : pdf);
    },
  };
}

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
