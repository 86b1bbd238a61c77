import type { StartTaskOptions } from '../generated/graphql.js';
import type { InputProblem } from './input-form.js';

/**
 * The Start a task form's options (startTask's `options`), as typed: a delay in seconds and a
 * priority, each optional. As with the input, the form checks only what it must to send them (a
 * number that is not one); the ranges are the server's to judge, and its `InvalidTaskInput`
 * problems at `options.*` are shown beside these fields.
 */
export interface StartOptionValues {
  delaySeconds: string;
  priority: string;
}

export type StartOptionField = keyof StartOptionValues;

export const emptyStartOptions: StartOptionValues = { delaySeconds: '', priority: '' };

/** GraphQL's Int is 32 bits: a longer delay (about 25 days and more) is sent as a moment (runAt). */
const maxInt = 2 ** 31 - 1;

export type BuiltStartOptions = { ok: true; options: StartTaskOptions | null } | { ok: false; problems: InputProblem[] };

export function buildStartOptions(values: StartOptionValues, now: () => number = Date.now): BuiltStartOptions {
  const problems: InputProblem[] = [];
  const options: StartTaskOptions = {};
  const delay = values.delaySeconds.trim();
  if (delay !== '') {
    const seconds = Number(delay);
    if (!Number.isFinite(seconds)) problems.push({ path: 'options.delayMs', message: 'Enter a number of seconds.' });
    else {
      const delayMs = Math.round(seconds * 1_000);
      if (delayMs <= maxInt) options.delayMs = delayMs;
      else options.runAt = new Date(now() + delayMs).toISOString();
    }
  }
  const priority = values.priority.trim();
  if (priority !== '') {
    const value = Number(priority);
    if (!Number.isInteger(value) || Math.abs(value) > maxInt) problems.push({ path: 'options.priority', message: 'Enter a whole number.' });
    else options.priority = value;
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, options: Object.keys(options).length > 0 ? options : null };
}

/** Whether a problem is about the options rather than the input (its path starts with `options`). */
export function isOptionProblem(path: string): boolean {
  return path === 'options' || path.startsWith('options.');
}

/** Which option field a problem is about: `options.delayMs` and `options.runAt` (and both at once) are the delay. */
export function optionOfProblem(path: string): StartOptionField | null {
  if (path === 'options.priority') return 'priority';
  return isOptionProblem(path) ? 'delaySeconds' : null;
}
