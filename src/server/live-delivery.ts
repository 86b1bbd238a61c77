import { execute } from '@graphql-tools/executor';
import type { ExecutionArgs, ExecutionResult, GraphQLError } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { maskedErrors } from '../graphql/error-masking.js';
import type { LiveDelivery } from '../graphql/feedback-fan-out.js';

/**
 * Bytes a socket may have waiting to be written (ws `bufferedAmount`) and still be sent shared
 * live messages. Beyond it the subscriber catches up from the store instead, at the pace of its
 * socket: a client that does not read holds at most this much, however fast events come.
 */
export const maxBufferedBytes = 64 * 1024;

/**
 * The LiveDelivery of one graphql-ws operation: a `next` message built around a payload that was
 * serialised once for many sockets, written straight to the socket. graphql-ws would build, check
 * and serialise the message again for every socket and wait for each write; its `complete`, errors
 * and everything the subscription's own stream yields still go through graphql-ws, after these in
 * the socket's order.
 *
 * A class, not an object of closures: an idle subscriber keeps one for as long as it is subscribed,
 * and methods on the prototype are shared by all (issue 14: memory per idle subscriber).
 */
export class SocketLiveDelivery implements LiveDelivery {
  readonly operationName: string | undefined;
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>> | undefined;
  /** The operation's execution arguments: set by onSubscribe once it has made them, before the operation runs. */
  args: ExecutionArgs | undefined;
  /** The message around the payload, as graphql-ws writes it: {"id":…,"type":"next","payload":…}. */
  private readonly head: string;

  constructor(
    private readonly socket: WebSocket,
    id: string,
    payload: SubscribePayload,
    private readonly logger: Logger,
  ) {
    this.operationName = payload.operationName ?? undefined;
    this.query = payload.query;
    this.variables = payload.variables ?? undefined;
    this.head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  }

  async execute(event: unknown): Promise<ExecutionResult> {
    // graphql-tools' execute, as yoga runs each event of a subscription (yoga's `execute` would
    // subscribe again), and yoga's masking of the errors.
    return masked((await execute({ ...this.args!, rootValue: event })) as ExecutionResult, this.logger);
  }

  sendNext(payloadJson: string): boolean {
    const { socket } = this;
    // Closing: graphql-ws ends the operation in a moment; nothing more is written to it.
    if (socket.readyState !== socket.OPEN) return true;
    if (socket.bufferedAmount > maxBufferedBytes) return false;
    socket.send(`${this.head}${payloadJson}}`);
    return true;
  }
}

function masked(result: ExecutionResult, logger: Logger): ExecutionResult {
  if (!result.errors) return result;
  const errors = result.errors.map((error): GraphQLError => {
    const shown = maskedErrors.maskError(error, maskedErrors.errorMessage, maskedErrors.isDev) as GraphQLError;
    if (shown !== error) logger.error({ err: error }, 'a shared subscription event failed');
    return shown;
  });
  return { ...result, errors };
}
