/**
 * Text handling for contract PDFs: filling template placeholders, cleaning text for drawing and
 * wrapping it. Pure; used by render-contract.ts.
 */
import { clusters } from './text-runs.js';

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

/** Lone surrogates (half of an astral character): not text, so no font can draw them. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** C0 controls but the line feed, DEL and the C1 controls. */
const controlCharacter = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;

/**
 * Cleans text for drawing: NFC first (a decomposed "e" + U+0301 becomes "é"; marks with no
 * precomposed form stay and are drawn by the font as combining marks), line breaks (CR LF, CR,
 * NEL, U+2028) normalised to "\n" and kept, U+2029 made a paragraph break, tabs and other control
 * characters turned into spaces, soft hyphens dropped (a font would draw them as visible hyphens),
 * and lone surrogates replaced by U+FFFD. Which font draws each character, and what happens to
 * characters none can draw, is text-runs.ts's business.
 */
export function cleanText(text: string): string {
  return text
    .replace(loneSurrogate, '\uFFFD')
    .normalize('NFC')
    .replace(/\r\n?|\u0085|\u2028/g, '\n')
    .replace(/\u2029/g, '\n\n')
    .replace(controlCharacter, ' ')
    .replace(/\u00AD/g, '');
}

/** Longest field value drawn in the parties block, so a pathological value cannot push it off the page. */
const maxFieldLength = 200;

/** One line of a form field: line breaks become ", ", runs of spaces collapse, length is capped. */
export function singleLine(text: string): string {
  const line = cleanText(text)
    .split('\n')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .join(', ')
    .replace(/ {2,}/g, ' ');
  if (line.length <= maxFieldLength) return line;
  // Cut between characters, not inside one (a surrogate pair, a letter and its accent).
  let cut = '';
  for (const cluster of clusters(line)) {
    if (cut.length + cluster.length > maxFieldLength - 1) break;
    cut += cluster;
  }
  return `${cut}…`;
}

/**
 * Greedy word wrap of one line of cleaned text; a word wider than a line (or a run of CJK text,
 * which has no spaces) is cut between characters.
 */
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
    for (const char of clusters(word)) {
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
