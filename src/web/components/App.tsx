import type { ConnectionState } from '../api/live-socket.js';
import type { PageStore } from '../state/page-store.js';
import { usePageState } from '../state/use-page-state.js';
import { ContractGroups } from './ContractGroups.js';
import { OutboundContracts } from './OutboundContracts.js';
import { TaskSettings } from './TaskSettings.js';
import { TaskTracker } from './TaskTracker.js';

const connectionWords: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

/** The Contract Manager: the example application of the async-task tutorial, live. */
export function App({ store }: { store: PageStore }) {
  const state = usePageState(store);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to contract groups
      </a>
      <header class="top-bar">
        <div class="brand">
          <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="7" fill="#2152cc" />
            <path d="M10 7h9l5 5v13a1 1 0 0 1-1 1H10a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z" fill="#fff" />
            <path d="M19 7v5h5" fill="#c9d6f5" />
            <path d="M12 16h8M12 19.5h8M12 23h5" stroke="#2152cc" stroke-width="1.8" stroke-linecap="round" />
          </svg>
          <div>
            <h1>Contract Manager</h1>
            <p class="tagline">Personalised PDF contracts, created in the background</p>
          </div>
        </div>
        <div class="top-actions">
          <p class={`connection connection-${state.connection}`} role="status" aria-live="polite">
            <span class="dot" aria-hidden="true" />
            {connectionWords[state.connection]}
          </p>
          <a class="top-link" href="/graphql">
            GraphiQL
          </a>
        </div>
      </header>
      <div class="layout">
        <aside class="tracker-panel" aria-label="Task tracker">
          <TaskTracker store={store} state={state} />
        </aside>
        <main id="main" tabIndex={-1}>
          <div class="problem-region" role="alert">
            {Object.entries(state.problems).map(([what, why]) => (
              <p class="problem" key={what}>
                {what}: {why}
              </p>
            ))}
          </div>
          <ContractGroups store={store} state={state} />
          <OutboundContracts store={store} state={state} />
          <TaskSettings store={store} state={state} />
        </main>
      </div>
      {/* Status changes of executions, for screen readers; the tracker shows them visually. */}
      <div class="visually-hidden" role="status" aria-live="polite">
        {state.announcement && <p key={state.announcement.id}>{state.announcement.text}</p>}
      </div>
    </>
  );
}
