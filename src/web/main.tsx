import { render } from 'preact';
import { createCredentials } from './api/credentials.js';
import { createHttpClient } from './api/graphql-http.js';
import { createLiveSocket, type ConnectionState } from './api/live-socket.js';
import { App } from './components/App.js';
import { createPageStore, type PageStore } from './state/page-store.js';
import './styles.css';

/** The API is on the same origin as the page: /graphql over HTTP and over WebSocket. */
const endpoint = new URL('/graphql', window.location.href);
const socketUrl = endpoint.href.replace(/^http/, 'ws');
const root = document.getElementById('app')!;

/** The API token of this tab (none while the server runs open). */
const credentials = createCredentials();
let store: PageStore | undefined;
let connection: ConnectionState = 'connecting';
const live = createLiveSocket({
  url: socketUrl,
  credentials,
  onStateChange: (state) => {
    connection = state;
    store?.setConnection(state);
  },
  onReconnected: () => store?.catchUp(),
  onFatal: (message) => console.error('live connection refused:', message),
});
const request = createHttpClient(endpoint.href, credentials);

/**
 * A page store per token: what one token was shown is never shown to the next. The App mounts
 * its page afresh for each store, so no form keeps what was typed under the previous token.
 */
function mountPage(): PageStore {
  store?.dispose();
  const next = createPageStore({ request, live, connection });
  store = next;
  render(<App store={next} credentials={credentials} />, root);
  return next;
}

let token = credentials.token;
credentials.subscribe(() => {
  if (credentials.token === token) return;
  token = credentials.token;
  if (token) {
    // Signed in: the socket and every query carry the new token.
    live.restart();
    void mountPage().start();
  } else {
    // Signed out, or the token was refused: nothing to show, and no socket, until the next one.
    live.pause();
    mountPage();
  }
});

void mountPage().start();
