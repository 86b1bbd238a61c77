import { afterEach, describe, expect, it } from 'vitest';
import type { GraphQLRequest } from '../../src/web/api/graphql-http.js';
import type { LiveSink, LiveSocket } from '../../src/web/api/live-socket.js';
import type { TrackedExecutionFragment } from '../../src/web/generated/graphql.js';
import { createPageStore, type PageStore } from '../../src/web/state/page-store.js';
import { deferred, waitFor } from '../support/wait-for.js';

/**
 * The page's store against a scripted server (no browser): what it sends depends on what the
 * server offers (`Query.extensions`), and a re-read of the tracker lists after a reconnect is the
 * truth, without losing what the live feed told of while the answer was on its way.
 */

type Node = TrackedExecutionFragment & { feedback: string };

function execution(id: string, overrides: Partial<Node> = {}): Node {
  return {
    id,
    status: 'RUNNING',
    progress: 0.2,
    queuePosition: null,
    lastSequence: 3,
    queuedAt: '2026-01-01T10:00:00.000Z',
    startedAt: '2026-01-01T10:00:01.000Z',
    finishedAt: null,
    error: null,
    runAt: null,
    nextAttemptAt: null,
    priority: 0,
    failedAttempts: 0,
    retryOf: null,
    input: { name: 'Ada' },
    task: { name: 'Greeter', retry: { attempts: 1 } },
    feedback: 'Hello, Ada!',
    ...overrides,
  };
}

const task = {
  name: 'Greeter',
  description: 'Greets someone.',
  maxConcurrentExecutions: 1,
  maxQueueLength: 10,
  timeoutMinutes: 1,
  runningCount: 0,
  queuedCount: 0,
  scheduledCount: 0,
};

/** Operations that name the contract example's types: none may go to a server without it. */
const contractOperation = /\b(contractGroups?|contracts|updateContractTemplate)\b/;

/**
 * A scripted server: answers the page's operations from `server` (changed by the test as it
 * goes), records each one, and can hold an operation's answer until the test lets it go. The
 * answer is made when the request arrives, as a real server's snapshot would be.
 */
function scriptedServer() {
  const server = { extensions: [] as string[], executions: [] as Node[] };
  const sent: Array<{ name: string; query: string; variables: unknown }> = [];
  const holds = new Map<string, ReturnType<typeof deferred<void>>>();
  const subscriptions = new Map<string, Set<{ variables: () => unknown; sink: LiveSink<unknown> }>>();

  function answer(name: string): unknown {
    const edges = (nodes: Node[]) => ({ edges: nodes.map((node) => ({ node })) });
    switch (name) {
      case 'PageSetup':
        return { extensions: server.extensions, tasks: [{ name: task.name, description: task.description, inputSchema: { type: 'object' } }] };
      case 'TaskList':
        return { tasks: [task] };
      case 'TrackerExecutions':
        return {
          running: edges(server.executions.filter((node) => node.status === 'RUNNING')),
          queued: edges(server.executions.filter((node) => node.status === 'QUEUED')),
          scheduled: edges(server.executions.filter((node) => node.status === 'SCHEDULED')),
          recent: edges(server.executions),
        };
      case 'QueuePositions':
        return { taskExecutions: edges([]) };
      case 'ContractGroups':
        return { contractGroups: [{ id: 'g1', name: 'Standard', clientCount: 1, template: { title: 'T', body: 'B', version: 1 } }] };
      case 'OutboundContracts':
        return { contracts: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] } };
      default:
        throw new Error(`The scripted server has no answer for ${name}`);
    }
  }

  const request = (async (document: { toString(): string }, variables?: unknown) => {
    const query = document.toString();
    const name = /^\s*(?:query|mutation)\s+(\w+)/m.exec(query)?.[1] ?? '?';
    sent.push({ name, query, variables });
    const data = answer(name);
    await holds.get(name)?.promise;
    return data;
  }) as unknown as GraphQLRequest;

  const live = {
    subscribe(document: { toString(): string }, variables: () => unknown, sink: LiveSink<unknown>) {
      const name = /subscription\s+(\w+)/.exec(document.toString())![1]!;
      const entry = { variables, sink };
      if (!subscriptions.has(name)) subscriptions.set(name, new Set());
      subscriptions.get(name)!.add(entry);
      return () => subscriptions.get(name)!.delete(entry);
    },
  } as unknown as LiveSocket;

  return {
    server,
    sent,
    request,
    live,
    /** Holds the answers to `name` until the returned function is called. */
    hold(name: string): () => void {
      const gate = deferred<void>();
      holds.set(name, gate);
      return () => {
        holds.delete(name);
        gate.resolve();
      };
    },
    /** An event on the tracker feed (taskExecutionUpdates). */
    trackerUpdate(node: TrackedExecutionFragment): void {
      for (const { sink } of subscriptions.get('TrackerUpdates') ?? []) sink.next({ taskExecutionUpdates: node });
    },
    /** The executions the page follows with a taskFeedback stream. */
    followed(): string[] {
      return [...(subscriptions.get('ExecutionFeedback') ?? [])].map(({ variables }) => (variables() as { executionId: string }).executionId);
    },
  };
}

describe('the page store, as the server changes under it', () => {
  let store: PageStore | undefined;
  afterEach(() => store?.dispose());

  it('sends no contract operation to a server without the contract example, whatever its executions look like', async () => {
    const fake = scriptedServer();
    // An execution whose input looks like the contract task's: still no group is looked up.
    fake.server.executions = [execution('e1', { task: { name: 'ContractCreator', retry: { attempts: 1 } }, input: { groupId: 'g1' } })];
    store = createPageStore({ request: fake.request, live: fake.live });
    await store.start();
    expect(store.state).toMatchObject({ loaded: true, extensions: [], groups: [], problems: {} });
    expect(store.state.startable.map((startable) => startable.name)).toEqual(['Greeter']);
    expect(fake.sent[0]!.name).toBe('PageSetup');

    // It ends, live: a status change that would re-read contracts and counts on the Contract Manager.
    fake.trackerUpdate(execution('e1', { task: { name: 'ContractCreator', retry: { attempts: 1 } }, input: { groupId: 'g2' }, status: 'COMPLETED', lastSequence: 9 }));
    await waitFor(() => fake.sent.filter((operation) => operation.name === 'TaskList').length >= 2, { what: 'the task counts re-read' });
    expect(store.state.executions.get('e1')?.status).toBe('COMPLETED');
    expect(fake.sent.filter((operation) => contractOperation.test(operation.query))).toEqual([]);
  });

  it('reads groups and contracts once the server says it has the example, and forgets them when it no longer has', async () => {
    const fake = scriptedServer();
    fake.server.extensions = ['contracts'];
    store = createPageStore({ request: fake.request, live: fake.live });
    await store.start();
    expect(fake.sent.map((operation) => operation.name).slice(0, 2)).toEqual(['PageSetup', 'ContractGroups']);
    expect(fake.sent.some((operation) => operation.name === 'OutboundContracts')).toBe(true);
    expect(store.state.groups.map((group) => group.name)).toEqual(['Standard']);

    // The server came back (a restart) without the example: its panels go, and so do its operations.
    fake.server.extensions = [];
    const before = fake.sent.length;
    store.catchUp();
    await waitFor(() => store!.state.extensions?.length === 0 && store!.state.groups.length === 0, { what: 'the groups forgotten' });
    await waitFor(() => fake.sent.slice(before).some((operation) => operation.name === 'TrackerExecutions'), { what: 'the tracker re-read' });
    expect(fake.sent.slice(before).filter((operation) => contractOperation.test(operation.query))).toEqual([]);
  });

  it('takes the re-read lists as the truth after a reconnect, keeping what the live feed told of meanwhile', async () => {
    const fake = scriptedServer();
    fake.server.executions = [
      execution('old-running'),
      execution('old-done', { status: 'COMPLETED', progress: 1, lastSequence: 8, finishedAt: '2026-01-01T10:00:09.000Z' }),
    ];
    store = createPageStore({ request: fake.request, live: fake.live });
    await store.start();
    expect([...store.state.executions.keys()].sort()).toEqual(['old-done', 'old-running']);
    expect(fake.followed()).toEqual(['old-running']);

    // The server restarted on the embedded store: none of those exist any more; `fresh` is new.
    fake.server.executions = [execution('fresh', { lastSequence: 3, progress: 0.1 })];
    const release = fake.hold('TrackerExecutions');
    store.catchUp();
    await waitFor(() => fake.sent.filter((operation) => operation.name === 'TrackerExecutions').length === 2, { what: 'the re-read sent' });
    // While the answer is on its way: `fresh` moves on, and `later` starts (after the server's snapshot).
    fake.trackerUpdate(execution('fresh', { lastSequence: 7, progress: 0.6 }));
    fake.trackerUpdate(execution('later', { status: 'QUEUED', lastSequence: 1, progress: null, startedAt: null }));
    release();

    await waitFor(() => !store!.state.executions.has('old-running'), { what: 'the old executions dropped' });
    const executions = store.state.executions;
    expect([...executions.keys()].sort()).toEqual(['fresh', 'later']);
    // The live update was newer than the answer (sequence 7 against 3): it stays.
    expect(executions.get('fresh')).toMatchObject({ progress: 0.6, stateSequence: 7 });
    expect(executions.get('later')?.status).toBe('QUEUED');
    // The dropped execution's feedback stream is closed; the new ones are followed.
    expect(fake.followed().sort()).toEqual(['fresh', 'later']);
  });
});
