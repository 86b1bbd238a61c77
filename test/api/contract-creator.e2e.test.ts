import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractGroupsDocument, StartTaskDocument, TaskFeedbackDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('ContractCreator over HTTP and graphql-ws', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('streams contiguous feedback until the execution completes', async () => {
    const { contractGroups } = await server.request(ContractGroupsDocument);
    const standard = contractGroups.find((group) => group.name === 'Standard')!;
    const started = await server.request(StartTaskDocument, { task: 'ContractCreator', input: { groupId: standard.id } });
    if (started.startTask.__typename !== 'TaskQueued') throw new Error(started.startTask.__typename);
    const executionId = started.startTask.execution.id;

    const feed = server.subscribe(TaskFeedbackDocument, { executionId, afterSequence: 0 });
    await feed.done;
    const sequences = feed.events.map((event) => event.taskFeedback.sequence);
    expect(sequences).toEqual(Array.from({ length: sequences.length }, (_, i) => i + 1));
    expect(feed.events.at(-1)!.taskFeedback.status).toBe('COMPLETED');
    expect(feed.events.filter((event) => event.taskFeedback.kind === 'FEEDBACK')).toHaveLength(standard.clientCount);
  });
});
