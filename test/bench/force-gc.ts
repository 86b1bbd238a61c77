import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, without starting Node with --expose-gc: that flag cannot be passed
 * on, because the worker pool hands the process's execArgv to its threads and workers refuse it.
 * Exposing `gc` at run time and taking it from a fresh context is the documented V8 way.
 */
let gc: (() => void) | undefined;

export function forceGc(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  // Twice: the first pass may only queue finalizers whose objects the second pass frees.
  gc();
  gc();
}
