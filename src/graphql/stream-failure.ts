import { GraphQLError } from 'graphql';
import { EventsUnavailableError } from '../engine/errors.js';

const failure = Symbol('stream failure');

/** What a live stream yields last when it cannot go on; the field's resolver turns it into an error. */
export interface StreamFailure {
  [failure]: EventsUnavailableError;
}

/**
 * Lets a subscription end with a typed error instead of breaking the transport: a source whose
 * `next()` rejects with EventsUnavailableError yields one StreamFailure, then ends. graphql-js
 * resolves that payload like any other, so the client gets `errors` (code EVENTS_UNAVAILABLE) on
 * that one subscription and then `complete`; its socket and its other subscriptions go on.
 */
export function endingWithFailure<T>(source: AsyncIterableIterator<T>): AsyncIterableIterator<T | StreamFailure> {
  return new EndingWithFailure(source);
}

/**
 * A class, not an object of closures: an idle subscriber keeps one for as long as it is subscribed,
 * and methods on the prototype are shared by all (issue 14: memory per idle subscriber).
 */
class EndingWithFailure<T> implements AsyncIterableIterator<T | StreamFailure> {
  private failed = false;

  constructor(private readonly source: AsyncIterableIterator<T>) {}

  async next(): Promise<IteratorResult<T | StreamFailure>> {
    if (this.failed) return { done: true, value: undefined };
    try {
      return await this.source.next();
    } catch (error) {
      if (!(error instanceof EventsUnavailableError)) throw error;
      this.failed = true;
      return { done: false, value: { [failure]: error } };
    }
  }

  async return(): Promise<IteratorResult<T | StreamFailure>> {
    await this.source.return?.();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * The GraphQL error of EventsUnavailableError: expected in an outage, so a GraphQLError (shown as
 * it is, not masked, not logged as a server fault), with the code clients retry on.
 */
export function eventsUnavailable(error: EventsUnavailableError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { code: error.code } });
}

/** A payload as the field resolves it: a StreamFailure becomes its error (code EVENTS_UNAVAILABLE). */
export function unlessFailed<T>(payload: T | StreamFailure): T {
  if (typeof payload === 'object' && payload !== null && failure in payload) {
    throw eventsUnavailable(payload[failure]);
  }
  return payload as T;
}
