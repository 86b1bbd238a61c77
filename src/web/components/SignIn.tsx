import { useEffect, useRef, useState } from 'preact/hooks';
import type { Credentials, SignInStatus } from '../api/credentials.js';

/**
 * Shown in place of the page when the server wants an API token (it answered 401, or closed the
 * live connection with 4403). The token is kept in this tab only (sessionStorage).
 */
export function SignIn({ credentials, status }: { credentials: Credentials; status: SignInStatus }) {
  const [token, setToken] = useState('');
  const [empty, setEmpty] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const checking = status === 'checking';
  const problem = status === 'refused' ? 'That token was not accepted. Check it, or ask the server operator for a new one.' : empty ? 'Enter your API token.' : null;

  useEffect(() => input.current?.focus(), []);
  // A refused token stays in the field, selected: fix a typo or paste over it.
  useEffect(() => {
    if (status === 'refused') input.current?.select();
  }, [status]);

  function submit(event: Event) {
    event.preventDefault();
    if (checking) return;
    if (!token.trim()) {
      setEmpty(true);
      input.current?.focus();
      return;
    }
    setEmpty(false);
    credentials.signIn(token);
  }

  return (
    <div class="panel sign-in">
      <h2 id="sign-in-title">Sign in with an API token</h2>
      <p id="sign-in-hint" class="section-hint">
        This server lets in holders of an API token only. Your token comes from the server operator. It is kept in this browser tab
        until you sign out or close the tab.
      </p>
      <form class="sign-in-form" onSubmit={submit} noValidate aria-labelledby="sign-in-title">
        <label for="api-token">API token</label>
        <input
          ref={input}
          id="api-token"
          type="password"
          autoComplete="off"
          spellcheck={false}
          value={token}
          onInput={(event) => {
            setToken(event.currentTarget.value);
            setEmpty(false);
          }}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`sign-in-hint${problem ? ' api-token-problem' : ''}`}
        />
        {/* Always in the page, so screen readers announce a refusal as it is written into it. */}
        <div role="alert">
          {problem && (
            <p id="api-token-problem" class="field-problem">
              {problem}
            </p>
          )}
        </div>
        <div class="actions">
          {/* aria-disabled, not disabled: a disabled button would drop the keyboard focus. */}
          <button type="submit" class="primary" aria-disabled={checking}>
            {checking ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </div>
  );
}
