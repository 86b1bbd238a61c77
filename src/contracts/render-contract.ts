/**
 * Draws one personalised contract as an A4 PDF with pdf-lib, in DejaVu Sans (and the fallback
 * fonts) embedded as subsets. No shared services and no I/O but reading the font files once per
 * thread, so it runs the same on the main thread and inside the render worker.
 */
import { zlibSync } from 'fflate';
import { PDFDocument, PDFHexString, PDFString, type PDFPage } from 'pdf-lib';
import { contractFontChains, contractFontkit, type FontFace } from './contract-fonts.js';
import { layOutContract, pageHeight, pageWidth, type ContractPage, type Lines } from './contract-layout.js';
import { singleLine } from './contract-text.js';
import { embedFontFace, type EmbeddedFace } from './embed-font-face.js';
import { PDFBytesStream } from './pdf-bytes-stream.js';
import type { ContractParty, ContractTemplate, UndrawnCharacters } from './render-job.js';
import { createTextRuns, type TextRuns } from './text-runs.js';

export interface RenderContractInput {
  template: ContractTemplate;
  groupName: string;
  /** The contract date, ISO `YYYY-MM-DD`; printed and substituted for `{{date}}` as given. */
  date: string;
  party: ContractParty;
  /** Fallback font files for characters DejaVu Sans lacks (CONTRACT_FONT_FILES); default none. */
  fontFiles?: readonly string[];
}

export interface RenderedContract {
  pdf: Uint8Array;
  /** The characters drawn as U+FFFD because no font could draw them, or null when there are none. */
  undrawn: UndrawnCharacters | null;
}

const mutedGray = 0.35;

/**
 * A page's content shorter than this is written as it is. fflate spends about 60 µs on any
 * input, however short (it sets up 200 kB of tables): on a one-page contract that was a tenth
 * of its CPU and most of its garbage, to save under a kilobyte of a PDF of over twenty.
 */
const minDeflatedContentBytes = 2048;

/** Shorter party values are not looked for in lines: "Al" would keep most lines from the memos. */
const minPartyValueLength = 3;

/** A run of one face on a page, at its position. */
interface FaceRun {
  x: number;
  y: number;
  text: string;
  size: number;
  gray: boolean;
  /** Whether its line may come again (see recurringLines), decided once per line. */
  recurs: boolean;
}

/**
 * The contract's PDF. Its phases are functions of their own: V8 compiles a hot function again
 * whenever its optimised code meets something new, on background threads, and for one function
 * holding everything that took 150-200 ms a time, several times per thousand contracts.
 */
export async function renderContract(input: RenderContractInput): Promise<RenderedContract> {
  const { template, groupName, date, party } = input;
  const doc = await PDFDocument.create({ updateMetadata: false });
  setInfo(doc, template, groupName, date, party);
  // Used only for faces embed-font-face.ts leaves to pdf-lib (CFF outlines).
  doc.registerFontkit(contractFontkit);
  const text = createTextRuns(contractFontChains(input.fontFiles ?? []));
  const lines: Lines = { text, fontsKey: (input.fontFiles ?? []).join('\n'), recurs: recurringLines(party) };
  const layout = layOutContract(input, lines);
  const pages = layout.map(() => doc.addPage([pageWidth, pageHeight]));

  // Split into runs per face, then embed each face that draws something, exactly once, with the
  // glyphs it draws.
  const runsByPage = layout.map((page) => runsByFace(page, text, lines.recurs));
  const embedded = new Map<FontFace, EmbeddedFace>();
  for (const [face, used] of codePointsByFace(runsByPage)) embedded.set(face, await embedFontFace(doc, face, used));
  pages.forEach((page, index) => addContent(doc, page, layout[index]!, runsByPage[index]!, embedded));

  // objectsPerTick: pdf-lib yields a setTimeout tick (at least 1 ms) every N objects while writing;
  // a contract has a couple dozen objects and nothing else runs on a render thread meanwhile.
  // No object streams: pdf-lib would deflate them (and the cross-reference stream) with pako, for
  // a saving of about a kilobyte on a PDF whose font subset alone is twenty.
  const pdf = await doc.save({ objectsPerTick: Number.POSITIVE_INFINITY, useObjectStreams: false });
  return { pdf, undrawn: text.undrawn() };
}

/**
 * The Info dictionary, made whole: pdf-lib's own would encode Producer and Creator as UTF-16 for
 * them to be replaced. The unsanitised values are kept in it (its strings can be UTF-16).
 */
function setInfo(doc: PDFDocument, template: ContractTemplate, groupName: string, date: string, party: ContractParty): void {
  const now = PDFString.fromDate(new Date());
  doc.context.trailerInfo.Info = doc.context.register(
    doc.context.obj({
      Producer: infoString('pdf-lib (https://github.com/Hopding/pdf-lib)'),
      ModDate: now,
      Creator: infoString('async-task-server contract renderer'),
      CreationDate: now,
      Title: infoString(`${template.title} - ${party.name}`),
      Author: infoString(groupName),
      Subject: infoString(`${template.title} for ${party.name}, dated ${date}`),
    }),
  );
}

/**
 * Whether a line may come again in the group's next contracts. Lines with the party's name, email
 * or address in them come in this contract only: memoised, they would fill the memos with what is
 * never read again, for the garbage collector to copy out of the young generation and mark in the
 * old (with them, GC cost about as much CPU as drawing).
 */
function recurringLines(party: ContractParty): (line: string) => boolean {
  const values = [party.name, party.email, party.address].map(singleLine).filter((value) => value.length >= minPartyValueLength);
  return (line) => !values.some((value) => line.includes(value));
}

function runsByFace(page: ContractPage, text: TextRuns, recurs: (line: string) => boolean): Map<FontFace, FaceRun[]> {
  const byFace = new Map<FontFace, FaceRun[]>();
  for (const t of page.texts) {
    let x = t.x;
    const lineRecurs = recurs(t.text);
    for (const run of text.runs(t.font, t.text, lineRecurs)) {
      let faceRuns = byFace.get(run.face);
      if (faceRuns === undefined) byFace.set(run.face, (faceRuns = []));
      faceRuns.push({ x, y: t.y, text: run.text, size: t.size, gray: t.gray, recurs: lineRecurs });
      x += run.width * t.size;
    }
  }
  return byFace;
}

function codePointsByFace(runsByPage: Array<Map<FontFace, FaceRun[]>>): Map<FontFace, Set<number>> {
  const codePoints = new Map<FontFace, Set<number>>();
  for (const byFace of runsByPage) {
    for (const [face, faceRuns] of byFace) {
      let used = codePoints.get(face);
      if (used === undefined) codePoints.set(face, (used = new Set()));
      for (const run of faceRuns) for (const char of run.text) used.add(char.codePointAt(0)!);
    }
  }
  return codePoints;
}

/**
 * The page's content stream, written here as text and deflated by fflate: pdf-lib's operator
 * objects and its deflate (pako, with a fresh 300 kB state per stream) cost more CPU and garbage
 * than drawing the whole contract otherwise. Not node:zlib: a render thread terminated (stop,
 * timeout) between creating a native zlib handle and initialising it aborts the whole process in
 * Node 20 ("close before init").
 */
function addContent(
  doc: PDFDocument,
  page: PDFPage,
  layout: ContractPage,
  byFace: Map<FontFace, FaceRun[]>,
  embedded: Map<FontFace, EmbeddedFace>,
): void {
  // A black 0.75 pt line, in its own graphics state as pdf-lib's drawLine writes it.
  const content = layout.rules.map(({ x, y, width }) => `q\n0 0 0 RG\n0.75 w\n[] 0 d\n${num(x)} ${num(y)} m\n${num(x + width)} ${num(y)} l\nS\nQ`);
  // One text object per face and page: the face's font is added to the page's resources once,
  // and its runs are placed with absolute text matrices, so the stream holds little more than
  // the glyph codes.
  for (const [face, faceRuns] of byFace) {
    const font = embedded.get(face)!;
    const key = page.node.newFontDictionary(font.name, font.ref).toString();
    content.push('BT');
    let size: number | undefined;
    let gray: boolean | undefined;
    for (const run of faceRuns) {
      if (run.size !== size) content.push(`${key} ${num((size = run.size))} Tf`);
      if (run.gray !== gray) content.push(`${(gray = run.gray) ? mutedGray : 0} g`);
      content.push(`1 0 0 1 ${num(run.x)} ${num(run.y)} Tm`, `${font.encode(run.text, run.recurs)} Tj`);
    }
    content.push('ET');
  }
  const bytes = Buffer.from(content.join('\n'), 'latin1');
  const stream =
    bytes.byteLength < minDeflatedContentBytes
      ? new PDFBytesStream(doc.context.obj({}), bytes)
      : new PDFBytesStream(doc.context.obj({ Filter: 'FlateDecode' }), zlibSync(bytes));
  page.node.addContentStream(doc.context.register(stream));
}

/**
 * An Info dictionary string: printable ASCII as a literal string, anything else as UTF-16 (what
 * pdf-lib's setTitle writes for every value, at four bytes a character).
 */
function infoString(value: string): PDFString | PDFHexString {
  return /^[\x20-\x7e]*$/.test(value) && !/[()\\]/.test(value) ? PDFString.of(value) : PDFHexString.fromText(value);
}

/** A number as a content-stream operand: PDF has no exponent notation, so tiny values are 0. */
function num(value: number): string {
  return Math.abs(value) < 1e-6 ? '0' : String(value);
}
