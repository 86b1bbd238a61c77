import type { z } from 'zod';
import { InvalidTaskInputError, type AnyTaskDefinition, type InputProblem } from './task-definition.js';

export type ValidatedInput = { ok: true; snapshot: unknown } | { ok: false; problems: InputProblem[] };

/**
 * Validates a start's input against the task's schema and takes the snapshot. The size check
 * comes first so an oversized input costs no parsing work.
 */
export async function validateInput(definition: AnyTaskDefinition, input: unknown, maxBytes: number): Promise<ValidatedInput> {
  const bytes = Buffer.byteLength(JSON.stringify(input ?? null));
  if (bytes > maxBytes) {
    return { ok: false, problems: [{ path: '', message: `input is ${bytes} bytes of JSON; the limit is ${maxBytes}` }] };
  }
  const parsed = definition.input.safeParse(input ?? undefined);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap(problemsOf) };
  try {
    const snapshot = definition.snapshot ? await definition.snapshot(parsed.data) : parsed.data;
    return { ok: true, snapshot };
  } catch (error) {
    if (error instanceof InvalidTaskInputError) return { ok: false, problems: error.problems };
    throw error;
  }
}

/** One problem per offending field: zod reports all unknown keys of an object in one issue. */
function problemsOf(issue: z.core.$ZodIssue): InputProblem[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: `unknown field "${key}"` }));
  }
  return [{ path: path.join('.'), message: issue.message }];
}
