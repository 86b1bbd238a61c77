import { useMemo, useState } from 'preact/hooks';
import { buildInput, fieldOfProblem, fieldsOf, initialValues, type FieldValue, type InputField } from '../state/input-form.js';
import type { ActionOutcome, PageState, StartableTask } from '../state/page-state.js';
import type { PageStore } from '../state/page-store.js';
import {
  buildStartOptions,
  emptyStartOptions,
  isOptionProblem,
  optionOfProblem,
  type StartOptionField,
  type StartOptionValues,
} from '../state/start-options.js';

/** Any registered task, started with an input filled in on a form made from its input schema. */
export function StartTask({ store, state }: { store: PageStore; state: PageState }) {
  const tasks = state.startable;
  const [chosen, setChosen] = useState<string | null>(null);
  const task = tasks.find((candidate) => candidate.name === chosen) ?? tasks[0];
  return (
    <section class="panel" aria-labelledby="start-title">
      <div class="section-head">
        <h2 id="start-title">Start a task</h2>
        <p class="section-hint">
          Pick a task and fill in its input; start it now or later. The server checks every start and says what it refused.
        </p>
      </div>
      {!task ? (
        <p class="empty">{state.loaded ? 'This server has no tasks.' : 'Loading…'}</p>
      ) : (
        <>
          <div class="stacked-field">
            <label for="start-task">Task</label>
            <select id="start-task" value={task.name} onChange={(event) => setChosen(event.currentTarget.value)} aria-describedby="start-task-description">
              {tasks.map((candidate) => (
                <option key={candidate.name} value={candidate.name}>
                  {candidate.name}
                </option>
              ))}
            </select>
            <p id="start-task-description" class="field-hint">
              {task.description}
            </p>
          </div>
          {/* A form of its own per task (and per schema: a restarted server may have changed it). */}
          <TaskInputForm key={`${task.name} ${JSON.stringify(task.inputSchema)}`} task={task} store={store} />
        </>
      )}
    </section>
  );
}

function TaskInputForm({ task, store }: { task: StartableTask; store: PageStore }) {
  const fields = useMemo(() => fieldsOf(task.inputSchema), [task.inputSchema]);
  const [values, setValues] = useState<Record<string, FieldValue>>(() => initialValues(fields));
  const [options, setOptions] = useState<StartOptionValues>(emptyStartOptions);
  const [starting, setStarting] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    if (starting) return;
    const built = buildInput(fields, values);
    const builtOptions = buildStartOptions(options);
    if (!built.ok || !builtOptions.ok) {
      const problems = [...(built.ok ? [] : built.problems), ...(builtOptions.ok ? [] : builtOptions.problems)];
      setOutcome({ ok: false, message: 'Not started. Check the fields marked below.', problems });
      return;
    }
    setStarting(true);
    try {
      setOutcome(await store.startTask(task.name, built.input, builtOptions.options));
    } finally {
      setStarting(false);
    }
  }

  const problems = outcome && !outcome.ok ? outcome.problems : [];
  const problemsOf = (field: InputField) =>
    problems.filter((problem) => !isOptionProblem(problem.path) && fieldOfProblem(fields, problem.path) === field);
  const optionProblems = (option: StartOptionField) =>
    problems.filter((problem) => optionOfProblem(problem.path) === option).map((problem) => problem.message);
  const option = (key: StartOptionField) => ({
    value: options[key],
    problems: optionProblems(key),
    onChange: (value: string) => setOptions((current) => ({ ...current, [key]: value })),
  });
  return (
    <form class="start-form" onSubmit={(event) => void submit(event)} noValidate aria-label={`Input of ${task.name}`}>
      {/* Before the input, so the last input field still leads straight to the Start button. */}
      <fieldset class="start-options">
        <legend>When it runs</legend>
        <div class="option-fields">
          <OptionInput
            id="start-option-delay"
            label="Start in (seconds)"
            hint="Empty or 0: now. Until then it is scheduled and holds no queue place."
            step="any"
            min={0}
            {...option('delaySeconds')}
          />
          <OptionInput
            id="start-option-priority"
            label="Priority"
            hint="From -1000 to 1000, default 0: higher runs first among those waiting."
            step={1}
            min={-1000}
            max={1000}
            {...option('priority')}
          />
        </div>
      </fieldset>
      {fields.length === 0 && <p class="field-hint">This task takes no input.</p>}
      {fields.map((field, index) => (
        <FieldInput
          key={field.name}
          id={`start-field-${index}`}
          field={field}
          value={values[field.name] ?? field.initial}
          problems={problemsOf(field).map((problem) => problem.message)}
          onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
        />
      ))}
      <div class="actions">
        {/* aria-disabled, not disabled: a disabled button would drop the keyboard focus. */}
        <button type="submit" class="primary" aria-disabled={starting}>
          {starting ? 'Starting…' : `Start ${task.name}`}
        </button>
      </div>
      {/* Always in the page, so screen readers announce what is written into it. */}
      <div class="notice-region" aria-live="polite" role="status">
        {outcome && <p class={`notice notice-${outcome.ok ? 'info' : 'error'}`}>{outcome.message}</p>}
      </div>
    </form>
  );
}

/** A number field of the options, labelled and described like the input's fields. */
function OptionInput(props: {
  id: string;
  label: string;
  hint: string;
  value: string;
  problems: string[];
  step: number | 'any';
  min?: number;
  max?: number;
  onChange: (value: string) => void;
}) {
  const { id, label, hint, value, problems, onChange } = props;
  const problemId = problems.length > 0 ? `${id}-problem` : null;
  return (
    <div class="stacked-field">
      <label for={id}>
        {label}
        <span class="optional"> (optional)</span>
      </label>
      <input
        id={id}
        type="number"
        inputMode={props.step === 'any' ? 'decimal' : 'numeric'}
        step={props.step}
        min={props.min}
        max={props.max}
        value={value}
        aria-invalid={problemId ? true : undefined}
        aria-describedby={[`${id}-hint`, problemId].filter(Boolean).join(' ')}
        onInput={(event) => onChange(event.currentTarget.value)}
      />
      <p id={`${id}-hint`} class="field-hint">
        {hint}
      </p>
      {problemId && (
        <p id={problemId} class="field-problem">
          {problems.join(' ')}
        </p>
      )}
    </div>
  );
}

function FieldInput(props: { id: string; field: InputField; value: FieldValue; problems: string[]; onChange: (value: FieldValue) => void }) {
  const { id, field, value, problems, onChange } = props;
  const label = field.name === '' ? 'Input' : field.name;
  const hintId = field.hint ? `${id}-hint` : null;
  const problemId = problems.length > 0 ? `${id}-problem` : null;
  const common = {
    id,
    'aria-invalid': problems.length > 0 ? true : undefined,
    'aria-describedby': [hintId, problemId].filter(Boolean).join(' ') || undefined,
  };
  const text = typeof value === 'string' ? value : '';
  const onText = (event: { currentTarget: { value: string } }) => onChange(event.currentTarget.value);

  let control;
  switch (field.kind) {
    case 'boolean':
      control = <input {...common} type="checkbox" checked={value === true} onChange={(event) => onChange(event.currentTarget.checked)} />;
      break;
    case 'text':
      control = <input {...common} type="text" value={text} maxLength={field.maxLength ?? undefined} required={field.required} onInput={onText} />;
      break;
    case 'number':
      control = (
        <input
          {...common}
          type="number"
          inputMode={field.integer ? 'numeric' : 'decimal'}
          step={field.integer ? 1 : 'any'}
          min={field.min ?? undefined}
          max={field.max ?? undefined}
          value={text}
          required={field.required}
          onInput={onText}
        />
      );
      break;
    case 'choice':
      control = (
        <select {...common} value={text} required={field.required} onChange={onText}>
          {(!field.required || text === '') && <option value="">{field.required ? 'Choose…' : '(none)'}</option>}
          {field.options.map((option, index) => (
            <option key={index} value={String(index)}>
              {typeof option === 'string' ? option : JSON.stringify(option)}
            </option>
          ))}
        </select>
      );
      break;
    case 'json':
      control = <textarea {...common} class="json-input" rows={field.name === '' ? 6 : 3} spellcheck={false} value={text} required={field.required} onInput={onText} />;
      break;
  }

  const labelText = (
    <label for={id}>
      {label}
      {!field.required && field.kind !== 'boolean' && <span class="optional"> (optional)</span>}
    </label>
  );
  return (
    <div class={`stacked-field${field.kind === 'boolean' ? ' check-field' : ''}`}>
      {field.kind === 'boolean' ? (
        <div class="check-row">
          {control}
          {labelText}
        </div>
      ) : (
        <>
          {labelText}
          {control}
        </>
      )}
      {hintId && (
        <p id={hintId} class="field-hint">
          {field.hint}
        </p>
      )}
      {problemId && (
        <p id={problemId} class="field-problem">
          {problems.join(' ')}
        </p>
      )}
    </div>
  );
}
