/**
 * Where the page stands with the server's API tokens:
 * - `open`: no token, and the server has never asked for one (it runs without tokens);
 * - `needed`: the server answered 401 (HTTP) or closed the socket with 4403, and there is no token;
 * - `checking`: a token was just entered and nothing has answered yet;
 * - `signed-in`: a token is kept and was accepted (or, read back after a reload, not refused yet);
 * - `refused`: the token entered (or kept) was not accepted; it is forgotten.
 */
export type SignInStatus = 'open' | 'needed' | 'checking' | 'signed-in' | 'refused';

/** Per browser tab, until the tab is closed or the user signs out: never in localStorage. */
const storageKey = 'contract-manager.api-token';

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    // Storage can be switched off; the token then lives in memory for as long as the page.
    return null;
  }
}

/**
 * The API token of this tab and what the server said about it. The transports (graphql-http.ts,
 * live-socket.ts, download.ts) read `token` for every request and report the server's verdict
 * with `accept` and `refuse`, naming the token they sent: an answer to a request made with an
 * older token changes nothing.
 */
export function createCredentials() {
  let token: string | null = storage()?.getItem(storageKey) || null;
  let status: SignInStatus = token ? 'signed-in' : 'open';
  const listeners = new Set<() => void>();

  function set(nextToken: string | null, nextStatus: SignInStatus): void {
    if (nextToken !== token) {
      try {
        if (nextToken) storage()?.setItem(storageKey, nextToken);
        else storage()?.removeItem(storageKey);
      } catch {
        // Full or switched-off storage: the token still works for this page.
      }
    }
    if (nextToken === token && nextStatus === status) return;
    token = nextToken;
    status = nextStatus;
    for (const listener of [...listeners]) listener();
  }

  return {
    /** The token to send, or null (send none). */
    get token(): string | null {
      return token;
    },
    get status(): SignInStatus {
      return status;
    },
    /** Whether the page must ask for a token instead of showing its content. */
    get signInShown(): boolean {
      return status === 'needed' || status === 'checking' || status === 'refused';
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Keeps `entered` and makes it the token every request sends from now on. */
    signIn(entered: string): void {
      const trimmed = entered.trim();
      if (trimmed) set(trimmed, 'checking');
    },
    /** Forgets the token; the server asks for one, so the sign-in form comes back. */
    signOut(): void {
      set(null, 'needed');
    },

    /** The server took a request made with `sent`. */
    accept(sent: string | null): void {
      if (sent !== null && sent === token && status === 'checking') set(token, 'signed-in');
    },
    /** The server refused a request made with `sent` (HTTP 401, WebSocket close 4403). */
    refuse(sent: string | null): void {
      if (sent !== token) return;
      if (sent === null) {
        if (status === 'open') set(null, 'needed');
      } else {
        set(null, 'refused');
      }
    },
  };
}

export type Credentials = ReturnType<typeof createCredentials>;

/** The `Authorization` header value for `token`. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}
