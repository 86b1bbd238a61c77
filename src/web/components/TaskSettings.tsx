import { useEffect, useState } from 'preact/hooks';
import type { TaskSettingsFragment } from '../generated/graphql.js';
import type { ActionOutcome, PageState } from '../state/page-state.js';
import type { PageStore } from '../state/page-store.js';
import { plural } from './format.js';

/** The limits of each task, changed at run time with configureTask. */
export function TaskSettings({ store, state }: { store: PageStore; state: PageState }) {
  return (
    <section class="panel" aria-labelledby="settings-title">
      <div class="section-head">
        <h2 id="settings-title">Task settings</h2>
        <p class="section-hint">Limits apply to new starts and to the next execution that gets a run slot.</p>
      </div>
      <div class="settings-grid">
        {state.tasks.map((task) => (
          <TaskLimitsForm key={task.name} task={task} store={store} />
        ))}
      </div>
    </section>
  );
}

type Limits = { maxConcurrentExecutions: string; maxQueueLength: string; timeoutMinutes: string };

const fields: Array<{ key: keyof Limits; label: string; hint: string }> = [
  { key: 'maxConcurrentExecutions', label: 'Max concurrent executions', hint: 'Executions of this task that run at the same time.' },
  { key: 'maxQueueLength', label: 'Max queue length', hint: 'Executions that may wait; a start beyond it is refused (Queue Full).' },
  { key: 'timeoutMinutes', label: 'Timeout in minutes', hint: 'Counted from the start of running; fractions allowed.' },
];

function limitsOf(task: TaskSettingsFragment): Limits {
  return {
    maxConcurrentExecutions: String(task.maxConcurrentExecutions),
    maxQueueLength: String(task.maxQueueLength),
    timeoutMinutes: String(task.timeoutMinutes),
  };
}

function TaskLimitsForm({ task, store }: { task: TaskSettingsFragment; store: PageStore }) {
  const [values, setValues] = useState<Limits>(() => limitsOf(task));
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const id = `task-${task.name}`;

  // Follow the server's values until the user starts editing.
  useEffect(() => {
    if (!dirty) setValues(limitsOf(task));
  }, [task.maxConcurrentExecutions, task.maxQueueLength, task.timeoutMinutes, dirty]);

  async function submit(event: Event) {
    event.preventDefault();
    const numbers = {
      maxConcurrentExecutions: Number(values.maxConcurrentExecutions),
      maxQueueLength: Number(values.maxQueueLength),
      timeoutMinutes: Number(values.timeoutMinutes),
    };
    const notNumbers = fields.filter((field) => values[field.key].trim() === '' || !Number.isFinite(numbers[field.key]));
    if (notNumbers.length > 0) {
      setOutcome({
        ok: false,
        message: 'Each limit needs a number.',
        problems: notNumbers.map((field) => ({ path: field.key, message: 'enter a number' })),
      });
      return;
    }
    setSaving(true);
    const result = await store.configureTask(task.name, numbers);
    setSaving(false);
    setOutcome(result);
    if (result.ok) setDirty(false);
  }

  return (
    <form class="card task-card" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${id}-name`}>
      <div class="group-head">
        <h3 id={`${id}-name`}>{task.name}</h3>
        <span class="client-count">
          {task.runningCount} running · {plural(task.queuedCount, 'waiting', 'waiting')}
          {task.scheduledCount > 0 && ` · ${plural(task.scheduledCount, 'scheduled', 'scheduled')}`}
        </span>
      </div>
      <p class="section-hint">{task.description}</p>
      <div class="limit-fields">
        {fields.map((field) => {
          const problem = outcome && !outcome.ok ? outcome.problems.find((p) => p.path === field.key) : undefined;
          const inputId = `${id}-${field.key}`;
          return (
            <div class="limit-field" key={field.key}>
              <label for={inputId}>{field.label}</label>
              <input
                id={inputId}
                type="number"
                inputMode="decimal"
                value={values[field.key]}
                onInput={(event) => {
                  const value = event.currentTarget.value;
                  setValues((current) => ({ ...current, [field.key]: value }));
                  setDirty(true);
                }}
                aria-invalid={problem ? true : undefined}
                aria-describedby={`${inputId}-hint${problem ? ` ${inputId}-problem` : ''}`}
              />
              <p id={`${inputId}-hint`} class="field-hint">
                {field.hint}
              </p>
              {problem && (
                <p id={`${inputId}-problem`} class="field-problem">
                  {problem.message}
                </p>
              )}
            </div>
          );
        })}
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save limits'}
        </button>
        {dirty && (
          <button
            type="button"
            onClick={() => {
              setDirty(false);
              setOutcome(null);
            }}
          >
            Undo changes
          </button>
        )}
      </div>
      <div class="notice-region" aria-live="polite" role="status">
        {outcome && <p class={`notice notice-${outcome.ok ? 'info' : 'error'}`}>{outcome.message}</p>}
      </div>
    </form>
  );
}
