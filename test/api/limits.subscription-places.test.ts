import { describe, expect, it } from 'vitest';
import { createCallerCounter, holdSubscription } from '../../src/server/caller-limits.js';

/**
 * A subscription holds one of its caller's places from the moment it opens until its stream ends,
 * however it ends: the stream is done, it fails, or the client leaves (`return()`). A subscription
 * that could not open holds none.
 */
describe('a subscription place', () => {
  const stream = (next: () => Promise<IteratorResult<number>>): AsyncIterableIterator<number> => {
    const iterator: AsyncIterableIterator<number> = { next, return: async () => ({ done: true, value: undefined }), [Symbol.asyncIterator]: () => iterator };
    return iterator;
  };
  /** Whether alice's one place is taken (another cannot be acquired). */
  const held = (counter: ReturnType<typeof createCallerCounter>) => {
    const release = counter.acquire('alice');
    release?.();
    return release === null;
  };

  it('is held while the stream yields, and released once when it is done', async () => {
    const counter = createCallerCounter(1);
    let left = 2;
    const subscription = await holdSubscription(counter, 'alice', async () =>
      stream(async () => (left-- > 0 ? { done: false, value: left } : { done: true, value: undefined })),
    );
    expect(await subscription.next()).toEqual({ done: false, value: 1 });
    expect(held(counter)).toBe(true);
    await subscription.next();
    expect(await subscription.next()).toEqual({ done: true, value: undefined });
    expect(held(counter)).toBe(false);
    await subscription.return?.();
    expect(held(counter)).toBe(false);
  });

  it('is released when the stream fails, and when the client leaves', async () => {
    const counter = createCallerCounter(1);
    const failing = await holdSubscription(counter, 'alice', async () => stream(() => Promise.reject(new Error('gone'))));
    await expect(failing.next()).rejects.toThrow('gone');
    expect(held(counter)).toBe(false);

    const left = await holdSubscription(counter, 'alice', async () => stream(() => new Promise(() => {})));
    void left.next();
    expect(held(counter)).toBe(true);
    expect(await left.return?.()).toEqual({ done: true, value: undefined });
    expect(held(counter)).toBe(false);
  });

  it('is not held by a subscription that could not open, nor past the limit', async () => {
    const counter = createCallerCounter(1);
    await expect(holdSubscription(counter, 'alice', () => Promise.reject(new Error('no such execution')))).rejects.toThrow('no such execution');
    expect(held(counter)).toBe(false);

    const first = await holdSubscription(counter, 'alice', async () => stream(() => new Promise(() => {})));
    await expect(holdSubscription(counter, 'alice', async () => stream(() => new Promise(() => {})))).rejects.toMatchObject({
      extensions: { code: 'LIMIT_EXCEEDED', limit: 'subscriptionsPerCaller', max: 1 },
    });
    await first.return?.();
    expect(held(counter)).toBe(false);
  });
});
