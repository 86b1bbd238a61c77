import { Cron } from 'croner';
import type { InputProblem } from './task-definition.js';

/** Longest accepted pattern: any real one is far shorter, and parsing stays linear and cheap. */
const maxCronLength = 200;

/**
 * Cron patterns, read by croner (npm): five fields (minute hour day-of-month month day-of-week),
 * or six with seconds first, or a nickname such as `@daily`; in an IANA time zone, UTC by default.
 */
function parse(cron: string, timezone: string | null): Cron {
  // No callback: croner then only evaluates the pattern and starts no timer.
  return new Cron(cron, { timezone: timezone ?? 'Etc/UTC', mode: cron.trim().startsWith('@') ? 'auto' : fieldsMode(cron) });
}

function fieldsMode(cron: string): '5-part' | '6-part' {
  return cron.trim().split(/\s+/).length === 6 ? '6-part' : '5-part';
}

export function validateCron(cron: unknown, timezone: unknown): InputProblem[] {
  if (typeof cron !== 'string' || cron.trim() === '') return [{ path: 'cron', message: 'must be a cron pattern such as "0 2 * * *"' }];
  if (cron.length > maxCronLength) return [{ path: 'cron', message: `must be at most ${maxCronLength} characters (got ${cron.length})` }];
  if (timezone !== null && (typeof timezone !== 'string' || !isTimeZone(timezone))) {
    return [{ path: 'timezone', message: `must be an IANA time zone such as "Europe/Amsterdam" (got ${JSON.stringify(timezone)})` }];
  }
  const fields = cron.trim().split(/\s+/).length;
  if (!cron.trim().startsWith('@') && fields !== 5 && fields !== 6) {
    return [{ path: 'cron', message: `must have 5 fields (minute hour day month weekday) or 6 (seconds first); got ${fields}` }];
  }
  let next: Date | null;
  try {
    next = parse(cron, timezone).nextRun();
  } catch (error) {
    return [{ path: 'cron', message: `is not a valid cron pattern: ${(error as Error).message}` }];
  }
  if (!next) return [{ path: 'cron', message: 'never fires (no date matches it)' }];
  return [];
}

/** The first tick strictly after `after`; null when the pattern has none. Assumes a validated pattern. */
export function nextTick(cron: string, timezone: string | null, after: Date): Date | null {
  return parse(cron, timezone).nextRun(after);
}

function isTimeZone(name: string): boolean {
  if (name.length > 100) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
