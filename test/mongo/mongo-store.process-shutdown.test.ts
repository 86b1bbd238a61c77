import { once } from 'node:events';
import { MongoClient } from 'mongodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import {
  expectContiguousLog,
  expectOneContractPerClient,
  processBatchHarness,
  seedGroup,
  startContractsOver,
  waitUntilFinished,
} from '../support/process-batch.js';
import { waitFor } from '../support/wait-for.js';
import { demoContractGroups } from '../../src/contracts/demo-data.js';

const premiumBody = demoContractGroups.find((group) => group.id === 'premium')!.template.body;

/**
 * SIGTERM on MongoDB with work running, as a container runtime sends it: a second signal does
 * not cut the drain short, the execution's lease is cut to the drain's end at once (so a SIGKILL
 * mid-drain costs seconds, not a whole lease), and live streams are told to reconnect elsewhere.
 */
describe('a server process draining on MongoDB', () => {
  const harness = processBatchHarness();
  const slow = { WORKER_THREADS: '1', CONTRACT_BATCH_SIZE: '2' };
  const graceMs = 500;
  const abortGraceMs = 1_000;
  const drainEnv = { SHUTDOWN_GRACE_MS: String(graceMs), ABORT_GRACE_MS: String(abortGraceMs), LEASE_MS: '30000' };

  async function runningBatch(prefix: string, groupSize: number) {
    const { url, store, contracts } = await harness.database(prefix);
    // Two-page contracts: each takes a few ms of a render thread, not one.
    const groupId = await seedGroup(contracts, groupSize, `${prefix} group`, premiumBody);
    const first = await harness.server({ ...slow, ...drainEnv, MONGODB_URL: url });
    const executionId = await startContractsOver(first.url, groupId);
    await waitFor(async () => (await contracts.contractedClientIds(executionId)).size >= 10, {
      timeoutMs: 20_000,
      what: 'the batch to be under way',
    });
    // The instance that takes over; its sweep finds work handed back (or leases run out) quickly.
    await harness.server({ ...slow, MONGODB_URL: url, SWEEP_MS: '200' });
    return { url, store, contracts, first, executionId };
  }

  /** A taskFeedback subscription on `baseUrl`; resolves the socket's close code. */
  async function followOn(baseUrl: string, executionId: string) {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const closed = once(socket, 'close').then(([code]) => code as number);
    const messages: Array<{ type: string }> = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init' }));
    // A subscribe before the acknowledgement would be refused (4401).
    await waitFor(() => messages.some((message) => message.type === 'connection_ack'), { what: 'the connection to be acknowledged' });
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { taskFeedback(executionId: "${executionId}") { sequence status } }` } }));
    await waitFor(() => messages.some((message) => message.type === 'next'), { what: 'the stream to be live' });
    return { closed, completed: () => messages.some((message) => message.type === 'complete') };
  }

  /** How many lines of the process's log match `pattern`. */
  const logged = (lines: string[], pattern: RegExp) => lines.filter((line) => pattern.test(line)).length;

  // Groups large enough that one render thread is still at work when the drain has ended (the
  // second instance's start and the drain's grace and abort grace: about 3 s), at several
  // hundred two-page contracts a second.
  it('drains through a second SIGTERM and a SIGINT, hands the batch back, and another instance completes it', async () => {
    const groupSize = 3_000;
    const { store, contracts, first, executionId } = await runningBatch('drain', groupSize);
    const stream = await followOn(first.url, executionId);

    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    await waitFor(() => logged(first.lines, /"msg":"shutting down"/) === 1, { what: 'the drain to begin' });
    first.child.kill('SIGTERM');
    first.child.kill('SIGINT');
    await waitFor(() => logged(first.lines, /already shutting down/) === 2, { what: 'both signals to be noticed' });

    // The lease now ends with the drain, not LEASE_MS (30 s) from the last renewal.
    const draining = await waitFor(
      async () => {
        const execution = (await store.executions.get(executionId))!;
        return execution.leaseExpiresAt !== null && execution.leaseExpiresAt.getTime() < signalledAt + 10_000 ? execution : undefined;
      },
      { what: 'the lease to be cut to the end of the drain' },
    );
    expect(draining.status).toBe('RUNNING');
    expect(draining.leaseExpiresAt!.getTime()).toBeLessThanOrEqual(signalledAt + graceMs + abortGraceMs + 1_000 + 1_000);
    expect(await first.exited).toEqual({ code: 0, signal: null });
    // The stream did not complete (its execution goes on elsewhere): the socket said Going Away.
    expect(await stream.closed).toBe(1001);
    expect(stream.completed()).toBe(false);

    const finished = await waitUntilFinished(store, executionId, 60_000);
    expect(finished).toMatchObject({ status: 'COMPLETED', lostAttempts: 0, result: { contractsCreated: groupSize } });
    await expectOneContractPerClient(contracts, executionId, groupSize);
    const events = await expectContiguousLog(store, executionId);
    expect(events.some((event) => event.status === 'QUEUED' && /shut down/.test(event.message ?? ''))).toBe(true);
  }, 120_000);

  it('killed with SIGKILL in the middle of its drain: recovered once the cut lease ends; no PDF without its contract', async () => {
    const groupSize = 3_000;
    const { url, store, contracts: contractStore, first, executionId } = await runningBatch('killed', groupSize);
    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    await waitFor(
      async () => {
        const execution = (await store.executions.get(executionId))!;
        return execution.leaseExpiresAt !== null && execution.leaseExpiresAt.getTime() < signalledAt + 10_000;
      },
      { what: 'the lease to be cut to the end of the drain' },
    );
    expect(await first.stop('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });

    const finished = await waitUntilFinished(store, executionId, 60_000);
    expect(finished).toMatchObject({ status: 'COMPLETED', lostAttempts: 1, result: { contractsCreated: groupSize } });
    const contracts = await expectOneContractPerClient(contractStore, executionId, groupSize);
    // The PDFs are small: each is stored inside its contract, and a dead save leaves neither. Nothing
    // is left in GridFS, and contracts (a sample) have their whole PDF.
    const client = await MongoClient.connect(url);
    onTestFinished(() => client.close());
    expect(await client.db().collection('contract_pdfs.files').countDocuments({})).toBe(0);
    expect(await client.db().collection('contract_pdfs.chunks').countDocuments({})).toBe(0);
    for (const contract of contracts.filter((_, index) => index % 200 === 0)) {
      const pdf = (await contractStore.readContractPdf(contract.id))!;
      expect(pdf.byteLength).toBe(contract.sizeBytes);
      expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    }
  }, 120_000);
});
