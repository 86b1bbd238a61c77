import { TaskExecutionUpdatesDocument, TaskStatusDocument } from '../generated/graphql.js';
import type { TestApp } from './test-app.js';
import { waitFor } from './wait-for.js';

const terminal = new Set(['COMPLETED', 'FAILED', 'STOPPED', 'TIMED_OUT']);

/**
 * The tracker feed (taskExecutionUpdates) of one task, known to be listening.
 *
 * graphql-ws does not acknowledge a subscription: the server starts listening some time after
 * the client sent it, and the tracker replays nothing. So this starts probe executions (with
 * `startProbe`, which must start one of `task`'s executions that ends by itself) until the feed
 * shows one of them. Then it waits until every probe has ended and the feed has delivered the
 * end of each probe it saw, so nothing of the probes is still on its way when the test begins.
 */
export async function openTrackerFeed(
  server: TestApp,
  task: string,
  startProbe: () => Promise<string>,
  options: { timeoutMs?: number } = {},
) {
  const feed = server.subscribe(TaskExecutionUpdatesDocument, { task });
  const updates = () => feed.events.map((event) => event.taskExecutionUpdates);
  const of = (id: string) => updates().filter((update) => update.id === id);
  const probes: string[] = [];
  const timeoutMs = options.timeoutMs ?? 10_000;

  await waitFor(
    async () => {
      if (probes.some((id) => of(id).length > 0)) return true;
      probes.push(await startProbe());
      return false;
    },
    { timeoutMs, intervalMs: 50, what: `the ${task} tracker feed to show a probe execution` },
  );
  await waitFor(
    async () => {
      for (const id of probes) {
        const { taskStatus } = await server.request(TaskStatusDocument, { executionId: id });
        if (!taskStatus || !terminal.has(taskStatus.status)) return false;
      }
      return probes.every((id) => of(id).length === 0 || of(id).some((update) => terminal.has(update.status)));
    },
    { timeoutMs, what: `the ${task} probes to end and their last update to arrive` },
  );

  return {
    feed,
    probes,
    updates,
    /** The updates of one execution, in the order they arrived. */
    of,
  };
}

export type TrackerFeed = Awaited<ReturnType<typeof openTrackerFeed>>;
