/**
 * Draws one personalised contract as an A4 PDF with pdf-lib. Pure: no I/O, no shared services,
 * so it runs the same on the main thread and inside the render worker.
 */
import { PDFDocument, PageSizes, StandardFonts, grayscale, type PDFFont } from 'pdf-lib';
import { fillTemplate, singleLine, textWidth, toWinAnsi, wrap, type FontKind } from './contract-text.js';
import type { ContractParty, ContractTemplate } from './render-job.js';

export interface RenderContractInput {
  template: ContractTemplate;
  groupName: string;
  /** The contract date, ISO `YYYY-MM-DD`; printed and substituted for `{{date}}` as given. */
  date: string;
  party: ContractParty;
}

/** A contract is at most this many pages; a longer body is cut (see `layOut`). */
export const maxContractPages = 2;

const [pageWidth, pageHeight] = PageSizes.A4;
const margin = 56; // about 20 mm
const contentWidth = pageWidth - 2 * margin;
const contentTop = pageHeight - margin;
/** The footer ("Page 1 of 2") sits below this line. */
const contentBottom = margin + 14;

const ink = grayscale(0);
const muted = grayscale(0.35);

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

const bodySize = 10.5;
const bodyLeading = 14.5;

export async function renderContract(input: RenderContractInput): Promise<Uint8Array> {
  const { template, groupName, date, party } = input;
  const doc = await PDFDocument.create();
  // Each embedFont call adds a font object to the file: embed each face exactly once.
  const fonts: Record<FontKind, PDFFont> = {
    regular: doc.embedStandardFont(StandardFonts.Helvetica),
    bold: doc.embedStandardFont(StandardFonts.HelveticaBold),
  };
  const measure = (font: FontKind, size: number) => (text: string) => textWidth(fonts[font], text, size);
  const wrapped = (text: string, font: FontKind, size: number, leading: number, maxWidth = contentWidth) =>
    wrap(text, maxWidth, measure(font, size)).map((line) => textLine(line, font, size, leading));

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
    textLine(toWinAnsi(`Date: ${date}  \u00b7  Template version ${template.version}`), 'regular', 9.5, 13, true),
    spacer(12),
  ];
  for (const paragraph of toWinAnsi(filled).split(/\n[ \t]*\n/)) {
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
  const runs: Array<Array<{ x: number; y: number; text: string; font: FontKind; size: number; gray: boolean }>> = pages.map(() => []);
  for (const { page, top, block } of placed) {
    const pageRuns = runs[page]!;
    for (const t of block.texts) pageRuns.push({ ...t, x: margin + t.dx, y: top - t.dy });
    for (const r of block.rules) {
      pages[page]!.drawLine({
        start: { x: margin + r.dx, y: top - r.dy },
        end: { x: margin + r.dx + r.width, y: top - r.dy },
        thickness: 0.75,
        color: ink,
      });
    }
  }
  pages.forEach((page, index) => {
    const footer = `Page ${index + 1} of ${pageCount}`;
    const x = pageWidth - margin - textWidth(fonts.regular, footer, 8);
    runs[index]!.push({ x, y: margin - 4, text: footer, font: 'regular', size: 8, gray: true });

    // Draw grouped by font: PDFPage.setFont (and drawText's `font` option, which calls it) adds a
    // new entry to the page's font resources on every call, so switch at most once per face.
    for (const kind of ['regular', 'bold'] as const) {
      page.setFont(fonts[kind]);
      for (const run of runs[index]!) {
        if (run.font !== kind) continue;
        page.drawText(run.text, { x: run.x, y: run.y, size: run.size, color: run.gray ? muted : ink });
      }
    }
  });

  // Info dictionary strings are UTF-16, so the unsanitised values are kept there.
  doc.setTitle(`${template.title} - ${party.name}`);
  doc.setAuthor(groupName);
  doc.setSubject(`${template.title} for ${party.name}, dated ${date}`);
  doc.setCreator('async-task-server contract renderer');
  // objectsPerTick: pdf-lib yields a setTimeout tick (at least 1 ms) every N objects while writing;
  // a contract has a couple dozen objects and nothing else runs on a render thread meanwhile.
  return doc.save({ objectsPerTick: Number.POSITIVE_INFINITY });
}
