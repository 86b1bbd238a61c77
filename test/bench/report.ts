/**
 * What a scenario hands back, and how `npm run bench` shows it: one row per metric with the
 * median over runs, the min-max range, the target and whether the median meets it.
 */
import { summarize, type Summary } from './stats.js';

export interface Target {
  /** The median must be at least (`>=`) or at most (`<=`) `value`. */
  op: '>=' | '<=';
  value: number;
}

export interface Metric {
  name: string;
  unit: string;
  summary: Summary;
  target?: Target;
  /** Present when there is a target: does the median meet it. */
  met?: boolean;
}

export interface ScenarioResult {
  name: string;
  title: string;
  runs: number;
  metrics: Metric[];
  /** The settings the scenario ran with (sizes, durations), so a figure can be reproduced. */
  settings: Record<string, unknown>;
  /** Observations worth keeping beside the figures (what was checked, what to watch). */
  notes: string[];
}

export interface ScenarioOptions {
  quick: boolean;
  runs: number;
}

/** One scenario per file under scenarios/, each exporting one of these. */
export interface Scenario {
  name: string;
  title: string;
  /** Runs in a fresh process per run (resident memory cannot be measured twice in one process). */
  processPerRun?: boolean;
  run(options: ScenarioOptions): Promise<ScenarioResult>;
}

interface MetricSpec {
  unit: string;
  target?: Target;
}

/**
 * Collects one value per metric per run. Metrics keep the order in which they were declared, so
 * the table reads in the order the scenario thinks about them.
 */
export function createRecorder() {
  const specs = new Map<string, MetricSpec>();
  const values = new Map<string, number[]>();
  return {
    declare(name: string, unit: string, target?: Target): void {
      specs.set(name, { unit, target });
      if (!values.has(name)) values.set(name, []);
    },
    record(name: string, value: number): void {
      const list = values.get(name);
      if (!list) throw new Error(`Metric "${name}" was not declared`);
      list.push(value);
    },
    metrics(): Metric[] {
      return [...specs].map(([name, spec]) => metricOf(name, spec.unit, values.get(name) ?? [], spec.target));
    },
  };
}

export function metricOf(name: string, unit: string, runs: number[], target?: Target): Metric {
  const summary = summarize(runs);
  if (!target) return { name, unit, summary };
  const met = target.op === '>=' ? summary.median >= target.value : summary.median <= target.value;
  return { name, unit, summary, target, met };
}

/** Joins the single-run results of a `processPerRun` scenario into one result. */
export function mergeRuns(parts: ScenarioResult[]): ScenarioResult {
  const first = parts[0]!;
  const metrics = first.metrics.map((metric) =>
    metricOf(
      metric.name,
      metric.unit,
      parts.flatMap((part) => part.metrics.find((m) => m.name === metric.name)?.summary.runs ?? []),
      metric.target,
    ),
  );
  return {
    ...first,
    runs: parts.reduce((sum, part) => sum + part.runs, 0),
    metrics,
    notes: [...new Set(parts.flatMap((part) => part.notes))],
  };
}

/** A number with as many digits as its size deserves: 12345 → "12345", 1.234 → "1.23", 0.01234 → "0.0123". */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  if (magnitude === 0) return '0';
  return value.toPrecision(3);
}

function formatTarget(target: Target | undefined, unit: string): string {
  if (!target) return '';
  return `${target.op === '>=' ? '≥' : '≤'} ${withUnit(target.value, unit)}`;
}

function withUnit(value: number, unit: string): string {
  return unit === 'x' || unit === '%' ? `${formatNumber(value)}${unit}` : `${formatNumber(value)} ${unit}`;
}

/** The table `npm run bench` prints: one block per scenario. */
export function formatTable(results: ScenarioResult[]): string {
  const header = ['metric', 'median', 'min-max', 'target', ''];
  const rows: string[][] = [];
  const blocks: Array<{ title: string; start: number; end: number }> = [];
  for (const result of results) {
    const start = rows.length;
    for (const metric of result.metrics) {
      const { median, min, max } = metric.summary;
      rows.push([
        metric.name,
        withUnit(median, metric.unit),
        `${formatNumber(min)}-${formatNumber(max)}`,
        formatTarget(metric.target, metric.unit),
        metric.met === undefined ? '' : metric.met ? 'met' : 'MISSED',
      ]);
    }
    blocks.push({ title: `${result.title} (${result.runs} run${result.runs === 1 ? '' : 's'})`, start, end: rows.length });
  }
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((width) => '-'.repeat(width)).join('  ')];
  for (const block of blocks) {
    out.push('', block.title);
    for (const row of rows.slice(block.start, block.end)) out.push(line(row));
  }
  return out.join('\n');
}
