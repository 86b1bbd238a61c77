/**
 * Where every line of a contract goes: the title, date and body flowing over at most two A4 pages,
 * then the parties and signatures kept together, and a footer per page. Positions only; the PDF is
 * render-contract.ts's. Every object of one kind is made by one function, so that each has one
 * shape: a new shape met by optimised code makes V8 throw that code away and compile it again on
 * its background threads, which cost a one-page contract more CPU than drawing it.
 */
import { PageSizes } from 'pdf-lib';
import type { FontKind } from './contract-fonts.js';
import { cleanText, fillTemplate, singleLine, wrap } from './contract-text.js';
import type { ContractParty, ContractTemplate } from './render-job.js';
import type { TextRuns } from './text-runs.js';

/** A contract is at most this many pages; a longer body is cut (see `layOut`). */
export const maxContractPages = 2;

export const [pageWidth, pageHeight] = PageSizes.A4 as [number, number];
const margin = 56; // about 20 mm
const contentWidth = pageWidth - 2 * margin;
const contentTop = pageHeight - margin;
/** The footer ("Page 1 of 2") sits below this line. */
const contentBottom = margin + 14;

const bodySize = 10.5;
const bodyLeading = 14.5;
const columnGap = 36;
const columnWidth = (contentWidth - columnGap) / 2;

/** A line of text on a page: its baseline starts at (x, y), in points from the bottom left. */
export interface PlacedText {
  x: number;
  y: number;
  text: string;
  font: FontKind;
  size: number;
  gray: boolean;
}

/** A horizontal black rule (the signature lines) from (x, y), `width` points long. */
export interface PlacedRule {
  x: number;
  y: number;
  width: number;
}

export interface ContractPage {
  texts: PlacedText[];
  rules: PlacedRule[];
}

function placedText(x: number, y: number, text: string, font: FontKind, size: number, gray: boolean): PlacedText {
  return { x, y, text, font, size, gray };
}

function placedRule(x: number, y: number, width: number): PlacedRule {
  return { x, y, width };
}

/**
 * A piece of the layout, positioned relative to its own top-left corner (y grows downwards): its
 * texts and rules are PlacedText and PlacedRule with x and y from that corner.
 */
interface Block {
  height: number;
  texts: PlacedText[];
  rules: PlacedRule[];
  /** Pure vertical space: dropped when it would start a page. */
  spacer: boolean;
}

function block(height: number, texts: PlacedText[], rules: PlacedRule[], spacer = false): Block {
  return { height, texts, rules, spacer };
}

function spacer(height: number): Block {
  return block(height, [], [], true);
}

function textLine(text: string, font: FontKind, size: number, leading: number, gray = false): Block {
  // Baseline one font size below the top of the line box, the rest of the leading below it.
  return block(leading, [placedText(0, size, text, font, size, gray)], []);
}

/** Stacks blocks vertically into one block (kept together on one page), shifted right by `dx`. */
function stack(blocks: Block[], dx = 0): Block {
  const result = block(0, [], []);
  for (const part of blocks) {
    for (const t of part.texts) result.texts.push(placedText(t.x + dx, t.y + result.height, t.text, t.font, t.size, t.gray));
    for (const r of part.rules) result.rules.push(placedRule(r.x + dx, r.y + result.height, r.width));
    result.height += part.height;
  }
  return result;
}

function beside(left: Block, right: Block, rightDx: number): Block {
  const shifted = stack([right], rightDx);
  return block(Math.max(left.height, shifted.height), [...left.texts, ...shifted.texts], [...left.rules, ...shifted.rules]);
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
  for (const part of blocks) {
    if (y - part.height < bottomOf(page) || (part.spacer && y === contentTop)) {
      if (part.spacer) {
        consumed++;
        continue;
      }
      if (page === lastPage || contentTop - part.height < bottomOf(page + 1)) break;
      page++;
      y = contentTop;
    }
    placed.push({ page, top: y, block: part });
    y -= part.height;
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
  if (y - closing.reduce((sum, part) => sum + part.height, 0) < contentBottom && page < maxContractPages - 1) {
    page++;
    y = contentTop;
  }
  for (const part of closing) {
    cut.placed.push({ page, top: y, block: part });
    y -= part.height;
  }
  return { placed: cut.placed, pageCount: page + 1 };
}

/**
 * Wrapped lines by font, size, width and text, per thread (see `wrapped`): at most about this many
 * characters of paragraphs (twice that with their lines), none longer than a sixteenth of it.
 */
const wrappedLines = new Map<string, string[]>();
const maxWrappedChars = 1_000_000;
let wrappedChars = 0;

/** How one contract's lines are measured and which of them are memoised. */
export interface Lines {
  text: TextRuns;
  /** Identifies the fallback fonts, which change how a line measures. */
  fontsKey: string;
  recurs: (line: string) => boolean;
}

/** A paragraph wrapped to `maxWidth`, as one block per line. */
function wrapped(lines: Lines, line: string, font: FontKind, size: number, leading: number, maxWidth = contentWidth): Block[] {
  // Most paragraphs of a template come out the same in every contract of its group.
  const key = `${lines.fontsKey}\0${font}\0${size}\0${maxWidth}\0${line}`;
  let wrappedLine = wrappedLines.get(key);
  if (wrappedLine === undefined) {
    wrappedLine = wrap(line, maxWidth, (part) => lines.text.width(font, part, size));
    // Bounded by characters, not entries: one paragraph may be as long as the template.
    if (lines.recurs(line) && key.length <= maxWrappedChars / 16) {
      if (wrappedChars + key.length > maxWrappedChars) {
        wrappedLines.clear();
        wrappedChars = 0;
      }
      wrappedLines.set(key, wrappedLine);
      wrappedChars += key.length;
    }
  }
  return wrappedLine.map((part) => textLine(part, font, size, leading));
}

/** The heading, the date line and the body's paragraphs. */
function bodyBlocks(lines: Lines, template: ContractTemplate, date: string, party: ContractParty): Block[] {
  const filled = fillTemplate(template.body, {
    name: party.name,
    email: party.email,
    address: singleLine(party.address),
    date,
  });
  const body: Block[] = [
    ...wrapped(lines, singleLine(template.title), 'bold', 18, 23),
    spacer(4),
    textLine(cleanText(`Date: ${date}  \u00b7  Template version ${template.version}`), 'regular', 9.5, 13, true),
    spacer(12),
  ];
  for (const paragraph of cleanText(filled).split(/\n[ \t]*\n/)) {
    const paragraphLines = paragraph
      .split('\n')
      .map((line) => line.trim().replace(/ {2,}/g, ' '))
      .filter((line) => line !== '');
    if (paragraphLines.length === 0) continue;
    for (const line of paragraphLines) body.push(...wrapped(lines, line, 'regular', bodySize, bodyLeading));
    body.push(spacer(7));
  }
  return body;
}

function signature(lines: Lines, label: string): Block {
  return stack([
    spacer(34),
    block(5, [], [placedRule(0, 0, columnWidth)]),
    ...wrapped(lines, label, 'regular', 9.5, 13, columnWidth),
    textLine('Date:', 'regular', 9.5, 13, true),
  ]);
}

/** The parties and the two signature columns, kept together. */
function tailBlock(lines: Lines, groupName: string, party: ContractParty): Block {
  const clientName = singleLine(party.name);
  const group = singleLine(groupName);
  return stack([
    spacer(12),
    textLine('Parties', 'bold', 12, 18),
    ...wrapped(lines, `Contract group: ${group}`, 'regular', bodySize, bodyLeading),
    spacer(6),
    ...wrapped(lines, `Client: ${clientName}`, 'regular', bodySize, bodyLeading),
    ...wrapped(lines, `Email: ${singleLine(party.email)}`, 'regular', bodySize, bodyLeading),
    ...wrapped(lines, `Address: ${singleLine(party.address)}`, 'regular', bodySize, bodyLeading),
    spacer(6),
    beside(signature(lines, `For contract group ${group}`), signature(lines, `Client: ${clientName}`), columnWidth + columnGap),
  ]);
}

/** The contract's pages, each with its texts (the footer last) and rules, in page coordinates. */
export function layOutContract(
  input: { template: ContractTemplate; groupName: string; date: string; party: ContractParty },
  lines: Lines,
): ContractPage[] {
  const ellipsis = textLine('\u2026 (shortened: the full text does not fit the two-page contract format)', 'regular', bodySize, bodyLeading, true);
  const { placed, pageCount } = layOut(
    bodyBlocks(lines, input.template, input.date, input.party),
    tailBlock(lines, input.groupName, input.party),
    ellipsis,
  );
  const pages: ContractPage[] = Array.from({ length: pageCount }, () => ({ texts: [], rules: [] }));
  for (const { page, top, block: part } of placed) {
    const { texts, rules } = pages[page]!;
    for (const t of part.texts) texts.push(placedText(margin + t.x, top - t.y, t.text, t.font, t.size, t.gray));
    for (const r of part.rules) rules.push(placedRule(margin + r.x, top - r.y, r.width));
  }
  pages.forEach(({ texts }, index) => {
    const footer = `Page ${index + 1} of ${pageCount}`;
    texts.push(placedText(pageWidth - margin - lines.text.width('regular', footer, 8), margin - 4, footer, 'regular', 8, true));
  });
  return pages;
}
