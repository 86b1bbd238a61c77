/**
 * `async-task-server/worker`: for worker modules (it imports nothing of the server's).
 *
 * How Piscina (the pool under `ctx.runInWorker`) transfers a job's result, checked by running it:
 * it looks only at the value the job returns, at top level. If that value implements its
 * Transferable protocol (`[transferableSymbol]`, `[valueSymbol]`) and went through `move()`, it
 * posts `value[valueSymbol]` with `value[transferableSymbol]` in the transfer list; anything else
 * is structured-cloned. So `{ buffer: move(buffer), … }` silently arrives as `buffer: {}` (a moved
 * value nested in an object loses its private field), and `move({ buffer, … })` fails with "Found
 * invalid object in transferList". `transferring` builds the protocol around any result.
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';

/**
 * Returns `result` so that `transferable` (an ArrayBuffer or MessagePort inside it) is moved to
 * the main thread instead of copied: a large binary result costs no copy. The result arrives as
 * it is; called outside a pool (a test), the returned object has the same fields.
 */
export function transferring<T extends object>(result: T, transferable: ArrayBuffer | MessagePort): T {
  const movable = {
    ...result,
    get [transferableSymbol]() {
      return transferable;
    },
    get [valueSymbol]() {
      return result;
    },
  };
  // For a value that implements Transferable, move() only marks it movable and returns it.
  return move(movable as never) as unknown as T;
}
