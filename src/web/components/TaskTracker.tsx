import { isFinished, trackerOrder, type TrackedExecution } from '../state/executions.js';
import { hasContracts, statusWords, type PageState } from '../state/page-state.js';
import type { PageStore } from '../state/page-store.js';
import { formatDuration, formatPercent, formatTime } from './format.js';

/** Finished executions shown below the running and queued ones. */
const finishedShown = 12;

/** The left panel: running, queued and finished executions of every task, live. */
export function TaskTracker({ store, state }: { store: PageStore; state: PageState }) {
  const all = [...state.executions.values()].sort(trackerOrder);
  const active = all.filter((execution) => !isFinished(execution.status));
  const finished = all.filter((execution) => isFinished(execution.status)).slice(0, finishedShown);
  return (
    <section class="tracker" aria-labelledby="tracker-title">
      <h2 id="tracker-title">Task tracker</h2>
      <h3 class="tracker-heading">
        Running and queued <span class="count-pill">{active.length}</span>
      </h3>
      {active.length === 0 ? (
        <p class="empty">
          Nothing is running. {hasContracts(state) ? 'Start processing a contract group, or start a task,' : 'Start a task'} to see it here.
        </p>
      ) : (
        <ul class="executions" aria-label="Running and queued executions">
          {active.map((execution) => (
            <ExecutionItem key={execution.id} execution={execution} store={store} stopping={state.stopping.has(execution.id)} />
          ))}
        </ul>
      )}
      <h3 class="tracker-heading">Finished</h3>
      {finished.length === 0 ? (
        <p class="empty">No finished executions yet.</p>
      ) : (
        <ul class="executions" aria-label="Finished executions">
          {finished.map((execution) => (
            <ExecutionItem key={execution.id} execution={execution} store={store} stopping={false} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ExecutionItem({ execution, store, stopping }: { execution: TrackedExecution; store: PageStore; stopping: boolean }) {
  const title = store.titleOf(execution);
  const titleId = `execution-${execution.id}-title`;
  const finished = isFinished(execution.status);
  const percent = formatPercent(execution.status === 'COMPLETED' ? 1 : execution.progress);
  const when = finished
    ? `Ended ${formatTime(execution.finishedAt)}${execution.startedAt ? ` · ${formatDuration(execution.startedAt, execution.finishedAt)}` : ''}`
    : execution.startedAt
      ? `Started ${formatTime(execution.startedAt)}`
      : `Queued ${formatTime(execution.queuedAt)}`;
  return (
    <li class={`execution status-${execution.status.toLowerCase()}`} aria-labelledby={titleId} data-execution-id={execution.id}>
      <div class="execution-head">
        <span class="execution-title" id={titleId}>
          {title}
        </span>
        <span class="status-badge">{statusWords[execution.status]}</span>
      </div>
      <div class="execution-meta">
        {/* Executions of a task without a group to name them after are told apart by their id. */}
        <span>{title === execution.taskName ? `Execution ${execution.id.slice(0, 8)}` : execution.taskName}</span>
        <span>{when}</span>
      </div>
      <div class="progress-row">
        <progress max={1} value={execution.status === 'COMPLETED' ? 1 : (execution.progress ?? 0)} aria-label={`Progress of ${title}`} />
        <span class="percent">{percent}</span>
      </div>
      {execution.status === 'QUEUED' && (
        <p class="queue-position">
          {execution.queuePosition ? `Waiting: number ${execution.queuePosition} in the queue` : 'Waiting for a run slot'}
        </p>
      )}
      {execution.latestFeedback && <p class="feedback-line">{execution.latestFeedback}</p>}
      {execution.error && execution.error !== execution.latestFeedback && <p class="execution-error">{execution.error}</p>}
      {!finished && (
        <button
          type="button"
          class="stop-button"
          onClick={() => void store.stopExecution(execution.id)}
          disabled={stopping}
          aria-label={`Stop ${title}`}
        >
          {stopping ? 'Stopping…' : 'Stop'}
        </button>
      )}
    </li>
  );
}
