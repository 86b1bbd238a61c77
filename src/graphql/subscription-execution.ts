import { buildExecutionContext, execute, subscribe as graphqlToolsSubscribe } from '@graphql-tools/executor';
import { createSourceEventStream, getOperationAST, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Runs subscriptions (graphql-ws and server-sent events) as yoga's default, graphql-tools'
 * subscribe, does, but with one iterator per subscription. graphql-tools maps the source stream
 * through two iterators made of closures (its map, and a flattening of incremental results) and
 * keeps its execution context in them: an idle subscriber holds all of it for as long as it is
 * subscribed, about 3 KiB (issue 14: memory per idle subscriber). The plugins' hooks (masking,
 * hidden suggestions) wrap what this returns as they wrapped graphql-tools' stream.
 *
 * The source stream is graphql-js's createSourceEventStream (graphql-tools does not export its
 * own); each event is executed by graphql-tools' execute, as yoga executes any operation. No result
 * is incremental: the schema has no @defer or @stream.
 */
export function subscriptionExecution(): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribe);
    },
  };
}

async function subscribe(args: ExecutionArgs): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> {
  // Variables that do not fit the operation: graphql-tools' own answer (BAD_USER_INPUT, and HTTP
  // 400 over server-sent events), which it gives without calling a resolver.
  if (!('schema' in buildExecutionContext(args))) return (await graphqlToolsSubscribe(args)) as ExecutionResult;
  let source: AsyncIterable<unknown> | ExecutionResult;
  try {
    source = await createSourceEventStream(args);
  } catch (error) {
    // graphql-js answers a GraphQLError with `errors` but throws anything else (a root field that
    // @skip leaves out, say), which would close the whole socket: graphql-tools answered it with
    // the error, unlocated and masked like any other, and so does this.
    return { errors: [asGraphQLError(error)] };
  }
  return Symbol.asyncIterator in source ? new EventResults(source, args) : source;
}

/** A failure outside any field, as graphql-tools reports it: a GraphQLError, at `nodes` when given. */
function asGraphQLError(error: unknown, nodes?: ReturnType<typeof getOperationAST>): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const cause = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(cause.message, { originalError: cause, nodes });
}

/**
 * Each event of the source, executed with the event as the root value. A class, not an object of
 * closures: an idle subscriber keeps one for as long as it is subscribed.
 */
class EventResults implements AsyncIterableIterator<ExecutionResult> {
  private readonly source: AsyncIterator<unknown>;

  constructor(
    source: AsyncIterable<unknown>,
    private readonly args: ExecutionArgs,
  ) {
    this.source = source[Symbol.asyncIterator]();
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    let event: IteratorResult<unknown>;
    try {
      event = await this.source.next();
    } catch (error) {
      // As graphql-tools: the source is ended, and its failure is an error of the operation.
      await this.source.return?.().catch(() => undefined);
      throw asGraphQLError(error, getOperationAST(this.args.document, this.args.operationName));
    }
    if (event.done) return { done: true, value: undefined };
    return { done: false, value: (await execute({ ...this.args, rootValue: event.value })) as ExecutionResult };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    await this.source.return?.();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
