import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { pino, type Logger } from 'pino';
import WebSocket from 'ws';
import { defaultConfig, type Config } from '../../src/config.js';
import { createContractsExtension } from '../../src/contracts/contracts-extension.js';
import type { AnyTaskDefinition } from '../../src/engine/task-definition.js';
import type { WorkerModule } from '../../src/engine/worker-pool.js';
import { createApp } from '../../src/server/app.js';
import type { ServerExtension } from '../../src/server/extension.js';
import type { Store } from '../../src/store/store.js';

export interface TestAppOptions {
  /** Tasks beside the contract example's. */
  extraTasks?: () => AnyTaskDefinition[];
  workers?: WorkerModule[];
  /** The contract example's settings (demo data on by default), or false for a server without it. */
  contracts?: Parameters<typeof createContractsExtension>[0] | false;
  /** More extensions, after the contract example. */
  extensions?: ServerExtension[];
  store?: Store;
  logger?: Logger;
}

/**
 * The real app on a free port, with a typed HTTP client and a graphql-ws client: tests talk to
 * it exactly as any GraphQL client would. The contract example is registered unless told not to.
 */
export async function startTestApp(config: Partial<Config> = {}, options: TestAppOptions = {}) {
  const contractsExtension = options.contracts === false ? null : createContractsExtension({ demoData: true, ...options.contracts });
  const app = await createApp(
    // No shutdown grace: a test that ends with work running should not wait for it.
    { ...defaultConfig(), port: 0, logLevel: 'silent', workerThreads: 2, shutdownGraceMs: 0, ...config },
    {
      logger: options.logger ?? pino({ level: 'silent' }),
      ...(options.store ? { store: options.store } : {}),
      tasks: options.extraTasks?.() ?? [],
      workers: options.workers ?? [],
      extensions: [...(contractsExtension ? [contractsExtension] : []), ...(options.extensions ?? [])],
    },
  );
  const { url } = await app.start(config.port ?? 0);
  const graphqlUrl = `${url}/graphql`;
  const clients: Client[] = [];

  /** A client that sends `token` as its API token (HTTP header and graphql-ws connectionParams). */
  function clientFor(token?: string) {
    const authorization: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    /** POSTs an operation; returns the whole GraphQL response (data and errors). */
    async function execute<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables?: TVariables) {
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...authorization },
        body: JSON.stringify({ query: print(document), variables }),
      });
      return (await response.json()) as { data?: TData; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
    }

    /** POSTs an operation and returns its data; any GraphQL error fails the test. */
    async function request<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables?: TVariables) {
      const result = await execute(document, variables);
      if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data;
    }

    function wsClient(): Client {
      const client = createClient({
        url: graphqlUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      });
      clients.push(client);
      return client;
    }

    /** Subscribes over graphql-ws and collects every event until the server completes the stream. */
    function subscribe<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables, client = wsClient()) {
      const events: TData[] = [];
      let failure: unknown;
      let completed = false;
      let unsubscribe = () => {};
      const done = new Promise<void>((resolve, reject) => {
        unsubscribe = client.subscribe<TData>(
          { query: print(document), variables: variables as Record<string, unknown> },
          {
            next: (result) => {
              if (result.errors?.length) failure = result.errors;
              else if (result.data) events.push(result.data as TData);
            },
            error: (error) => {
              failure = error;
              reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
            },
            complete: () => {
              completed = true;
              if (failure) reject(new Error(JSON.stringify(failure)));
              else resolve();
            },
          },
        );
      });
      done.catch(() => {}); // a test that never awaits `done` must not see an unhandled rejection
      return {
        events,
        done,
        get completed() {
          return completed;
        },
        unsubscribe: () => unsubscribe(),
      };
    }

    return { execute, request, subscribe, wsClient };
  }

  const { execute, request, subscribe, wsClient } = clientFor();

  return {
    app,
    url,
    graphqlUrl,
    execute,
    request,
    subscribe,
    wsClient,
    /** The same helpers, calling with an API token. */
    as: clientFor,
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
      await app.stop();
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
