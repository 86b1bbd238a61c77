import type { ConnectionState } from '../api/live-socket.js';
import type { GroupCardFragment, OutboundContractsQuery, TaskSettingsFragment } from '../generated/graphql.js';
import type { TrackedExecution } from './executions.js';

export type ContractRow = OutboundContractsQuery['contracts']['edges'][number]['node'];

/** What a form gets back from an action: done, or why not (with the fields that were wrong). */
export type ActionOutcome = { ok: true; message: string } | { ok: false; message: string; problems: Array<{ path: string; message: string }> };

export interface Notice {
  /** Changes with every notice, so the same text said twice is announced twice. */
  id: number;
  kind: 'info' | 'error';
  text: string;
}

export interface PageState {
  connection: ConnectionState;
  /** What the page could not load or refresh, and why; each cleared by its next success. */
  problems: Readonly<Record<string, string>>;
  loaded: boolean;
  executions: ReadonlyMap<string, TrackedExecution>;
  stopping: ReadonlySet<string>;
  groups: readonly GroupCardFragment[];
  tasks: readonly TaskSettingsFragment[];
  contracts: { executionId: string | null; rows: readonly ContractRow[]; totalCount: number; limit: number };
  /** The polite live region: status changes of executions. */
  announcement: Notice | null;
  /** Per contract group: the outcome of its last start. */
  groupNotices: Readonly<Record<string, Notice>>;
}

export const contractPageSize = 50;

export function initialPageState(connection: ConnectionState = 'connecting'): PageState {
  return {
    connection,
    problems: {},
    loaded: false,
    executions: new Map(),
    stopping: new Set(),
    groups: [],
    tasks: [],
    contracts: { executionId: null, rows: [], totalCount: 0, limit: contractPageSize },
    announcement: null,
    groupNotices: {},
  };
}

export const statusWords: Record<TrackedExecution['status'], string> = {
  QUEUED: 'queued',
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  STOPPED: 'stopped',
  TIMED_OUT: 'timed out',
};
