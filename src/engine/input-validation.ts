import type { z } from 'zod';
import { InvalidTaskInputError, type AnyTaskDefinition, type InputProblem } from './task-definition.js';

export type ValidatedInput = { ok: true; snapshot: unknown } | { ok: false; problems: InputProblem[] };

/** How much input a start may carry; both are settings (MAX_TASK_INPUT_BYTES, MAX_TASK_INPUT_DEPTH). */
export interface InputLimits {
  maxBytes: number;
  /** Deepest nesting of objects and arrays; the input itself is level 1. */
  maxDepth: number;
}

/**
 * Validates a start's input against the task's schema and takes the snapshot. The shape checks
 * come first so an oversized input costs no parsing work, and the depth check before anything
 * recursive (JSON.stringify, the schema, structured clones) could overflow the stack on it.
 */
export async function validateInput(definition: AnyTaskDefinition, input: unknown, limits: InputLimits): Promise<ValidatedInput> {
  const depth = depthOf(input, limits.maxDepth);
  if (depth > limits.maxDepth) {
    return { ok: false, problems: [{ path: '', message: `input nests objects and arrays more than ${limits.maxDepth} levels deep` }] };
  }
  const maxBytes = limits.maxBytes;
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

/**
 * How deeply `value` nests objects and arrays (a scalar is 0), counted with an explicit stack so
 * any depth is safe to measure; it stops looking once it is past `limit`. Linear in the input.
 */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    deepest = Math.max(deepest, next.depth);
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(next.value) ? next.value : Object.values(next.value)) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: next.depth + 1 });
    }
  }
  return deepest;
}

/** One problem per offending field: zod reports all unknown keys of an object in one issue. */
function problemsOf(issue: z.core.$ZodIssue): InputProblem[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: `unknown field "${key}"` }));
  }
  return [{ path: path.join('.'), message: issue.message }];
}
