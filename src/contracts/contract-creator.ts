import { z } from 'zod';
import { defineTask, endsExecution, InvalidTaskInputError, type TaskContext } from '../index.js';
import type { Client, ContractStore } from './contract-store.js';
import {
  unpackRenderedContracts,
  type ContractTemplate,
  type RenderContractsJob,
  type RenderContractsResult,
  type UndrawnCharacters,
} from './render-job.js';
import { contractIdFor } from './contract-id.js';
import { undrawnNote } from './undrawn-note.js';

export const contractCreatorName = 'ContractCreator';

/** What ContractCreator stores at start: the group's template as it is at that moment. */
export interface ContractCreatorSnapshot {
  groupId: string;
  groupName: string;
  template: ContractTemplate;
}

export interface ContractCreatorResult {
  contractsCreated: number;
}

export interface ContractCreatorOptions {
  /** Most clients rendered per worker call: per-call messaging costs more than one small PDF. */
  batchSize: number;
  /** Fallback font files for characters DejaVu Sans lacks (CONTRACT_FONT_FILES); default none. */
  fontFiles?: string[];
  clock?: () => Date;
}

/**
 * WEM's flagship example: render a personalised PDF contract for every client of a contract
 * group into the outbound-contracts list, with feedback after each contract.
 */
export function createContractCreator(contracts: ContractStore, options: ContractCreatorOptions) {
  const clock = options.clock ?? (() => new Date());
  return defineTask({
    name: contractCreatorName,
    description: 'Renders a personalised PDF contract for every client of a contract group.',
    input: z.strictObject({ groupId: z.string().min(1).max(200) }),
    limits: { maxConcurrentExecutions: 2, maxQueueLength: 10, timeoutMinutes: 30 },

    async snapshot({ groupId }): Promise<ContractCreatorSnapshot> {
      const group = await contracts.getGroup(groupId);
      if (!group) throw new InvalidTaskInputError([{ path: 'groupId', message: `no contract group has the id "${groupId}"` }]);
      return { groupId, groupName: group.name, template: group.template };
    },

    async run(ctx): Promise<ContractCreatorResult> {
      const { groupId } = ctx.input;
      const clients = await contracts.listClients(groupId);
      // A retried attempt resumes: clients that already have this execution's contract are skipped.
      const alreadyDone = await contracts.contractedClientIds(ctx.executionId);
      const todo = clients.filter((client) => !alreadyDone.has(client.id));
      const total = clients.length;
      if (total === 0) {
        await ctx.feedback('The group has no clients: no contracts to create.', { mode: 'replace', progress: 1 });
        return { contractsCreated: 0 };
      }
      const counter = { created: alreadyDone.size };
      const fontFiles = options.fontFiles ?? [];
      await renderInLanes(ctx, todo, options.batchSize, clock().toISOString().slice(0, 10), fontFiles, async (rendered) => {
        // The last check before the write: once stopped or timed out, nothing more is stored.
        ctx.signal.throwIfAborted();
        const saved = await contracts.saveContracts(
          rendered.map(({ client, pdf }) => ({
            contract: {
              id: contractIdFor(ctx.executionId, client.id),
              executionId: ctx.executionId,
              startedBy: ctx.startedBy,
              groupId,
              clientId: client.id,
              fileName: contractFileName(ctx.input.groupName, client.name),
              createdAt: clock(),
              attempt: ctx.attempt,
            },
            pdf,
          })),
        );
        const before = counter.created;
        counter.created += rendered.length;
        // The feedback writes are the fence: the store refuses them once this attempt no longer
        // holds the execution (stopped on another instance while the save was under way), and
        // they are not sent once the run was aborted here. Sent together, so the store writes
        // the batch's feedback together (on MongoDB one update and one insert).
        const announced = await Promise.allSettled(
          rendered.map(({ client, undrawn }, index) =>
            ctx.feedback(`Created contract ${before + index + 1} of ${total} for ${client.name}${undrawnNote(undrawn)}`, {
              mode: 'append',
              progress: (before + index + 1) / total,
            }),
          ),
        );
        const refused = announced.findIndex((outcome) => outcome.status === 'rejected');
        if (refused === -1) return;
        const error = (announced[refused] as PromiseRejectedResult).reason as unknown;
        // Ended for good: a contract its feedback never announced does not stay (it may be dated
        // after the end). Going on in a later attempt instead: that attempt resumes from what is
        // stored and may have counted these already, so they stay.
        if (endsExecution(error)) {
          for (const [index, outcome] of announced.entries()) {
            if (outcome.status === 'rejected') await contracts.discardContract(saved[index]!.id, ctx.attempt);
          }
        }
        throw error;
      });
      return { contractsCreated: counter.created };
    },

    /**
     * A process that died between storing a PDF and its contract leaves the PDF alone; the next
     * attempt stores that client again under the same id, but an execution that gets no next
     * attempt (its last one was lost, or it was stopped while queued again) would keep it.
     */
    async onFinished(execution) {
      // Never ran (stopped while queued the first time), or ran once to completion: nothing left.
      if (execution.attempt === 0 || (execution.status === 'COMPLETED' && execution.attempt === 1)) return;
      const { groupId } = execution.input as ContractCreatorSnapshot;
      const clients = await contracts.listClients(groupId);
      await contracts.discardPdfsWithoutContract(clients.map((client) => contractIdFor(execution.id, client.id)));
    },

    /** Its retention ran out (or deleteExecution): the contracts go with it, and any PDF a dead save left. */
    async onDelete(execution) {
      if (execution.attempt === 0) return;
      const { groupId } = execution.input as ContractCreatorSnapshot;
      const clients = await contracts.listClients(groupId);
      await contracts.deleteContractsOf(execution.id, clients.map((client) => contractIdFor(execution.id, client.id)));
    },
  });
}

/**
 * Keeps every worker thread busy: two batches in flight per thread, so a thread never waits
 * while the main thread stores the previous batch. Batches are stored in the order of the group's
 * clients, whichever finishes rendering first, so "Created contract k of n for <name>" counts
 * what was stored and names whom it was for, in the same order (stored as the batches finished, a
 * run read "240 of 1500 for Client 248"). A lane waits at most for the batches before its own.
 * The first failure stops every lane before it stores anything more.
 */
async function renderInLanes(
  ctx: TaskContext<ContractCreatorSnapshot>,
  clients: Client[],
  maxBatchSize: number,
  date: string,
  fontFiles: string[],
  store: (rendered: Array<{ client: Client; pdf: Uint8Array; undrawn: UndrawnCharacters | null }>) => Promise<void>,
): Promise<void> {
  const lanes = Math.max(1, ctx.workerThreads * 2);
  // Small groups still spread over every lane instead of filling one large batch.
  const batchSize = Math.max(1, Math.min(maxBatchSize, Math.ceil(clients.length / lanes)));
  const batches: Client[][] = [];
  for (let i = 0; i < clients.length; i += batchSize) batches.push(clients.slice(i, i + batchSize));

  // stored[i] settles once batch i is stored (or once anything failed: waiting lanes then stop).
  const stored = batches.map(() => {
    let settle!: () => void;
    const promise = new Promise<void>((resolve) => (settle = resolve));
    return { promise, settle };
  });
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (next < batches.length && !failure) {
      const index = next++;
      const batch = batches[index]!;
      const job: RenderContractsJob = {
        template: ctx.input.template,
        groupName: ctx.input.groupName,
        date,
        clients: batch.map(({ id, name, email, address }) => ({ clientId: id, name, email, address })),
        fontFiles,
      };
      const rendered = unpackRenderedContracts(await ctx.runInWorker<RenderContractsResult>('renderContracts', job));
      if (index > 0) await stored[index - 1]!.promise;
      if (failure) return;
      const byId = new Map(batch.map((client) => [client.id, client]));
      await store(rendered.map(({ clientId, bytes, undrawn }) => ({ client: byId.get(clientId)!, pdf: bytes, undrawn })));
      stored[index]!.settle();
    }
  };
  await Promise.all(
    Array.from({ length: lanes }, () =>
      lane().catch((error: unknown) => {
        failure ??= { error };
        for (const batch of stored) batch.settle();
      }),
    ),
  );
  if (failure) throw (failure as { error: unknown }).error;
}

function contractFileName(groupName: string, clientName: string): string {
  const slug = (text: string) =>
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  return `contract-${slug(groupName) || 'group'}-${slug(clientName) || 'client'}.pdf`;
}
