import type { TypedDocumentString } from '../generated/graphql.js';
import { bearer, type Credentials } from './credentials.js';

/** A transport or server failure (not an expected outcome: those come back as result unions). */
export class GraphQLRequestError extends Error {
  override readonly name: string = 'GraphQLRequestError';
}

/** The server wants an API token (HTTP 401): the page asks for one instead of showing this. */
export class UnauthorizedError extends GraphQLRequestError {
  override readonly name = 'UnauthorizedError';
  constructor() {
    super('Sign in with an API token to continue.');
  }
}

/**
 * Queries and mutations go over plain HTTP POST to the same origin; subscriptions go over the
 * WebSocket (live-socket.ts). Expected problems (QueueFull, InvalidTaskInput, ...) are data in
 * the result; anything in `errors` is unexpected and thrown. With a token kept, every request
 * sends it as `Authorization: Bearer …`; a 401 is reported to the credentials and thrown.
 */
export function createHttpClient(endpoint: string, credentials: Credentials) {
  return async function request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
  ): Promise<TResult> {
    const token = credentials.token;
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...(token ? { authorization: bearer(token) } : {}),
        },
        body: JSON.stringify({ query: document.toString(), variables }),
      });
    } catch {
      throw new GraphQLRequestError('The server cannot be reached.');
    }
    if (response.status === 401) {
      credentials.refuse(token);
      throw new UnauthorizedError();
    }
    credentials.accept(token);
    const body = (await response.json().catch(() => null)) as { data?: TResult; errors?: Array<{ message: string }> } | null;
    if (body?.errors?.length) throw new GraphQLRequestError(body.errors.map((error) => error.message).join('; '));
    if (!response.ok || !body?.data) throw new GraphQLRequestError(`The server answered ${response.status}.`);
    return body.data;
  };
}

export type GraphQLRequest = ReturnType<typeof createHttpClient>;
