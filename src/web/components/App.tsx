import { useEffect, useRef } from 'preact/hooks';
import type { Credentials } from '../api/credentials.js';
import type { ConnectionState } from '../api/live-socket.js';
import { hasContracts, type PageState } from '../state/page-state.js';
import type { PageStore } from '../state/page-store.js';
import { usePageState } from '../state/use-page-state.js';
import { useSignInStatus } from '../state/use-sign-in-status.js';
import { ContractGroups } from './ContractGroups.js';
import { OutboundContracts } from './OutboundContracts.js';
import { SignIn } from './SignIn.js';
import { StartTask } from './StartTask.js';
import { TaskSettings } from './TaskSettings.js';
import { TaskTracker } from './TaskTracker.js';

const connectionWords: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  'signed-out': 'Not signed in',
};

/**
 * The Contract Manager: the example application of the async-task tutorial, live. When the server
 * wants an API token, a sign-in form takes the place of the page until it has one.
 */
export function App({ store, credentials }: { store: PageStore; credentials: Credentials }) {
  const state = usePageState(store);
  const signIn = useSignInStatus(credentials);
  const signInShown = credentials.signInShown;
  // Once signed in, the keyboard focus goes from the form that is gone to the page that replaced it.
  const formWasShown = useRef(signInShown);
  useEffect(() => {
    if (formWasShown.current && !signInShown) document.getElementById('main')?.focus();
    formWasShown.current = signInShown;
  }, [signInShown]);
  return (
    <>
      <a class="skip-link" href="#main">
        {signInShown ? 'Skip to sign in' : 'Skip to the main content'}
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
            <p class="tagline">
              {/* Until the server has said, the page expects the example it was written for. */}
              {state.extensions && !hasContracts(state) ? 'Background tasks, followed live' : 'Personalised PDF contracts, created in the background'}
            </p>
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
          {/* Only with a token: a server without tokens has nobody to sign out. */}
          {signIn === 'signed-in' && (
            <button type="button" class="sign-out" onClick={() => credentials.signOut()}>
              Sign out
            </button>
          )}
        </div>
      </header>
      {signInShown ? (
        <main id="main" class="sign-in-page" tabIndex={-1}>
          <SignIn credentials={credentials} status={signIn} />
        </main>
      ) : (
        <Page key={store.id} store={store} state={state} credentials={credentials} />
      )}
    </>
  );
}

/**
 * The tracker, the groups and the contracts (with the contract example only), Start a task and
 * the task settings.
 */
function Page({ store, state, credentials }: { store: PageStore; state: PageState; credentials: Credentials }) {
  return (
    <>
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
          {/* Without the example its operations are not in the server's schema: no panel would work. */}
          {hasContracts(state) && (
            <>
              <ContractGroups store={store} state={state} />
              <OutboundContracts store={store} state={state} credentials={credentials} />
            </>
          )}
          <StartTask store={store} state={state} />
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
