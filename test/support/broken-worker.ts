/** A worker module that fails to load, as a typo or a missing dependency makes one fail. */
throw new Error('this worker module cannot be loaded');

export function neverRuns(): void {}
