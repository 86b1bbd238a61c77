import { MongoNetworkError, MongoNotConnectedError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import { StoreUnavailableError } from './store.js';

/**
 * The driver's ways of saying that no server could be reached, as opposed to a refused command:
 * `notSent` when the operation never left (no server selected, client closed or not connected),
 * `broken` when the connection failed with the operation on it, which may have been applied.
 */
export function unreachable(error: unknown): 'notSent' | 'broken' | null {
  if (error instanceof MongoServerSelectionError || error instanceof MongoTopologyClosedError || error instanceof MongoNotConnectedError) {
    return 'notSent';
  }
  if (error instanceof MongoNetworkError) return 'broken';
  return null;
}

export function isUnreachable(error: unknown): boolean {
  return unreachable(error) !== null;
}

/**
 * The port's error for a driver error that says the database could not be reached, else the
 * error itself. Only a write cut off under way may have been applied; a read changes nothing.
 */
export function asStoreError(error: unknown, writes = true): unknown {
  const how = unreachable(error);
  return how === null ? error : new StoreUnavailableError(writes && how === 'broken', error);
}

/**
 * The same object with every method's "database unreachable" failures turned into the port's
 * StoreUnavailableError, so the engine and the API can answer it as what it is (a typed,
 * retryable refusal) without knowing the driver. `writes` names the methods that change data.
 */
export function withStoreUnavailable<T extends object>(target: T, writes: ReadonlyArray<keyof T>): T {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, value] of Object.entries(target)) {
    const writing = writes.includes(name as keyof T);
    wrapped[name] =
      typeof value === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            } catch (error) {
              throw asStoreError(error, writing);
            }
          }
        : value;
  }
  return wrapped as T;
}
