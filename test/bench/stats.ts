/**
 * Small statistics for the benchmarks: medians over runs, percentiles over samples. Pure
 * functions over plain number arrays; nothing here measures anything.
 */

/** Middle value; the mean of the two middle values for an even count. NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The p-th percentile (0..100) by the nearest-rank method: the smallest sample that at least p%
 * of the samples are less than or equal to. Nearest rank never invents a value that was not
 * measured, which matters for tails such as p99 of a few hundred samples.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile must be within 0..100 (got ${p})`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Several percentiles of one sample set, sorting once. */
export function percentiles<P extends number>(values: readonly number[], ps: readonly P[]): Record<`p${P}`, number> {
  const sorted = [...values].sort((a, b) => a - b);
  const result = {} as Record<`p${P}`, number>;
  for (const p of ps) {
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    result[`p${p}`] = sorted.length === 0 ? Number.NaN : sorted[rank - 1]!;
  }
  return result;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** What a table cell shows for a figure measured once per run: the median and the range. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** One value per run, in run order. */
  runs: number[];
}

export function summarize(runs: readonly number[]): Summary {
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs: [...runs] };
}
