import { render } from 'preact';
import { createHttpClient } from './api/graphql-http.js';
import { createLiveSocket } from './api/live-socket.js';
import { App } from './components/App.js';
import { createPageStore, type PageStore } from './state/page-store.js';
import './styles.css';

/** The API is on the same origin as the page: /graphql over HTTP and over WebSocket. */
const endpoint = new URL('/graphql', window.location.href);
const socketUrl = endpoint.href.replace(/^http/, 'ws');

let store: PageStore | undefined;
const live = createLiveSocket({
  url: socketUrl,
  onStateChange: (connection) => store?.setConnection(connection),
  onReconnected: () => store?.catchUp(),
  onFatal: (message) => console.error('live connection refused:', message),
});
store = createPageStore({ request: createHttpClient(endpoint.href), live });
render(<App store={store} />, document.getElementById('app')!);
void store.start();
