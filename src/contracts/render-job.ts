/**
 * Every message that crosses the thread boundary between the ContractCreator flow (main thread)
 * and the render worker. Worker code imports only this file and render-contract.ts.
 */

export interface ContractTemplate {
  title: string;
  /** Body text with `{{name}}`, `{{email}}`, `{{address}}` and `{{date}}` placeholders. */
  body: string;
  version: number;
}

export interface ContractParty {
  clientId: string;
  name: string;
  email: string;
  address: string;
}

/** One worker call renders a batch of contracts: per-call messaging costs more than one render. */
export interface RenderContractsJob {
  template: ContractTemplate;
  groupName: string;
  /** The contract date, ISO `YYYY-MM-DD`, fixed when the execution starts running. */
  date: string;
  clients: ContractParty[];
}

/**
 * All PDFs of a batch packed into one ArrayBuffer that is transferred, not copied, back to the
 * main thread; `contracts` says where each client's PDF lies in it.
 */
export interface RenderContractsResult {
  buffer: ArrayBuffer;
  contracts: Array<{ clientId: string; offset: number; length: number }>;
}

/**
 * One `Uint8Array` per contract, each a view onto `result.buffer` (no copies): keep the buffer
 * alive as long as any view is used. Throws a RangeError if an entry lies outside the buffer.
 */
export function unpackRenderedContracts(result: RenderContractsResult): Array<{ clientId: string; bytes: Uint8Array }> {
  return result.contracts.map(({ clientId, offset, length }) => ({
    clientId,
    bytes: new Uint8Array(result.buffer, offset, length),
  }));
}
