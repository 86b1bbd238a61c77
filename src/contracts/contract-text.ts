/**
 * Text handling for contract PDFs: filling template placeholders, making text drawable with the
 * standard fonts (WinAnsi), measuring and wrapping it. Pure; used by render-contract.ts.
 */
import type { PDFFont } from 'pdf-lib';

/** `{{ key }}` with optional spaces inside the braces. */
const placeholderPattern = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/**
 * Replaces `{{key}}` by `values[key]`. Placeholders without a value stay as they are, so a typo in a
 * template shows up in the PDF instead of silently vanishing. One pass: a value that itself
 * contains `{{...}}` is not expanded again.
 */
export function fillTemplate(body: string, values: Readonly<Record<string, string>>): string {
  return body.replace(placeholderPattern, (match, key: string) =>
    Object.hasOwn(values, key) ? (values[key] ?? match) : match,
  );
}

/**
 * The standard 14 fonts are drawn with WinAnsiEncoding (Windows-1252): Latin-1 plus these 27
 * characters from 0x80-0x9F. pdf-lib throws on anything else, so every drawn string passes
 * through `toWinAnsi` first.
 */
const winAnsiExtras = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Makes text drawable with a standard font: NFC first (a decomposed "e" + U+0301 becomes the
 * encodable "é"), line breaks normalised to "\n" and kept, tabs and other control characters turned
 * into spaces, soft hyphens dropped (WinAnsi would draw them as visible hyphens), and every code
 * point WinAnsi cannot encode (emoji, CJK, "Ł", ...) replaced by one "?".
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC').replace(/\r\n?/g, '\n')) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\n') out += char;
    else if (code < 0x20 || code === 0x7f) out += ' ';
    else if (code === 0xad) continue;
    else if (code <= 0xff ? code < 0x80 || code >= 0xa0 : winAnsiExtras.has(char)) out += char;
    else out += '?';
  }
  return out;
}

/** Longest field value drawn in the parties block, so a pathological value cannot push it off the page. */
const maxFieldLength = 200;

/** One line of a form field: line breaks become ", ", runs of spaces collapse, length is capped. */
export function singleLine(text: string): string {
  const line = toWinAnsi(text)
    .split('\n')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .join(', ')
    .replace(/ {2,}/g, ' ');
  return line.length > maxFieldLength ? `${line.slice(0, maxFieldLength - 1)}…` : line;
}

export type FontKind = 'regular' | 'bold';

/**
 * Advance widths at size 1, per font name and character. Font metrics never change, so this memo is
 * shared by all documents of the thread; it holds at most the 218 WinAnsi characters per font.
 * Summing per-character widths also matches what is drawn: pdf-lib's `widthOfTextAtSize` applies
 * kerning pairs, but `drawText` emits unkerned text.
 */
const unitWidths = new Map<string, Map<string, number>>();

export function textWidth(font: PDFFont, text: string, size: number): number {
  let widths = unitWidths.get(font.name);
  if (widths === undefined) {
    widths = new Map();
    unitWidths.set(font.name, widths);
  }
  let total = 0;
  for (const char of text) {
    let width = widths.get(char);
    if (width === undefined) {
      width = font.widthOfTextAtSize(char, 1);
      widths.set(char, width);
    }
    total += width;
  }
  return total * size;
}

/** Greedy word wrap of one line of sanitised text; a word wider than a line is cut by characters. */
export function wrap(text: string, maxWidth: number, width: (text: string) => number): string[] {
  const lines: string[] = [];
  const space = width(' ');
  let line = '';
  let lineWidth = 0;
  for (const word of text.split(' ')) {
    if (word === '') continue;
    const wordWidth = width(word);
    if (line !== '' && lineWidth + space + wordWidth <= maxWidth) {
      line += ' ' + word;
      lineWidth += space + wordWidth;
      continue;
    }
    if (line !== '') lines.push(line);
    if (wordWidth <= maxWidth) {
      line = word;
      lineWidth = wordWidth;
      continue;
    }
    line = '';
    lineWidth = 0;
    for (const char of word) {
      const charWidth = width(char);
      if (line !== '' && lineWidth + charWidth > maxWidth) {
        lines.push(line);
        line = '';
        lineWidth = 0;
      }
      line += char;
      lineWidth += charWidth;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
