/**
 * Reads Prometheus' text exposition format (what GET /metrics answers) into samples, for tests:
 * `value(name, labels)` is the sample with exactly those labels, or undefined.
 */
export function parsePrometheusText(text: string) {
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line === '' || line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`Not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = raw!.replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
    }
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  return {
    samples,
    /** The metric's TYPE line (counter, gauge, histogram, …). */
    type: (name: string) => types.get(name),
    value(name: string, labels: Record<string, string> = {}): number | undefined {
      const wanted = Object.entries(labels);
      return samples.find(
        (entry) =>
          entry.name === name &&
          Object.keys(entry.labels).length === wanted.length &&
          wanted.every(([key, value]) => entry.labels[key] === value),
      )?.value;
    },
  };
}

export type PrometheusText = ReturnType<typeof parsePrometheusText>;
