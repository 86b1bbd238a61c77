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
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    };
  }
  try {
    const snapshot = definition.snapshot ? await definition.snapshot(parsed.data) : parsed.data;
    return { ok: true, snapshot: deepFreeze(structuredClone(snapshot)) };
  } catch (error) {
    if (error instanceof InvalidTaskInputError) return { ok: false, problems: error.problems };
    throw error;
  }
}

/** The snapshot must never change after start: freeze it so a flow cannot edit it by accident. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
