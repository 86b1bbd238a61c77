import type { TrackedExecution } from '../state/executions.js';

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const dayAndClock = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/**
 * An execution id, short enough to tell executions apart by: its last 8 characters. Ids are UUIDv7,
 * whose head is the creation time, the same for every execution started within a minute or so.
 */
export function shortId(id: string): string {
  return id.slice(-8);
}

/** A time of today as 14:02:11; an older one with its date. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return date.toDateString() === new Date().toDateString() ? clock.format(date) : dayAndClock.format(date);
}

export function formatDuration(fromIso: string | null, toIso: string | null): string {
  if (!fromIso || !toIso) return '';
  const ms = Math.max(0, Date.parse(toIso) - Date.parse(fromIso));
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

export function formatPercent(progress: number | null): string {
  return `${Math.floor((progress ?? 0) * 100)}%`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/**
 * What a SCHEDULED execution waits for, with its time: "Scheduled for 14:05:30" (a delayed start)
 * or "Retry 2 of 3 at 14:05:30" (the next attempt, after a failed one's backoff); null otherwise.
 */
export function waitingFor(execution: TrackedExecution): { words: string; at: string } | null {
  if (execution.status !== 'SCHEDULED') return null;
  if (execution.nextAttemptAt) {
    return { words: `Retry ${execution.failedAttempts + 1} of ${execution.maxAttempts} at`, at: execution.nextAttemptAt };
  }
  return execution.runAt ? { words: 'Scheduled for', at: execution.runAt } : null;
}
