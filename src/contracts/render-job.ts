/**
 * Every message that crosses the thread boundary between the ContractCreator flow (main thread)
 * and the render worker. Worker code imports only this file and render-contract.ts (with the text
 * and font modules it uses).
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
  /**
   * Fallback font files (CONTRACT_FONT_FILES, absolute paths), tried in order for characters the
   * built-in DejaVu Sans lacks; absent means none. Each worker thread loads each file once.
   */
  fontFiles?: string[];
}

/**
 * The characters (grapheme clusters) of a contract that were drawn as U+FFFD, each listed once,
 * in the order they first appear in the PDF.
 */
export interface UndrawnCharacters {
  /** No font has a glyph for them (emoji, or CJK without a fallback font in CONTRACT_FONT_FILES). */
  missingGlyphs: string[];
  /**
   * They belong to a script the renderer cannot lay out: right to left (Hebrew, Arabic, ...) or
   * with shaping (Devanagari and other Indic scripts, ...). See text-runs.ts.
   */
  unsupportedScript: string[];
}

/**
 * All PDFs of a batch packed into one ArrayBuffer that is transferred, not copied, back to the
 * main thread; `contracts` says where each client's PDF lies in it, and which characters of it
 * could not be drawn (`undrawn`, only when there are any).
 */
export interface RenderContractsResult {
  buffer: ArrayBuffer;
  contracts: Array<{ clientId: string; offset: number; length: number; undrawn?: UndrawnCharacters }>;
}

/**
 * One `Uint8Array` per contract, each a view onto `result.buffer` (no copies): keep the buffer
 * alive as long as any view is used. Throws a RangeError if an entry lies outside the buffer.
 */
export function unpackRenderedContracts(
  result: RenderContractsResult,
): Array<{ clientId: string; bytes: Uint8Array; undrawn: UndrawnCharacters | null }> {
  return result.contracts.map(({ clientId, offset, length, undrawn }) => ({
    clientId,
    bytes: new Uint8Array(result.buffer, offset, length),
    undrawn: undrawn ?? null,
  }));
}
