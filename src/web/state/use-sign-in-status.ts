import { useEffect, useReducer } from 'preact/hooks';
import type { Credentials, SignInStatus } from '../api/credentials.js';

/** The credentials' current status; the component renders again whenever it changes. */
export function useSignInStatus(credentials: Credentials): SignInStatus {
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  useEffect(() => credentials.subscribe(() => rerender(undefined)), [credentials]);
  return credentials.status;
}
