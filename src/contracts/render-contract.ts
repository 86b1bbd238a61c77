/**
 * Draws one personalised contract as an A4 PDF with pdf-lib, in DejaVu Sans (and the fallback
 * fonts) embedded as subsets. No shared services and no I/O but reading the font files once per
 * thread, so it runs the same on the main thread and inside the render worker.
 */
import { zlibSync } from 'fflate';
import { PDFDocument, PDFHexString, PDFString, PageSizes } from 'pdf-lib';
import { contractFontChains, contractFontkit, type FontFace, type FontKind } from './contract-fonts.js';
import { cleanText, fillTemplate, singleLine, wrap } from './contract-text.js';
import { embedFontFace, type EmbeddedFace } from './embed-font-face.js';
import { PDFBytesStream } from './pdf-bytes-stream.js';
import type { ContractParty, ContractTemplate, UndrawnCharacters } from './render-job.js';
import { createTextRuns } from './text-runs.js';

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

/** A contract is at most this many pages; a longer body is cut (see `layOut`). */
export const maxContractPages = 2;

const [pageWidth, pageHeight] = PageSizes.A4;
const margin = 56; // about 20 mm
const contentWidth = pageWidth - 2 * margin;
const contentTop = pageHeight - margin;
/** The footer ("Page 1 of 2") sits below this line. */
const contentBottom = margin + 14;

const mutedGray = 0.35;

/**
 * A page's content shorter than this is written as it is. fflate spends about 60 µs on any
 * input, however short (it sets up 200 kB of tables): on a one-page contract that was a tenth
 * of its CPU and most of its garbage, to save under a kilobyte of a PDF of over twenty.
 */
const minDeflatedContentBytes = 2048;

/** A piece of the layout, positioned relative to its own top-left corner (y grows downwards). */
interface Block {
  height: number;
  texts: Array<{ dx: number; dy: number; text: string; font: FontKind; size: number; gray: boolean }>;
  rules: Array<{ dx: number; dy: number; width: number }>;
  /** Pure vertical space: dropped when it would start a page. */
  spacer?: boolean;
}

function spacer(height: number): Block {
  return { height, texts: [], rules: [], spacer: true };
}

function textLine(text: string, font: FontKind, size: number, leading: number, gray = false): Block {
  // Baseline one font size below the top of the line box, the rest of the leading below it.
  return { height: leading, texts: [{ dx: 0, dy: size, text, font, size, gray }], rules: [] };
}

/** Stacks blocks vertically into one block (kept together on one page), shifted right by `dx`. */
function stack(blocks: Block[], dx = 0): Block {
  const result: Block = { height: 0, texts: [], rules: [] };
  for (const block of blocks) {
    for (const t of block.texts) result.texts.push({ ...t, dx: t.dx + dx, dy: t.dy + result.height });
    for (const r of block.rules) result.rules.push({ ...r, dx: r.dx + dx, dy: r.dy + result.height });
    result.height += block.height;
  }
  return result;
}

function beside(left: Block, right: Block, rightDx: number): Block {
  const shifted = stack([right], rightDx);
  return {
    height: Math.max(left.height, shifted.height),
    texts: [...left.texts, ...shifted.texts],
    rules: [...left.rules, ...shifted.rules],
  };
}

interface Placed {
  page: number;
  top: number;
  block: Block;
}

/**
 * Places blocks top-down onto at most `maxContractPages` pages, keeping `reserve` points free at the
 * bottom of the last page. Stops at the first block that does not fit and reports where.
 */
function flow(blocks: Block[], reserve: number) {
  const lastPage = maxContractPages - 1;
  const bottomOf = (page: number) => contentBottom + (page === lastPage ? reserve : 0);
  const placed: Placed[] = [];
  let page = 0;
  let y = contentTop;
  let consumed = 0;
  for (const block of blocks) {
    if (y - block.height < bottomOf(page) || (block.spacer === true && y === contentTop)) {
      if (block.spacer === true) {
        consumed++;
        continue;
      }
      if (page === lastPage || contentTop - block.height < bottomOf(page + 1)) break;
      page++;
      y = contentTop;
    }
    placed.push({ page, top: y, block });
    y -= block.height;
    consumed++;
  }
  return { placed, consumed, page, y };
}

/**
 * Lays out the flowing text (heading, date, body lines) followed by the kept-together tail (parties
 * and signatures). The product rule is "never more than two pages": if everything does not fit,
 * the body is cut at the last line that leaves room on page two for an ellipsis line and the tail,
 * so the signatures are never the part that is lost, and the ellipsis line says that text is missing.
 */
function layOut(body: Block[], tail: Block, ellipsis: Block): { placed: Placed[]; pageCount: number } {
  const whole = flow([...body, tail], 0);
  if (whole.consumed === body.length + 1) return { placed: whole.placed, pageCount: whole.page + 1 };

  const cut = flow(body, ellipsis.height + tail.height);
  const closing = cut.consumed < body.length ? [ellipsis, tail] : [tail];
  let { page, y } = cut;
  if (y - closing.reduce((sum, block) => sum + block.height, 0) < contentBottom && page < maxContractPages - 1) {
    page++;
    y = contentTop;
  }
  for (const block of closing) {
    cut.placed.push({ page, top: y, block });
    y -= block.height;
  }
  return { placed: cut.placed, pageCount: page + 1 };
}

/**
 * Wrapped lines by font, size, width and text, per thread (see `wrapped` in renderContract): at
 * most about this many characters of paragraphs (twice that with their lines), none longer than
 * a sixteenth of it. Paragraphs with a client's name in them never come again: they are dropped
 * with the rest when the memo is full.
 */
const wrappedLines = new Map<string, string[]>();
const maxWrappedChars = 1_000_000;
let wrappedChars = 0;

/** Shorter party values are not looked for in lines: "Al" would keep most lines from the memos. */
const minPartyValueLength = 3;

const bodySize = 10.5;
const bodyLeading = 14.5;

export async function renderContract(input: RenderContractInput): Promise<RenderedContract> {
  const { template, groupName, date, party } = input;
  // The Info dictionary made here, whole: pdf-lib's own would encode Producer and Creator as
  // UTF-16 for them to be replaced. The unsanitised values are kept in it (its strings can be UTF-16).
  const doc = await PDFDocument.create({ updateMetadata: false });
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
  // Used only for faces embed-font-face.ts leaves to pdf-lib (CFF outlines).
  doc.registerFontkit(contractFontkit);
  const text = createTextRuns(contractFontChains(input.fontFiles ?? []));
  const fontsKey = (input.fontFiles ?? []).join('\n');
  // Lines with the party's name, email or address in them come in this contract only: memoised,
  // they would fill the memos with what is never read again, for the garbage collector to copy
  // out of the young generation and mark in the old (with them, GC cost about as much CPU as
  // drawing). Any other line may come again in the group's next contracts.
  const partyValues = [party.name, party.email, party.address].map(singleLine).filter((value) => value.length >= minPartyValueLength);
  const recurs = (line: string) => !partyValues.some((value) => line.includes(value));
  const wrapped = (line: string, font: FontKind, size: number, leading: number, maxWidth = contentWidth) => {
    // Most paragraphs of a template come out the same in every contract of its group.
    const key = `${fontsKey}\0${font}\0${size}\0${maxWidth}\0${line}`;
    let lines = wrappedLines.get(key);
    if (lines === undefined) {
      lines = wrap(line, maxWidth, (part) => text.width(font, part, size));
      // Bounded by characters, not entries: one paragraph may be as long as the template.
      if (recurs(line) && key.length <= maxWrappedChars / 16) {
        if (wrappedChars + key.length > maxWrappedChars) {
          wrappedLines.clear();
          wrappedChars = 0;
        }
        wrappedLines.set(key, lines);
        wrappedChars += key.length;
      }
    }
    return lines.map((wrappedLine) => textLine(wrappedLine, font, size, leading));
  };

  const title = singleLine(template.title);
  const clientName = singleLine(party.name);
  const group = singleLine(groupName);
  const filled = fillTemplate(template.body, {
    name: party.name,
    email: party.email,
    address: singleLine(party.address),
    date,
  });

  const body: Block[] = [
    ...wrapped(title, 'bold', 18, 23),
    spacer(4),
    textLine(cleanText(`Date: ${date}  \u00b7  Template version ${template.version}`), 'regular', 9.5, 13, true),
    spacer(12),
  ];
  for (const paragraph of cleanText(filled).split(/\n[ \t]*\n/)) {
    const lines = paragraph
      .split('\n')
      .map((line) => line.trim().replace(/ {2,}/g, ' '))
      .filter((line) => line !== '');
    if (lines.length === 0) continue;
    for (const line of lines) body.push(...wrapped(line, 'regular', bodySize, bodyLeading));
    body.push(spacer(7));
  }

  const columnGap = 36;
  const columnWidth = (contentWidth - columnGap) / 2;
  const signature = (label: string): Block =>
    stack([
      spacer(34),
      { height: 5, texts: [], rules: [{ dx: 0, dy: 0, width: columnWidth }] },
      ...wrapped(label, 'regular', 9.5, 13, columnWidth),
      textLine('Date:', 'regular', 9.5, 13, true),
    ]);
  const tail = stack([
    spacer(12),
    textLine('Parties', 'bold', 12, 18),
    ...wrapped(`Contract group: ${group}`, 'regular', bodySize, bodyLeading),
    spacer(6),
    ...wrapped(`Client: ${clientName}`, 'regular', bodySize, bodyLeading),
    ...wrapped(`Email: ${singleLine(party.email)}`, 'regular', bodySize, bodyLeading),
    ...wrapped(`Address: ${singleLine(party.address)}`, 'regular', bodySize, bodyLeading),
    spacer(6),
    beside(signature(`For contract group ${group}`), signature(`Client: ${clientName}`), columnWidth + columnGap),
  ]);
  const ellipsis = textLine(
    '\u2026 (shortened: the full text does not fit the two-page contract format)',
    'regular',
    bodySize,
    bodyLeading,
    true,
  );
  const { placed, pageCount } = layOut(body, tail, ellipsis);

  const pages = Array.from({ length: pageCount }, () => doc.addPage(PageSizes.A4));
  const texts: Array<Array<{ x: number; y: number; text: string; font: FontKind; size: number; gray: boolean }>> = pages.map(() => []);
  const rules: string[][] = pages.map(() => []);
  for (const { page, top, block } of placed) {
    const pageTexts = texts[page]!;
    for (const t of block.texts) pageTexts.push({ ...t, x: margin + t.dx, y: top - t.dy });
    for (const r of block.rules) {
      const x = margin + r.dx;
      const y = top - r.dy;
      // A black 0.75 pt line, in its own graphics state as pdf-lib's drawLine writes it.
      rules[page]!.push(`q\n0 0 0 RG\n0.75 w\n[] 0 d\n${num(x)} ${num(y)} m\n${num(x + r.width)} ${num(y)} l\nS\nQ`);
    }
  }
  texts.forEach((pageTexts, index) => {
    const footer = `Page ${index + 1} of ${pageCount}`;
    pageTexts.push({ x: pageWidth - margin - text.width('regular', footer, 8), y: margin - 4, text: footer, font: 'regular', size: 8, gray: true });
  });

  // Split into runs per face, then embed each face that draws something, exactly once, with the
  // glyphs it draws.
  const runsByPage = texts.map((pageTexts) => {
    const byFace = new Map<FontFace, Array<{ x: number; y: number; text: string; size: number; gray: boolean }>>();
    for (const t of pageTexts) {
      let x = t.x;
      for (const run of text.runs(t.font, t.text, recurs(t.text))) {
        let faceRuns = byFace.get(run.face);
        if (faceRuns === undefined) byFace.set(run.face, (faceRuns = []));
        faceRuns.push({ x, y: t.y, text: run.text, size: t.size, gray: t.gray });
        x += run.width * t.size;
      }
    }
    return byFace;
  });
  const codePoints = new Map<FontFace, Set<number>>();
  for (const byFace of runsByPage) {
    for (const [face, faceRuns] of byFace) {
      let used = codePoints.get(face);
      if (used === undefined) codePoints.set(face, (used = new Set()));
      for (const run of faceRuns) for (const char of run.text) used.add(char.codePointAt(0)!);
    }
  }
  const embedded = new Map<FontFace, EmbeddedFace>();
  for (const [face, used] of codePoints) embedded.set(face, await embedFontFace(doc, face, used));

  pages.forEach((page, index) => {
    // The page's content stream is written here as text and deflated by fflate: pdf-lib's
    // operator objects and its deflate (pako, with a fresh 300 kB state per stream) cost more CPU
    // and garbage than drawing the whole contract otherwise. Not node:zlib: a render thread
    // terminated (stop, timeout) between creating a native zlib handle and initialising it
    // aborts the whole process in Node 20 ("close before init").
    const content = rules[index]!;
    // One text object per face and page: the face's font is added to the page's resources once,
    // and its runs are placed with absolute text matrices, so the stream holds little more than
    // the glyph codes.
    for (const [face, faceRuns] of runsByPage[index]!) {
      const font = embedded.get(face)!;
      const key = page.node.newFontDictionary(font.name, font.ref).toString();
      content.push('BT');
      let size: number | undefined;
      let gray: boolean | undefined;
      for (const run of faceRuns) {
        if (run.size !== size) content.push(`${key} ${num((size = run.size))} Tf`);
        if (run.gray !== gray) content.push(`${(gray = run.gray) ? mutedGray : 0} g`);
        content.push(`1 0 0 1 ${num(run.x)} ${num(run.y)} Tm`, `${font.encode(run.text, recurs(run.text))} Tj`);
      }
      content.push('ET');
    }
    const bytes = Buffer.from(content.join('\n'), 'latin1');
    const stream =
      bytes.byteLength < minDeflatedContentBytes
        ? new PDFBytesStream(doc.context.obj({}), bytes)
        : new PDFBytesStream(doc.context.obj({ Filter: 'FlateDecode' }), zlibSync(bytes));
    page.node.addContentStream(doc.context.register(stream));
  });

  // objectsPerTick: pdf-lib yields a setTimeout tick (at least 1 ms) every N objects while writing;
  // a contract has a couple dozen objects and nothing else runs on a render thread meanwhile.
  // No object streams: pdf-lib would deflate them (and the cross-reference stream) with pako, for
  // a saving of about a kilobyte on a PDF whose font subset alone is twenty.
  const pdf = await doc.save({ objectsPerTick: Number.POSITIVE_INFINITY, useObjectStreams: false });
  return { pdf, undrawn: text.undrawn() };
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
