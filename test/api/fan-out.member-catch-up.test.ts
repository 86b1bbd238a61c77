import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { ExecutionChangeEvent } from '../../src/engine/events.js';
import type { Execution } from '../../src/engine/execution.js';
import { createFeedbackFanOut } from '../../src/graphql/feedback-fan-out.js';

/**
 * The fan-out's member streams against an engine the test drives, to reach the moment an
 * end-to-end test can hit only by chance: a subscriber still yielding its replay page when the
 * group sends the execution's last events and ends.
 */
describe('a subscriber catching up while the shared feed ends', () => {
  it('still gets every event after its page, the terminal one included, before it completes', async () => {
    const stored = [
      { sequence: 1, status: 'QUEUED' },
      { sequence: 2, status: 'RUNNING' },
    ] as Array<{ sequence: number; status: Execution['status'] }>;
    const execution = () => ({ id: 'e', lastSequence: stored.at(-1)!.sequence, status: stored.at(-1)!.status }) as Execution;
    const live = liveEvents();
    const fanOut = createFeedbackFanOut({
      openFeedbackStream: async () => live.stream,
      eventsAfter: async (_id, after, limit) => stored.filter((event) => event.sequence > after).slice(0, limit) as never,
      status: async () => execution(),
    });
    const shared: number[] = [];
    const query = 'subscription S($id: ID!, $after: Int) { taskFeedback(executionId: $id, afterSequence: $after) { sequence } }';
    const document = parse(query);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const stream = (await fanOut.join({
      execution: execution(),
      afterSequence: 0,
      principal: { name: 'alice', role: 'user' } as never,
      delivery: {
        operationName: 'S',
        query,
        variables: { id: 'e', after: 0 },
        execute: async (change) => ({ data: { sequence: (change as ExecutionChangeEvent).event.sequence } }),
        sendNext: (json) => {
          shared.push((JSON.parse(json) as { data: { sequence: number } }).data.sequence);
          return true;
        },
      },
      info: { fieldNodes: [operation.selectionSet.selections[0]], operation, fragments: {} } as never,
    }))!;

    const yielded = [(await stream.next()).value.event.sequence];
    // While the first page is being yielded (a slow socket), the execution ends: its terminal
    // event is stored and sent to the group, whose stream then ends.
    stored.push({ sequence: 3, status: 'COMPLETED' });
    live.push({ event: stored[2], execution: execution() } as never);
    live.end();
    await new Promise((resolve) => setImmediate(resolve));
    for (let next = await stream.next(); !next.done; next = await stream.next()) yielded.push(next.value.event.sequence);

    expect([...yielded, ...shared].sort()).toEqual([1, 2, 3]);
  });
});

/** An event stream the test pushes into, as openFeedbackStream's would deliver them. */
function liveEvents() {
  const queued: Array<IteratorResult<ExecutionChangeEvent>> = [];
  let waiting: ((result: IteratorResult<ExecutionChangeEvent>) => void) | null = null;
  const deliver = (result: IteratorResult<ExecutionChangeEvent>) => {
    const resolve = waiting;
    waiting = null;
    if (resolve) resolve(result);
    else queued.push(result);
  };
  const stream: AsyncIterableIterator<ExecutionChangeEvent> = {
    next: () => (queued.length > 0 ? Promise.resolve(queued.shift()!) : new Promise((resolve) => (waiting = resolve))),
    return: async () => ({ done: true, value: undefined }),
    [Symbol.asyncIterator]: () => stream,
  };
  return {
    stream,
    push: (change: ExecutionChangeEvent) => deliver({ done: false, value: change }),
    end: () => deliver({ done: true, value: undefined }),
  };
}
