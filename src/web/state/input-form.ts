/**
 * A form for a task's input, made from its `Task.inputSchema` (JSON Schema draft 2020-12, as zod
 * 4's `z.toJSONSchema` writes it). An object's properties become fields: strings (an `enum` or
 * `const` a choice), numbers and integers, booleans; anything else (nested objects, arrays,
 * unions, `$ref`s) a JSON text area. A schema that is not an object with properties is one JSON
 * field for the whole input. The form checks only what it must to build the input (a number that
 * is not one, JSON that does not parse); lengths, ranges and the rest are the server's to judge,
 * and its `InvalidTaskInput` problems are shown beside the fields they name.
 */

type Schema = Record<string, unknown>;
type Primitive = string | number | boolean | null;

interface FieldBase {
  /** The property name: the input's key and the `path` of the server's problems; '' for the whole input. */
  name: string;
  required: boolean;
  /** What the field expects, in words (lengths, ranges, the schema's description). */
  hint: string;
}

export type InputField =
  | (FieldBase & { kind: 'text'; maxLength: number | null; initial: string })
  | (FieldBase & { kind: 'number'; integer: boolean; min: number | null; max: number | null; initial: string })
  | (FieldBase & { kind: 'boolean'; initial: boolean })
  | (FieldBase & { kind: 'choice'; options: Primitive[]; initial: string })
  | (FieldBase & { kind: 'json'; initial: string });

/** A field's value as the form holds it: text (a choice: its option's index) or a checkbox state. */
export type FieldValue = string | boolean;

export interface InputProblem {
  path: string;
  message: string;
}

export type BuiltInput = { ok: true; input: unknown } | { ok: false; problems: InputProblem[] };

/** Integers zod bounds by the safe range only: not worth saying. */
const unsaid = Number.MAX_SAFE_INTEGER;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < unsaid ? value : null;
}

function isPrimitive(value: unknown): value is Primitive {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** The fields of `schema`'s form. */
export function fieldsOf(schema: unknown): InputField[] {
  if (!isSchema(schema) || schema.type !== 'object' || !isSchema(schema.properties)) {
    return [jsonField('', schema, true)];
  }
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((key) => typeof key === 'string') : []);
  return Object.entries(schema.properties).map(([name, property]) => fieldOf(name, property, required.has(name)));
}

function describe(property: Schema, said: string[]): string {
  const description = typeof property.description === 'string' ? property.description : '';
  return [...said, description].filter(Boolean).join('. ');
}

function fieldOf(name: string, property: unknown, required: boolean): InputField {
  if (!isSchema(property)) return jsonField(name, property, required);
  const fallback = property.default;
  const choices = Array.isArray(property.enum) ? property.enum : 'const' in property ? [property.const] : null;
  if (choices && choices.length > 0 && choices.every(isPrimitive)) {
    const index = choices.findIndex((choice) => choice === fallback);
    return { kind: 'choice', name, required, hint: describe(property, []), options: choices, initial: index >= 0 ? String(index) : '' };
  }
  switch (property.type) {
    case 'string': {
      const minLength = numberOf(property.minLength);
      const maxLength = numberOf(property.maxLength);
      const length =
        minLength && maxLength
          ? `${minLength} to ${maxLength} characters`
          : maxLength !== null
            ? `At most ${maxLength} characters`
            : minLength
              ? `At least ${minLength} ${minLength === 1 ? 'character' : 'characters'}`
              : '';
      return { kind: 'text', name, required, hint: describe(property, [length]), maxLength, initial: typeof fallback === 'string' ? fallback : '' };
    }
    case 'number':
    case 'integer': {
      const integer = property.type === 'integer';
      const min = numberOf(property.minimum);
      const max = numberOf(property.maximum);
      const above = numberOf(property.exclusiveMinimum);
      const below = numberOf(property.exclusiveMaximum);
      const range = [
        min !== null && max !== null ? `from ${min} to ${max}` : min !== null ? `at least ${min}` : max !== null ? `at most ${max}` : '',
        above !== null ? `more than ${above}` : '',
        below !== null ? `less than ${below}` : '',
      ].filter(Boolean);
      const said = range.length > 0 || integer ? `${integer ? 'A whole number' : 'A number'}${range.length ? ` ${range.join(', ')}` : ''}` : '';
      return {
        kind: 'number',
        name,
        required,
        hint: describe(property, [said]),
        integer,
        min: min ?? above,
        max: max ?? below,
        initial: typeof fallback === 'number' ? String(fallback) : '',
      };
    }
    case 'boolean':
      return { kind: 'boolean', name, required, hint: describe(property, []), initial: fallback === true };
    default:
      return jsonField(name, property, required);
  }
}

function jsonField(name: string, schema: unknown, required: boolean): InputField {
  const type = isSchema(schema) ? schema.type : undefined;
  const types = (Array.isArray(type) ? type : type === undefined ? [] : [type]).filter((entry): entry is string => typeof entry === 'string');
  const said = `As JSON${types.length ? ` (${types.map((entry) => (entry === 'array' || entry === 'object' || entry === 'integer' ? `an ${entry}` : entry)).join(' or ')})` : ''}`;
  const fallback = isSchema(schema) && 'default' in schema ? JSON.stringify(schema.default, null, 2) : '';
  return { kind: 'json', name, required, hint: isSchema(schema) ? describe(schema, [said]) : said, initial: fallback };
}

/** Each field's starting value: the schema's default, or empty. */
export function initialValues(fields: readonly InputField[]): Record<string, FieldValue> {
  return Object.fromEntries(fields.map((field) => [field.name, field.initial]));
}

/**
 * The input to send, from the form's values. An empty optional field is left out; an empty
 * required text is sent as it is, so the server says what it wants instead.
 */
export function buildInput(fields: readonly InputField[], values: Readonly<Record<string, FieldValue>>): BuiltInput {
  const problems: InputProblem[] = [];
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = values[field.name] ?? field.initial;
    const text = typeof raw === 'string' ? raw : '';
    const blank = text.trim() === '';
    let value: unknown;
    switch (field.kind) {
      case 'boolean':
        value = raw === true;
        break;
      case 'text':
        if (text === '' && !field.required) continue;
        value = text;
        break;
      case 'number':
        if (blank && !field.required) continue;
        value = Number(text);
        if (blank || !Number.isFinite(value)) {
          problems.push({ path: field.name, message: 'Enter a number.' });
          continue;
        }
        break;
      case 'choice':
        if (text === '') {
          if (field.required) problems.push({ path: field.name, message: 'Choose one.' });
          continue;
        }
        value = field.options[Number(text)];
        break;
      case 'json':
        if (blank) {
          // The whole input left empty: start without one, and the server says whether that will do.
          if (field.name === '') return problems.length ? { ok: false, problems } : { ok: true, input: undefined };
          if (field.required) problems.push({ path: field.name, message: 'Enter a JSON value.' });
          continue;
        }
        try {
          value = JSON.parse(text);
        } catch (error) {
          problems.push({ path: field.name, message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
          continue;
        }
        if (field.name === '') return { ok: true, input: value };
        break;
    }
    input[field.name] = value;
  }
  return problems.length ? { ok: false, problems } : { ok: true, input };
}

/**
 * Which field a problem of the server is about: the one its path names, or whose value it lies
 * inside (`items.0.name` is about the JSON field `items`); null when no field is (then it is said
 * with the form's message only).
 */
export function fieldOfProblem(fields: readonly InputField[], path: string): InputField | null {
  const whole = fields.find((field) => field.name === '');
  if (whole) return whole;
  const head = path.split('.')[0]!;
  return fields.find((field) => field.name === path || field.name === head) ?? null;
}
