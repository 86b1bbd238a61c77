import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/**
 * Reads the body of a request bound for GraphQL, refusing it with 413 as soon as it grows past
 * `maxBytes`: before yoga parses anything, and whatever the request claims about its length.
 *
 * A declared Content-Length over the limit is refused without reading a byte. Otherwise the raw
 * stream is counted as it arrives, which is what catches chunked bodies and a Content-Length
 * that lies low (Node's parser already stops at a declared length, so it cannot lie high).
 * Resolves true when the body is within the limit; it is then handed to yoga as `req.body`
 * (@whatwg-node/server reads a body already taken off the stream from there, as it does for
 * Express and serverless adapters). Resolves false when the request has been answered (413) or
 * the client went away: the caller must not touch it again.
 */
export function acceptRequestBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<boolean> {
  // GET and HEAD carry their operation in the URL, whose size Node's header limit bounds;
  // @whatwg-node ignores any body they have.
  if (req.method === 'GET' || req.method === 'HEAD') return Promise.resolve(true);
  if (Number(req.headers['content-length']) > maxBytes) {
    refuse(res, maxBytes);
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      stopReading();
      // Not req.destroy(): that would destroy the socket before the 413 is on the wire. The
      // response closes the connection instead, so the rest of the body is never read.
      req.pause();
      refuse(res, maxBytes);
      resolve(false);
    };
    const onEnd = () => {
      stopReading();
      Object.assign(req, { body: Readable.from(chunks) });
      resolve(true);
    };
    const onGone = () => {
      stopReading();
      resolve(false);
    };
    const stopReading = () => {
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
    };
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}

/** The 413 answer: a GraphQL-shaped body, so GraphQL clients show its message like any other error. */
function refuse(res: ServerResponse, maxBytes: number): void {
  const message = `The request body is larger than the limit of ${maxBytes} bytes (MAX_REQUEST_BODY_BYTES).`;
  res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'PAYLOAD_TOO_LARGE', maxBytes } }] }));
}
