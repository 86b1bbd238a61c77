import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import {
  expectContiguousLog,
  expectOneContractPerClient,
  processBatchHarness,
  seedGroup,
  startContractsOver,
  waitUntilFinished,
} from '../support/process-batch.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Real server processes on MongoDB, stopped in the middle of a batch (killed, or deployed over)
 * and started again: the batch is finished without redoing or duplicating any contract.
 */
describe('a server process stopped in the middle of a batch', () => {
  const harness = processBatchHarness();
  // Small batches on one thread: a batch takes long enough to be stopped half-way.
  const slow = { SWEEP_MS: '200', WORKER_THREADS: '1', CONTRACT_BATCH_SIZE: '2' };

  it('killed with SIGKILL: the restarted server recovers it; one contract per client, every PDF opens', async () => {
    const groupSize = 300;
    const { url, store, contracts } = await harness.database('crash');
    const groupId = await seedGroup(contracts, groupSize, 'Crash test');
    const env = { ...slow, MONGODB_URL: url, LEASE_MS: '1000' };

    const first = await harness.server(env);
    const executionId = await startContractsOver(first.url, groupId);
    await waitFor(async () => (await contracts.contractedClientIds(executionId)).size >= 20, {
      timeoutMs: 20_000,
      what: 'the batch to be under way',
    });
    expect(await first.stop('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });
    expect((await store.executions.get(executionId))!.status).toBe('RUNNING');
    expect((await contracts.contractedClientIds(executionId)).size).toBeLessThan(groupSize);

    const second = await harness.server(env);
    const finished = await waitUntilFinished(store, executionId);

    expect(finished).toMatchObject({ status: 'COMPLETED', attempt: 2, result: { contractsCreated: groupSize } });
    for (const contract of await expectOneContractPerClient(contracts, executionId, groupSize)) {
      const pdf = (await contracts.readContractPdf(contract.id))!;
      expect(pdf.byteLength).toBe(contract.sizeBytes);
      expect((await PDFDocument.load(pdf)).getPageCount()).toBeGreaterThanOrEqual(1);
    }
    // The feedback log tells the story without gaps: recovery, then the rest of the batch.
    const events = await expectContiguousLog(store, executionId);
    expect(events.some((event) => event.status === 'QUEUED' && /Recovered/.test(event.message ?? ''))).toBe(true);
    expect(events.at(-1)!.status).toBe('COMPLETED');
    expect(await second.stop('SIGTERM')).toMatchObject({ code: 0 });
  });

  it('stopped with SIGTERM: exits 0 with nothing RUNNING, hands the batch back, the next process completes it', async () => {
    const groupSize = 200;
    const { url, store, contracts } = await harness.database('shutdown');
    const groupId = await seedGroup(contracts, groupSize, 'Deploy test');
    // No grace: the running batch is handed back at once, half-way.
    const env = { ...slow, MONGODB_URL: url, SHUTDOWN_GRACE_MS: '0' };

    const first = await harness.server(env);
    const executionId = await startContractsOver(first.url, groupId);
    await waitFor(async () => (await contracts.contractedClientIds(executionId)).size >= 10, {
      timeoutMs: 20_000,
      what: 'the batch to be under way',
    });
    expect(await first.stop('SIGTERM')).toMatchObject({ code: 0 });
    expect((await store.executions.get(executionId))!.status).toBe('QUEUED');
    expect((await store.executions.list({ status: 'RUNNING' }, { first: 10 })).totalCount).toBe(0);
    expect((await contracts.contractedClientIds(executionId)).size).toBeLessThan(groupSize);

    const second = await harness.server(env);
    const finished = await waitUntilFinished(store, executionId);

    expect(finished).toMatchObject({ status: 'COMPLETED', result: { contractsCreated: groupSize } });
    await expectOneContractPerClient(contracts, executionId, groupSize);
    const events = await expectContiguousLog(store, executionId);
    expect(events.some((event) => event.status === 'QUEUED' && /shut down/.test(event.message ?? ''))).toBe(true);
    expect(await second.stop('SIGTERM')).toMatchObject({ code: 0 });
  });
});
