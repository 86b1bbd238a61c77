/**
 * A GraphQL client for a server in another process: typed operations over HTTP, as any client
 * sends them. (In-process scenarios use test/support/test-app.ts, which has the same `request`.)
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export interface GraphQLClient {
  request<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables?: TVariables): Promise<TData>;
}

export function createGraphQLClient(graphqlUrl: string): GraphQLClient {
  // Printing once per document: a client sends the same text every time.
  const printed = new WeakMap<object, string>();
  return {
    async request(document, variables) {
      let query = printed.get(document);
      if (query === undefined) printed.set(document, (query = print(document)));
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      });
      const result = (await response.json()) as { data?: never; errors?: unknown[] };
      if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data;
    },
  };
}
