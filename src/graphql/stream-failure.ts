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
  let failed = false;
  const iterator: AsyncIterableIterator<T | StreamFailure> = {
    async next() {
      if (failed) return { done: true, value: undefined };
      try {
        return await source.next();
      } catch (error) {
        if (!(error instanceof EventsUnavailableError)) throw error;
        failed = true;
        return { done: false, value: { [failure]: error } };
      }
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
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
