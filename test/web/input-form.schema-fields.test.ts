import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildInput, fieldOfProblem, fieldsOf, initialValues, type InputField } from '../../src/web/state/input-form.js';
import { greeterInput } from '../support/greeter-task.js';

/**
 * The Start a task form is made from `Task.inputSchema`, which the server writes with zod 4's
 * `z.toJSONSchema` (input side, unrepresentable parts left open): these schemas are made the
 * same way, so the form is tested on what it will really be given.
 */
const schemaOf = (input: z.ZodType) => z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' });

const byName = (fields: InputField[]) => Object.fromEntries(fields.map((field) => [field.name, field]));

describe('the Start a task form, from a task input schema', () => {
  it('makes a field per property: text with lengths, a whole number with its range, a checkbox with its default', () => {
    const fields = byName(fieldsOf(schemaOf(greeterInput)));
    expect(fields.name).toMatchObject({ kind: 'text', required: true, maxLength: 40, hint: '1 to 40 characters', initial: '' });
    expect(fields.times).toMatchObject({ kind: 'number', integer: true, required: true, min: 1, max: 5, hint: 'A whole number from 1 to 5' });
    // A default makes a field optional on the input side.
    expect(fields.loud).toMatchObject({ kind: 'boolean', required: false, initial: false });
  });

  it('offers an enum as a choice, and falls back to JSON for nested objects, arrays and unions', () => {
    const schema = schemaOf(
      z.strictObject({
        colour: z.enum(['red', 'green']).default('green'),
        ratio: z.number().gt(0).lt(1).optional(),
        size: z.int(),
        tags: z.array(z.string()),
        nested: z.object({ a: z.number() }).optional(),
        either: z.union([z.string(), z.number()]),
        when: z.date().optional(),
      }),
    );
    const fields = byName(fieldsOf(schema));
    expect(fields.colour).toMatchObject({ kind: 'choice', options: ['red', 'green'], initial: '1', required: false });
    expect(fields.ratio).toMatchObject({ kind: 'number', integer: false, hint: 'A number more than 0, less than 1' });
    // zod bounds every integer by the safe range: that is not worth saying.
    expect(fields.size).toMatchObject({ kind: 'number', integer: true, min: null, max: null, hint: 'A whole number' });
    expect(fields.tags).toMatchObject({ kind: 'json', required: true, hint: 'As JSON (an array)' });
    expect(fields.nested).toMatchObject({ kind: 'json', required: false, hint: 'As JSON (an object)' });
    expect(fields.either).toMatchObject({ kind: 'json', hint: 'As JSON (string or number)' });
    expect(fields.when).toMatchObject({ kind: 'json', hint: 'As JSON' });
  });

  it('gives a schema that is not an object with properties one JSON field for the whole input', () => {
    for (const input of [z.array(z.number()), z.string(), z.record(z.string(), z.number()), z.any()]) {
      const fields = fieldsOf(schemaOf(input));
      expect(fields).toHaveLength(1);
      expect(fields[0]).toMatchObject({ kind: 'json', name: '' });
    }
    expect(fieldsOf({})).toMatchObject([{ kind: 'json', name: '' }]);
    expect(fieldsOf(schemaOf(z.strictObject({})))).toEqual([]);
  });

  it('builds the input: numbers as numbers, JSON parsed, empty optional fields left out', () => {
    const fields = fieldsOf(
      schemaOf(z.strictObject({ name: z.string(), note: z.string().optional(), times: z.int().optional(), tags: z.array(z.string()), loud: z.boolean() })),
    );
    const values = { ...initialValues(fields), name: 'Ada', times: ' 3 ', tags: '["a", "b"]', loud: true };
    expect(buildInput(fields, values)).toEqual({ ok: true, input: { name: 'Ada', times: 3, tags: ['a', 'b'], loud: true } });
    // An empty required text is sent as it is: the server says what it wants instead.
    expect(buildInput(fields, { ...values, name: '' })).toEqual({ ok: true, input: { name: '', times: 3, tags: ['a', 'b'], loud: true } });
    const whole = fieldsOf(schemaOf(z.array(z.number())));
    expect(buildInput(whole, { '': '[1, 2]' })).toEqual({ ok: true, input: [1, 2] });
    expect(buildInput(whole, { '': '' })).toEqual({ ok: true, input: undefined });
  });

  it('says what it cannot send: a number that is not one, JSON that does not parse, a required choice not made', () => {
    const fields = fieldsOf(schemaOf(z.strictObject({ times: z.int(), tags: z.array(z.string()), colour: z.enum(['red', 'green']) })));
    const built = buildInput(fields, { times: '', tags: '[1,', colour: '' });
    expect(built.ok).toBe(false);
    expect(!built.ok && built.problems.map((problem) => [problem.path, problem.message.split(':')[0]])).toEqual([
      ['times', 'Enter a number.'],
      ['tags', 'Not valid JSON'],
      ['colour', 'Choose one.'],
    ]);
  });

  it("puts each of the server's problems beside the field it is about", () => {
    const fields = fieldsOf(schemaOf(z.strictObject({ name: z.string(), items: z.array(z.object({ id: z.string() })) })));
    expect(fieldOfProblem(fields, 'name')?.name).toBe('name');
    expect(fieldOfProblem(fields, 'items.0.id')?.name).toBe('items');
    // An unknown field, or the input as a whole: said only in the form's message.
    expect(fieldOfProblem(fields, 'colour')).toBeNull();
    expect(fieldOfProblem(fields, '')).toBeNull();
    const whole = fieldsOf(schemaOf(z.array(z.number())));
    expect(fieldOfProblem(whole, '0')).toBe(whole[0]);
  });
});
