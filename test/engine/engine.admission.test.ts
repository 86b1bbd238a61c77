import { afterEach, describe, expect, it } from 'vitest';
import { createGate, gatedTask } from '../support/gated-task.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { waitFor } from '../support/wait-for.js';

describe('admission', () => {
  let harness: TestEngine | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  it('accepts exactly maxConcurrentExecutions + maxQueueLength of 20 concurrent starts', async () => {
    const gate = createGate();
    harness = createTestEngine({ tasks: () => [gatedTask(gate, { limits: { maxConcurrentExecutions: 1, maxQueueLength: 2 } })] });
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => harness!.engine.start('Gated', { label: `start ${i}` })));

    const accepted = outcomes.filter((outcome) => outcome.kind === 'TaskQueued');
    const refused = outcomes.filter((outcome) => outcome.kind === 'QueueFull');
    expect(accepted).toHaveLength(3);
    expect(refused).toHaveLength(17);
    expect(refused[0]).toMatchObject({ task: 'Gated', maxQueueLength: 2 });
    // nothing of a refused start is stored
    expect((await harness.engine.list({ task: 'Gated' }, { first: 100 })).totalCount).toBe(3);

    await waitFor(() => gate.running.size === 1, { what: 'the first execution to run' });
    expect(await harness.engine.counts('Gated')).toEqual({ running: 1, queued: 2 });
    gate.releaseAll();
  });
});
