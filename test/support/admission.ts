import type { Admission, ExecutionChange } from '../../src/store/store.js';

/** The change of an admission that a test expects to be admitted; throws (naming the kind) otherwise. */
export function admitted(admission: Admission): ExecutionChange {
  if (admission.kind !== 'admitted') throw new Error(`expected the execution to be admitted, got ${admission.kind}`);
  return admission.change;
}
