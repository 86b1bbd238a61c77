/**
 * The contract example's worker module: its named export `renderContracts` is the job
 * ContractCreator runs. Imports only pdf-lib and fontkit (through render-contract.ts), the
 * package's worker helper and the thread-boundary types.
 */
import { transferring } from '../worker.js';
import { renderContract } from './render-contract.js';
import type { RenderContractsJob, RenderContractsResult } from './render-job.js';

/** Renders every client of the batch and returns all PDFs packed into one transferred buffer. */
export async function renderContracts(job: RenderContractsJob): Promise<RenderContractsResult> {
  const { template, groupName, date, clients, fontFiles = [] } = job;
  const rendered: Array<Awaited<ReturnType<typeof renderContract>>> = [];
  let total = 0;
  // Sequential on purpose: the render is CPU-bound, parallelism comes from the pool's threads.
  for (const party of clients) {
    const contract = await renderContract({ template, groupName, date, party, fontFiles });
    rendered.push(contract);
    total += contract.pdf.byteLength;
  }

  const buffer = new ArrayBuffer(total);
  const packed = new Uint8Array(buffer);
  const contracts: RenderContractsResult['contracts'] = [];
  let offset = 0;
  rendered.forEach(({ pdf, undrawn }, index) => {
    packed.set(pdf, offset);
    const entry: RenderContractsResult['contracts'][number] = { clientId: clients[index]!.clientId, offset, length: pdf.byteLength };
    if (undrawn !== null) entry.undrawn = undrawn;
    contracts.push(entry);
    offset += pdf.byteLength;
  });

  // One buffer for every PDF of the batch, moved to the main thread, not copied.
  return transferring({ buffer, contracts }, buffer);
}
