import { useEffect, useReducer } from 'preact/hooks';
import type { PageState } from './page-state.js';
import type { PageStore } from './page-store.js';

/** The store's current state; the component renders again whenever it changes. */
export function usePageState(store: PageStore): PageState {
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  useEffect(() => store.subscribe(() => rerender(undefined)), [store]);
  return store.state;
}
