import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Refuses a GraphQL request whose `variables` or `extensions` search parameter is not a JSON
 * object (`?variables=notjson`), with 400 and a GraphQL-shaped error, before yoga sees it: yoga
 * parses them with a bare JSON.parse, whose SyntaxError would come out as a 500 "Unexpected
 * error.". Returns true when it answered the request.
 */
export function refuseMalformedSearchParams(req: IncomingMessage, res: ServerResponse): boolean {
  const query = (req.url ?? '').split('?')[1];
  if (query === undefined) return false;
  const params = new URLSearchParams(query);
  for (const name of ['variables', 'extensions']) {
    const text = params.get(name);
    if (text === null || text === '' || isJsonObject(text)) continue;
    const message = `The "${name}" search parameter must be a JSON object.`;
    res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }));
    return true;
  }
  return false;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value === null || (typeof value === 'object' && !Array.isArray(value));
  } catch {
    return false;
  }
}
