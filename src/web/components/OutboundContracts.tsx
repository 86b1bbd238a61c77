import { useState } from 'preact/hooks';
import type { Credentials } from '../api/credentials.js';
import { downloadWithToken } from '../api/download.js';
import { isFinished } from '../state/executions.js';
import { contractTask, statusWords, type PageState } from '../state/page-state.js';
import type { PageStore } from '../state/page-store.js';
import { formatBytes, formatTime, plural, shortId } from './format.js';

/**
 * The generated contracts, newest first, filterable by the execution that made them. Each PDF is
 * a plain download link; with an API token its click fetches the file with the token instead
 * (a link cannot send the header), and a failed download is said under the table.
 */
export function OutboundContracts({ store, state, credentials }: { store: PageStore; state: PageState; credentials: Credentials }) {
  const { rows, totalCount, executionId } = state.contracts;
  const [downloading, setDownloading] = useState<string | null>(null);
  const [downloadProblem, setDownloadProblem] = useState<string | null>(null);

  async function download(contract: { id: string; fileName: string; downloadUrl: string }) {
    if (downloading === contract.id) return;
    setDownloading(contract.id);
    setDownloadProblem(null);
    try {
      await downloadWithToken(contract.downloadUrl, contract.fileName, credentials);
    } catch (error) {
      setDownloadProblem(`${contract.fileName} was not downloaded. ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setDownloading(null);
    }
  }

  const runs = [...state.executions.values()]
    .filter((execution) => execution.taskName === contractTask)
    .sort((a, b) => b.queuedAt.localeCompare(a.queuedAt));
  // The chosen execution stays an option even when it has scrolled out of the tracker.
  const choices = executionId && !runs.some((run) => run.id === executionId) ? [executionId] : [];
  return (
    <section class="panel" aria-labelledby="contracts-title">
      <div class="section-head with-control">
        <div>
          <h2 id="contracts-title">Outbound contracts</h2>
          <p class="section-hint">
            {plural(totalCount, 'contract')}
            {executionId ? ' from the chosen execution' : ' in total'}, newest first.
          </p>
        </div>
        <div class="inline-field">
          <label for="contracts-execution">Filter by execution</label>
          <select
            id="contracts-execution"
            value={executionId ?? ''}
            onChange={(event) => store.filterContracts(event.currentTarget.value || null)}
          >
            <option value="">All executions</option>
            {runs.map((run) => (
              <option key={run.id} value={run.id}>
                {store.groupName(run.groupId) ?? shortId(run.id)} · {formatTime(run.queuedAt)} · {statusWords[run.status]}
                {isFinished(run.status) ? '' : '…'}
              </option>
            ))}
            {choices.map((id) => (
              <option key={id} value={id}>
                Execution {shortId(id)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {rows.length === 0 ? (
        <p class="empty">{state.loaded ? 'No contracts yet. Start processing a group to create some.' : 'Loading…'}</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Outbound contracts table">
          <table class="contracts">
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Group</th>
                <th scope="col">Created</th>
                <th scope="col" class="numeric">Size</th>
                <th scope="col">PDF</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((contract) => (
                <tr key={contract.id}>
                  <td>{contract.client.name}</td>
                  <td>{contract.group.name}</td>
                  <td>{formatTime(contract.createdAt)}</td>
                  <td class="numeric">{formatBytes(contract.sizeBytes)}</td>
                  <td>
                    <a
                      href={contract.downloadUrl}
                      download={contract.fileName}
                      class="download"
                      aria-busy={downloading === contract.id ? true : undefined}
                      onClick={(event) => {
                        // Without a token (a server that runs open) the link works as it is.
                        if (!credentials.token) return;
                        event.preventDefault();
                        void download(contract);
                      }}
                    >
                      {downloading === contract.id ? 'Downloading…' : 'Download'}
                      <span class="visually-hidden"> {contract.fileName}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length < totalCount && rows.length > 0 && (
        <button type="button" class="more" onClick={() => store.showMoreContracts()}>
          Show more ({plural(totalCount - rows.length, 'more contract')})
        </button>
      )}
      <div class="notice-region" aria-live="polite" role="status">
        {downloadProblem && <p class="notice notice-error">{downloadProblem}</p>}
      </div>
    </section>
  );
}
