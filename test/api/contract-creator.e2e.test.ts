import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContractGroupsDocument,
  ContractsDocument,
  StartTaskDocument,
  TaskFeedbackDocument,
  TaskStatusDocument,
  type TaskFeedbackSubscription,
} from '../generated/graphql.js';
import { createGroup, demoGroup, feedbackUntilEnd, madeUpClients, startContractCreator } from '../support/contract-fixtures.js';
import { pdfPageCount, pdfText } from '../support/pdf-tools.js';
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

  it("numbers contracts in the order of the group's clients: line k is for the k-th client", async () => {
    // Small batches on every lane: batches finish out of order, but are stored in order.
    const groupId = await createGroup(server, { name: 'Ordered', clients: madeUpClients(120) });
    const executionId = (await startContractCreator(server, groupId)).id;
    const lines = (await feedbackUntilEnd(server, executionId)).filter((event) => event.kind === 'FEEDBACK').map((event) => event.message);
    expect(lines).toEqual(Array.from({ length: 120 }, (_, i) => `Created contract ${i + 1} of 120 for Client ${i + 1}`));
  });
});

type FeedbackEvent = TaskFeedbackSubscription['taskFeedback'];

/** One run of ContractCreator over the 40-client "Premium" demo group, observed as a client would. */
describe('ContractCreator on the Premium demo group', () => {
  let server: TestApp;
  let group: Awaited<ReturnType<typeof demoGroup>>;
  let executionId: string;
  let live: FeedbackEvent[];

  beforeAll(async () => {
    server = await startTestApp();
    group = await demoGroup(server, 'Premium');
    executionId = (await startContractCreator(server, group.id)).id;
    // Opened right after the start: afterSequence 0 replays what happened before it was listening.
    const feed = server.subscribe(TaskFeedbackDocument, { executionId, afterSequence: 0 });
    await feed.done;
    live = feed.events.map((event) => event.taskFeedback);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is the 40-client group the demo data describes', () => {
    expect(group.clientCount).toBe(40);
    expect(group.clients).toHaveLength(40);
  });

  it('delivers every event once, numbered from 1 without gaps, and completes after COMPLETED', () => {
    expect(live.map((event) => event.sequence)).toEqual(Array.from({ length: live.length }, (_, i) => i + 1));
    expect(live.filter((event) => event.kind === 'STATUS').map((event) => event.status)).toEqual(['QUEUED', 'RUNNING', 'COMPLETED']);
    expect(live.at(-1)).toMatchObject({ kind: 'STATUS', status: 'COMPLETED' });
    expect(live.every((event) => event.execution.id === executionId)).toBe(true);
  });

  it('reports "Created contract k of n for <name>" for k = 1..n, appended, with progress k/n', () => {
    const feedback = live.filter((event) => event.kind === 'FEEDBACK');
    const n = group.clientCount;
    expect(feedback).toHaveLength(n);
    const namesSeen: string[] = [];
    feedback.forEach((event, index) => {
      const k = index + 1;
      const match = /^Created contract (\d+) of (\d+) for (.+)$/.exec(event.message ?? '');
      expect(match, `message ${k}: ${event.message}`).not.toBeNull();
      expect(Number(match![1])).toBe(k);
      expect(Number(match![2])).toBe(n);
      namesSeen.push(match![3]!);
      expect(event.mode).toBe('APPEND');
      expect(event.status).toBe('RUNNING');
      expect(event.progress).toBeCloseTo(k / n, 10);
    });
    // each client is reported once, in whatever order the worker threads finished them
    expect([...namesSeen].sort()).toEqual(group.clients.map((client) => client.name).sort());
  });

  it('lists exactly one contract per client of the group', async () => {
    const { contracts } = await server.request(ContractsDocument, { executionId, first: 100 });
    expect(contracts.totalCount).toBe(group.clientCount);
    expect(contracts.pageInfo.hasNextPage).toBe(false);
    const clientIds = contracts.edges.map((edge) => edge.node.client.id);
    expect(new Set(clientIds).size).toBe(clientIds.length);
    expect(new Set(clientIds)).toEqual(new Set(group.clients.map((client) => client.id)));
    for (const { node } of contracts.edges) {
      expect(node.group.id).toBe(group.id);
      expect(node.execution?.id).toBe(executionId);
      expect(node.sizeBytes).toBeGreaterThan(0);
    }
  });

  it('pages through the contracts with first/after, covering all without overlap', async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    let pages = 0;
    for (;;) {
      const { contracts } = await server.request(ContractsDocument, { executionId, first: 15, after });
      pages += 1;
      expect(contracts.totalCount).toBe(group.clientCount);
      seen.push(...contracts.edges.map((edge) => edge.node.id));
      if (!contracts.pageInfo.hasNextPage) break;
      expect(contracts.edges).toHaveLength(15);
      after = contracts.pageInfo.endCursor;
      expect(after).toBeTruthy();
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(group.clientCount);
    expect(new Set(seen).size).toBe(group.clientCount);
  });

  it('serves contract PDFs at their downloadUrl, personalised from the template', async () => {
    const { contracts } = await server.request(ContractsDocument, { executionId, first: 100 });
    const picked = [contracts.edges[0]!.node, contracts.edges.at(-1)!.node];
    expect(picked[0]!.id).not.toBe(picked[1]!.id);
    for (const contract of picked) {
      const response = await fetch(new URL(contract.downloadUrl, server.url));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      const pdf = new Uint8Array(await response.arrayBuffer());
      expect(pdf.byteLength).toBe(contract.sizeBytes);
      expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
      const text = await pdfText(pdf);
      expect(text).toContain(contract.client.name);
      expect(text).toContain(group.template.title);
      expect([1, 2]).toContain(await pdfPageCount(pdf));
    }
  });

  it('replays every stored event to a subscription with afterSequence 0 opened after completion', async () => {
    const { taskStatus } = await server.request(TaskStatusDocument, { executionId });
    const replay = server.subscribe(TaskFeedbackDocument, { executionId, afterSequence: 0 });
    await replay.done;
    const events = replay.events.map((event) => event.taskFeedback);
    expect(events).toHaveLength(taskStatus!.lastSequence);
    expect(events.map((event) => event.sequence)).toEqual(live.map((event) => event.sequence));
    expect(events.map((event) => event.message)).toEqual(live.map((event) => event.message));
  });

  it('gives a subscription without afterSequence only the terminal event after completion', async () => {
    const { taskStatus } = await server.request(TaskStatusDocument, { executionId });
    const latest = server.subscribe(TaskFeedbackDocument, { executionId });
    await latest.done;
    expect(latest.events).toHaveLength(1);
    expect(latest.events[0]!.taskFeedback).toMatchObject({ sequence: taskStatus!.lastSequence, kind: 'STATUS', status: 'COMPLETED' });
  });

  it('shows the finished execution in taskStatus: result, progress and one feedback line per contract', async () => {
    const { taskStatus } = await server.request(TaskStatusDocument, { executionId });
    expect(taskStatus).toMatchObject({
      id: executionId,
      status: 'COMPLETED',
      result: { contractsCreated: 40 },
      progress: 1,
      error: null,
      queuePosition: null,
      input: { groupId: group.id },
      task: { name: 'ContractCreator' },
    });
    expect(taskStatus!.startedAt).toBeTruthy();
    expect(taskStatus!.finishedAt).toBeTruthy();
    const lines = taskStatus!.feedback.split('\n');
    expect(lines).toHaveLength(40);
    expect(lines).toEqual(live.filter((event) => event.kind === 'FEEDBACK').map((event) => event.message));
  });
});
