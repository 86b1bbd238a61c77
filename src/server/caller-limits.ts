import { GraphQLError } from 'graphql';
import type { Principal } from '../auth/principal.js';

/**
 * Who a per-caller limit counts against: the API token's name, or (open mode, no tokens) the
 * remote address, so one local client cannot use up what another needs.
 */
export function callerKey(principal: Principal, remoteAddress: string | undefined): string {
  return principal.name !== null ? `token:${principal.name}` : `address:${remoteAddress ?? 'unknown'}`;
}

/**
 * Counts what each caller holds open (WebSockets, subscriptions) against a maximum. `acquire`
 * returns the release function, or null when the caller is at the limit; release is idempotent.
 */
export function createCallerCounter(max: number) {
  const held = new Map<string, number>();
  return {
    max,
    acquire(key: string): (() => void) | null {
      const count = held.get(key) ?? 0;
      if (count >= max) return null;
      held.set(key, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (held.get(key) ?? 1) - 1;
        if (left === 0) held.delete(key);
        else held.set(key, left);
      };
    },
  };
}

export type CallerCounter = ReturnType<typeof createCallerCounter>;

/**
 * Holds one of the caller's subscription places for as long as `stream` runs: released when the
 * stream ends, fails or is returned (the client unsubscribed or went away), over WebSocket and
 * server-sent events alike. Over the limit, the subscription is refused with LIMIT_EXCEEDED.
 */
export async function holdSubscription<T>(
  counter: CallerCounter,
  key: string,
  open: () => Promise<AsyncIterableIterator<T>>,
): Promise<AsyncIterableIterator<T>> {
  const release = counter.acquire(key);
  if (!release) {
    throw new GraphQLError(
      `Too many open subscriptions: each caller may hold at most ${counter.max} (MAX_SUBSCRIPTIONS_PER_CALLER). End one first.`,
      { extensions: { code: 'LIMIT_EXCEEDED', limit: 'subscriptionsPerCaller', max: counter.max } },
    );
  }
  try {
    return new HeldStream(await open(), release);
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * A class, not an object of closures: an idle subscriber keeps one for as long as it is subscribed,
 * and methods on the prototype are shared by all (issue 14: memory per idle subscriber).
 */
class HeldStream<T> implements AsyncIterableIterator<T> {
  constructor(
    private readonly stream: AsyncIterableIterator<T>,
    private readonly release: () => void,
  ) {}

  async next(): Promise<IteratorResult<T>> {
    try {
      const result = await this.stream.next();
      if (result.done) this.release();
      return result;
    } catch (error) {
      this.release();
      throw error;
    }
  }

  async return(value?: unknown): Promise<IteratorResult<T>> {
    this.release();
    return this.stream.return ? this.stream.return(value) : { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    this.release();
    if (this.stream.throw) return this.stream.throw(error);
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
