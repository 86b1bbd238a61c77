// Preloaded into worker threads whose entry is TypeScript (tests and `tsx` runs; the built
// server runs .js workers and never loads this). `--import tsx` is not enough: tsx registers its
// loader only on the main thread, so the worker registers it here explicitly.
import { register } from 'tsx/esm/api';

register();
