import type { ConnectionState } from '../api/live-socket.js';
import type { GroupCardFragment, OutboundContractsQuery, PageSetupQuery, TaskSettingsFragment } from '../generated/graphql.js';
import type { TrackedExecution } from './executions.js';

export type ContractRow = OutboundContractsQuery['contracts']['edges'][number]['node'];
/** A task as the Start a task form needs it: its name, description and input as JSON Schema. */
export type StartableTask = PageSetupQuery['tasks'][number];

/** The contract example's extension name in `Query.extensions`, and the task it registers. */
export const contractsExtension = 'contracts';
export const contractTask = 'ContractCreator';

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
  /**
   * The server's extensions (`Query.extensions`), null until it has said. The contract panels,
   * and every contract operation, wait for "contracts": on a server without the example those
   * types are not in the schema at all, so such an operation would be refused as invalid.
   */
  extensions: readonly string[] | null;
  /** Every registered task with its input schema, for the Start a task form. */
  startable: readonly StartableTask[];
  executions: ReadonlyMap<string, TrackedExecution>;
  stopping: ReadonlySet<string>;
  /** Executions whose Retry is on its way, and per execution the refusal of its last retry. */
  retrying: ReadonlySet<string>;
  executionNotices: Readonly<Record<string, Notice>>;
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
    extensions: null,
    startable: [],
    executions: new Map(),
    stopping: new Set(),
    retrying: new Set(),
    executionNotices: {},
    groups: [],
    tasks: [],
    contracts: { executionId: null, rows: [], totalCount: 0, limit: contractPageSize },
    announcement: null,
    groupNotices: {},
  };
}

export const statusWords: Record<TrackedExecution['status'], string> = {
  SCHEDULED: 'scheduled',
  QUEUED: 'queued',
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  STOPPED: 'stopped',
  TIMED_OUT: 'timed out',
};

/** Whether the server has the contract example (known only once it has said so). */
export function hasContracts(state: Pick<PageState, 'extensions'>): boolean {
  return state.extensions?.includes(contractsExtension) ?? false;
}
