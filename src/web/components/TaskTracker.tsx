import { isFinished, isRetryable, trackerOrder, type TrackedExecution } from '../state/executions.js';
import { hasContracts, statusWords, type Notice, type PageState } from '../state/page-state.js';
import type { PageStore } from '../state/page-store.js';
import { formatDuration, formatPercent, formatTime, shortId, waitingFor } from './format.js';

/** Finished executions shown below the running and queued ones. */
const finishedShown = 12;

/** The left panel: running, queued, scheduled and finished executions of every task, live. */
export function TaskTracker({ store, state }: { store: PageStore; state: PageState }) {
  const all = [...state.executions.values()].sort(trackerOrder);
  const active = all.filter((execution) => !isFinished(execution.status));
  const finished = all.filter((execution) => isFinished(execution.status)).slice(0, finishedShown);
  // Which execution retries which (the Retry button's new executions name theirs in retryOf).
  const retriedBy = new Map(all.filter((execution) => execution.retryOf).map((execution) => [execution.retryOf!, execution.id]));
  return (
    <section class="tracker" aria-labelledby="tracker-title">
      <h2 id="tracker-title">Task tracker</h2>
      <h3 class="tracker-heading">
        Running and waiting <span class="count-pill">{active.length}</span>
      </h3>
      {active.length === 0 ? (
        <p class="empty">
          Nothing is running. {hasContracts(state) ? 'Start processing a contract group, or start a task,' : 'Start a task'} to see it here.
        </p>
      ) : (
        <ul class="executions" aria-label="Running, queued and scheduled executions">
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
            <ExecutionItem
              key={execution.id}
              execution={execution}
              store={store}
              stopping={false}
              retrying={state.retrying.has(execution.id)}
              retriedAs={retriedBy.get(execution.id) ?? null}
              notice={state.executionNotices[execution.id] ?? null}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function ExecutionItem(props: {
  execution: TrackedExecution;
  store: PageStore;
  stopping: boolean;
  retrying?: boolean;
  /** The execution that retries this one, once there is one. */
  retriedAs?: string | null;
  notice?: Notice | null;
}) {
  const { execution, store, stopping, retrying = false, retriedAs = null, notice = null } = props;
  const title = store.titleOf(execution);
  const titleId = `execution-${execution.id}-title`;
  const finished = isFinished(execution.status);
  const percent = formatPercent(execution.status === 'COMPLETED' ? 1 : execution.progress);
  const waiting = waitingFor(execution);
  const when = finished
    ? `Ended ${formatTime(execution.finishedAt)}${execution.startedAt ? ` · ${formatDuration(execution.startedAt, execution.finishedAt)}` : ''}`
    : execution.status === 'SCHEDULED'
      ? `Created ${formatTime(execution.queuedAt)}`
      : execution.startedAt
        ? `Started ${formatTime(execution.startedAt)}`
        : `Queued ${formatTime(execution.queuedAt)}`;
  // Executions of a task without a group to name them after are told apart by their id.
  const name = title === execution.taskName ? `Execution ${shortId(execution.id)}` : execution.taskName;
  const retries = execution.maxAttempts > 1;
  // While an execution retries, its error is the last failed attempt's; once it ended, its own.
  const error =
    execution.error && execution.error !== execution.latestFeedback
      ? !finished && execution.failedAttempts > 0
        ? `Attempt ${execution.failedAttempts} failed: ${execution.error}`
        : execution.error
      : null;
  return (
    <li class={`execution status-${execution.status.toLowerCase()}`} aria-labelledby={titleId} data-execution-id={execution.id}>
      <div class="execution-head">
        <span class="execution-title" id={titleId}>
          {title}
        </span>
        <span class="status-badge">{statusWords[execution.status]}</span>
      </div>
      <div class="execution-meta">
        <span>
          {name}
          {execution.priority !== 0 && ` · priority ${execution.priority}`}
        </span>
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
      {waiting && (
        <p class="waiting-for">
          {waiting.words} <time dateTime={waiting.at}>{formatTime(waiting.at)}</time>
        </p>
      )}
      {retries && !finished && execution.status !== 'SCHEDULED' && execution.failedAttempts > 0 && (
        <p class="attempt-line">{`Attempt ${execution.failedAttempts + 1} of ${execution.maxAttempts}`}</p>
      )}
      {finished && execution.failedAttempts > 1 && <p class="attempt-line">{`After ${execution.failedAttempts} failed attempts`}</p>}
      {execution.retryOf && <p class="attempt-line">Retry of execution {shortId(execution.retryOf)}</p>}
      {/* A retry's wait is said above in the page's words: the server's note of it would repeat it. */}
      {execution.latestFeedback && !(waiting && execution.nextAttemptAt && execution.feedbackIsNote) && (
        <p class="feedback-line">{execution.latestFeedback}</p>
      )}
      {error && <p class="execution-error">{error}</p>}
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
      {isRetryable(execution.status) &&
        (retriedAs ? (
          <p class="attempt-line">Retried as execution {shortId(retriedAs)}</p>
        ) : (
          <button
            type="button"
            class="retry-button"
            onClick={() => void store.retryExecution(execution.id)}
            aria-disabled={retrying}
            aria-label={`Retry ${title}`}
          >
            {retrying ? 'Retrying…' : 'Retry'}
          </button>
        ))}
      {/* In the page before a refusal is written into it, so screen readers announce it. */}
      {isRetryable(execution.status) && (
        <div class="notice-region" aria-live="polite" role="status">
          {notice && <p class={`notice notice-${notice.kind}`}>{notice.text}</p>}
        </div>
      )}
    </li>
  );
}
