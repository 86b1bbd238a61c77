/**
 * The start-up check of CONTRACT_FONT_FILES: each file must exist and parse as one TrueType or
 * OpenType font with characters in it. Runs on the main thread, which otherwise never loads
 * fontkit: it is required lazily, only when fallback fonts are configured.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type Fontkit = typeof import('@pdf-lib/fontkit');

let fontkit: Fontkit | undefined;

/** What is wrong with a fallback font file, or null when the renderer can use it. */
export function fontFileProblem(file: string): string | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (error as Error).message})`;
  }
  fontkit ??= createRequire(import.meta.url)('@pdf-lib/fontkit') as Fontkit;
  let font: ReturnType<Fontkit['create']>;
  try {
    font = fontkit.create(bytes);
  } catch (error) {
    return `is not a TrueType or OpenType font (${(error as Error).message})`;
  }
  if (typeof (font as { hasGlyphForCodePoint?: unknown }).hasGlyphForCodePoint !== 'function') {
    return 'is a font collection (.ttc or .dfont): give one .ttf or .otf file';
  }
  try {
    if (font.characterSet.length === 0) return 'has no characters';
  } catch (error) {
    return `is not a usable font: its character map cannot be read (${(error as Error).message})`;
  }
  return null;
}
