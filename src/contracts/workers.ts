/**
 * Piscina worker entry for contract rendering (pool option `name: 'renderContracts'`). Imports
 * only pdf-lib and fontkit (through render-contract.ts), piscina and the thread-boundary types.
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { renderContract } from './render-contract.js';
import type { RenderContractsJob, RenderContractsResult } from './render-job.js';

/**
 * How piscina 5.3.2 transfers a result (dist/worker.js, `onMessage`): it checks only the value the
 * handler returns, at top level. If that value is movable (`isMovable`: it has
 * `[transferableSymbol]` and `[valueSymbol]` and was passed through `move()`), it posts
 * `value[valueSymbol]` with `value[transferableSymbol]` in the transferList; anything else is
 * posted as is, structured-cloned. Consequences, checked by running them:
 * - `{ buffer: move(buffer), contracts }` (a moved value nested in an object) is not transferred:
 *   `move(arrayBuffer)` wraps it in a class instance whose private field structured clone drops,
 *   so the main thread receives `buffer: {}` and the bytes are lost without an error;
 * - `move({ buffer, contracts })` puts the plain object itself in the transferList and the task
 *   fails with "Found invalid object in transferList";
 * - `move(buffer)` transfers, but leaves no room for the per-client offsets.
 * So the result implements piscina's Transferable protocol itself: the buffer is the transferable,
 * a plain `RenderContractsResult` is the posted value. It has the same fields as that value, so a
 * direct in-thread call (tests, no pool) gets a usable `RenderContractsResult` too.
 */
class TransferableContracts implements RenderContractsResult {
  constructor(
    readonly buffer: ArrayBuffer,
    readonly contracts: RenderContractsResult['contracts'],
  ) {}

  get [transferableSymbol](): ArrayBuffer {
    return this.buffer;
  }

  get [valueSymbol](): RenderContractsResult {
    return { buffer: this.buffer, contracts: this.contracts };
  }
}

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

  // For a value that already implements Transferable, move() only marks it movable and returns it.
  return move(new TransferableContracts(buffer, contracts)) as TransferableContracts;
}
