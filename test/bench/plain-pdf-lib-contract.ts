/**
 * The reference issue 14 compares the server against: the Premium contract drawn the way a
 * straightforward pdf-lib user would draw it, with none of the server's work (no font caching,
 * no batching, no threads): a fresh document, fontkit, DejaVu Sans and DejaVu Sans Bold embedded
 * with `{ subset: true }`, one `drawText` per wrapped line, `save()` with its defaults. The same
 * A4 page, margins and type sizes as src/contracts/render-contract.ts, so both draw about the
 * same two pages.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PageSizes, PDFDocument, type PDFFont } from 'pdf-lib';

const require = createRequire(import.meta.url);
/** Read once, as any user would: the bytes, not the embedding, are what can be reused. */
const regularBytes = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
const boldBytes = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'));

const [pageWidth, pageHeight] = PageSizes.A4;
const margin = 56;
const contentWidth = pageWidth - 2 * margin;
const bodySize = 10.5;
const bodyLeading = 14.5;

export interface PlainParty {
  name: string;
  email: string;
  address: string;
}

/** Greedy word wrap: each word measured once, a line's width the sum of its words and spaces. */
function wrap(text: string, font: PDFFont, size: number): string[] {
  const space = font.widthOfTextAtSize(' ', size);
  const lines: string[] = [];
  let line = '';
  let width = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const wordWidth = font.widthOfTextAtSize(word, size);
    if (line && width + space + wordWidth > contentWidth) {
      lines.push(line);
      line = word;
      width = wordWidth;
    } else {
      line = line ? `${line} ${word}` : word;
      width += (line === word ? 0 : space) + wordWidth;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** One contract: the template's placeholders filled in with the party, as PDF bytes. */
export async function renderPlainContract(template: { title: string; body: string }, party: PlainParty, date: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(regularBytes, { subset: true });
  const bold = await doc.embedFont(boldBytes, { subset: true });
  const fields: Record<string, string> = { ...party, date };
  const body = template.body.replace(/\{\{(\w+)\}\}/g, (match, key: string) => fields[key] ?? match);

  let page = doc.addPage(PageSizes.A4);
  let y = pageHeight - margin;
  const draw = (text: string, font: PDFFont, size: number, leading: number) => {
    if (y - leading < margin) {
      page = doc.addPage(PageSizes.A4);
      y = pageHeight - margin;
    }
    y -= leading;
    page.drawText(text, { x: margin, y, font, size });
  };
  for (const line of wrap(template.title, bold, 18)) draw(line, bold, 18, 23);
  y -= 12;
  for (const paragraph of body.split(/\n\s*\n/)) {
    for (const line of paragraph.split('\n')) for (const wrapped of wrap(line, regular, bodySize)) draw(wrapped, regular, bodySize, bodyLeading);
    y -= 7;
  }
  draw('Parties', bold, 12, 18);
  for (const line of [`Client: ${party.name}`, `Email: ${party.email}`, `Address: ${party.address}`]) draw(line, regular, bodySize, bodyLeading);
  return doc.save();
}
