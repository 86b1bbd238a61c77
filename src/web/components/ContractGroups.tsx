import { useState } from 'preact/hooks';
import type { GroupCardFragment } from '../generated/graphql.js';
import type { ActionOutcome, Notice, PageState } from '../state/page-state.js';
import type { PageStore } from '../state/page-store.js';
import { plural } from './format.js';

const placeholders = '{{name}}, {{email}}, {{address}} and {{date}}';

/** Main panel: each contract group with its template and a Start processing button. */
export function ContractGroups({ store, state }: { store: PageStore; state: PageState }) {
  return (
    <section class="panel" aria-labelledby="groups-title">
      <div class="section-head">
        <h2 id="groups-title">Contract groups</h2>
        <p class="section-hint">Starting a group renders a personalised PDF contract for each of its clients in the background.</p>
      </div>
      {state.groups.length === 0 && state.loaded && <p class="empty">There are no contract groups yet.</p>}
      <div class="group-grid">
        {state.groups.map((group) => (
          <GroupCard key={group.id} group={group} store={store} notice={state.groupNotices[group.id]} />
        ))}
      </div>
    </section>
  );
}

function GroupCard({ group, store, notice }: { group: GroupCardFragment; store: PageStore; notice: Notice | undefined }) {
  const [editing, setEditing] = useState(false);
  const [starting, setStarting] = useState(false);
  const nameId = `group-${group.id}-name`;
  const noticeId = `group-${group.id}-notice`;
  const editorId = `group-${group.id}-editor`;

  async function start() {
    setStarting(true);
    try {
      await store.startProcessing(group);
    } finally {
      setStarting(false);
    }
  }

  return (
    <article class={`card group-card${editing ? ' editing' : ''}`} aria-labelledby={nameId}>
      <header class="group-head">
        <h3 id={nameId}>{group.name}</h3>
        <span class="client-count">{plural(group.clientCount, 'client')}</span>
      </header>
      <div class="template">
        <div class="template-head">
          <p class="template-label">
            Template <span class="version">v{group.template.version}</span>
          </p>
          <button
            type="button"
            class="small"
            aria-expanded={editing}
            aria-controls={editorId}
            aria-label={editing ? `Close the template editor of ${group.name}` : `Edit the template of ${group.name}`}
            onClick={() => setEditing(!editing)}
          >
            {editing ? 'Close' : 'Edit'}
          </button>
        </div>
        <p class="template-title">{group.template.title}</p>
        <p class="template-body">{group.template.body}</p>
      </div>
      {editing && <TemplateEditor id={editorId} group={group} save={(title, body) => store.saveTemplate(group.id, title, body)} />}
      <div class="actions">
        {/* aria-disabled, not disabled: a disabled button would drop the keyboard focus. */}
        <button
          type="button"
          class="primary"
          onClick={() => {
            if (!starting) void start();
          }}
          aria-describedby={noticeId}
          aria-disabled={starting}
        >
          {starting ? 'Starting…' : 'Start processing'}
        </button>
      </div>
      {/* Always in the page, so screen readers announce what is written into it. */}
      <div id={noticeId} class="notice-region" aria-live="polite" role="status">
        {notice && (
          <p key={notice.id} class={`notice notice-${notice.kind}`}>
            {notice.text}
          </p>
        )}
      </div>
    </article>
  );
}

function TemplateEditor(props: { id: string; group: GroupCardFragment; save: (title: string, body: string) => Promise<ActionOutcome> }) {
  const { id, group } = props;
  const [title, setTitle] = useState(group.template.title);
  const [body, setBody] = useState(group.template.body);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const problemFor = (field: string) => (outcome && !outcome.ok ? outcome.problems.find((problem) => problem.path === field) : undefined);

  async function submit(event: Event) {
    event.preventDefault();
    setSaving(true);
    setOutcome(await props.save(title, body));
    setSaving(false);
  }

  const titleProblem = problemFor('title');
  const bodyProblem = problemFor('body');
  return (
    <form id={id} class="template-editor" onSubmit={(event) => void submit(event)} noValidate aria-label={`Template of ${group.name}`}>
      <label for={`${id}-title`}>Title</label>
      <input
        id={`${id}-title`}
        value={title}
        onInput={(event) => setTitle(event.currentTarget.value)}
        aria-invalid={titleProblem ? true : undefined}
        aria-describedby={titleProblem ? `${id}-title-problem` : undefined}
      />
      {titleProblem && (
        <p id={`${id}-title-problem`} class="field-problem">
          {titleProblem.message}
        </p>
      )}
      <label for={`${id}-body`}>Body</label>
      <textarea
        id={`${id}-body`}
        rows={9}
        value={body}
        onInput={(event) => setBody(event.currentTarget.value)}
        aria-invalid={bodyProblem ? true : undefined}
        aria-describedby={`${id}-body-hint${bodyProblem ? ` ${id}-body-problem` : ''}`}
      />
      <p id={`${id}-body-hint`} class="field-hint">
        Placeholders: {placeholders}. Executions already started keep the template they started with.
      </p>
      {bodyProblem && (
        <p id={`${id}-body-problem`} class="field-problem">
          {bodyProblem.message}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save template'}
        </button>
      </div>
      <div class="notice-region" aria-live="polite" role="status">
        {outcome && <p class={`notice notice-${outcome.ok ? 'info' : 'error'}`}>{outcome.message}</p>}
      </div>
    </form>
  );
}
