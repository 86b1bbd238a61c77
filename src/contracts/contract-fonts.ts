/**
 * The fonts contracts are drawn with: DejaVu Sans and DejaVu Sans Bold from the `dejavu-fonts-ttf`
 * package (Latin, Greek, Cyrillic and more), then the fallback files of CONTRACT_FONT_FILES, in
 * order, for characters DejaVu lacks. Each file is read and parsed once per thread and shared by
 * every document the thread renders (embed-font-face.ts and `contractFontkit` say why that is
 * safe).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import type { Font, GlyphRun } from '@pdf-lib/fontkit';
import type { PDFDocument } from 'pdf-lib';

/** What `PDFDocument.registerFontkit` takes (pdf-lib does not export the type by name). */
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

export type FontKind = 'regular' | 'bold';

/** One font file, parsed once per thread. */
export class FontFace {
  /** The parsed font as pdf-lib sees it (see `pdfView`); used for CFF-flavoured OpenType files. */
  readonly forPdf: Font;
  /** TrueType outlines (`glyf`), which embed-font-face.ts subsets itself; otherwise CFF. */
  readonly trueType: boolean;
  /** Glyph id per code point (0: none), memoised: the cmap lookup is a binary search. */
  private readonly glyphIds = new Map<number, number>();
  private readonly advances = new Map<number, number>();
  private readonly unitsPerEm: number;
  private firstCodePoints: Map<number, number> | undefined;

  constructor(
    readonly file: string,
    readonly bytes: Uint8Array,
    readonly font: Font,
    /** Code points every subset of this face includes, so that most documents share one subset. */
    readonly subsetBase: readonly number[] = [],
  ) {
    this.unitsPerEm = font.unitsPerEm;
    this.trueType = (font as unknown as { directory: { tables: Record<string, unknown> } }).directory.tables.glyf !== undefined;
    this.forPdf = pdfView(font);
  }

  /** The face's glyph for a code point, 0 when it has none. */
  glyphId(codePoint: number): number {
    let id = this.glyphIds.get(codePoint);
    if (id === undefined) {
      id = this.font.hasGlyphForCodePoint(codePoint) ? this.font.glyphForCodePoint(codePoint).id : 0;
      this.glyphIds.set(codePoint, id);
    }
    return id;
  }

  has(codePoint: number): boolean {
    return this.glyphId(codePoint) !== 0;
  }

  /** Advance width of a code point the face has, at font size 1 (what the PDF's /W array says). */
  advance(codePoint: number): number {
    let width = this.advances.get(codePoint);
    if (width === undefined) {
      width = this.font.glyphForCodePoint(codePoint).advanceWidth / this.unitsPerEm;
      this.advances.set(codePoint, width);
    }
    return width;
  }

  /**
   * The code point text extraction gives for a glyph: the one the face maps to it, or when it maps
   * several (Noto Sans JP draws U+5C71 山 and U+2F2D ⼭ KANGXI RADICAL MOUNTAIN with one glyph),
   * the lowest that is its own compatibility form (NFKC), so the radical and compatibility
   * ideographs lose to the ideograph itself. Computed over the whole cmap, so it does not depend
   * on which code points this thread happened to look up first.
   */
  codePointOf(glyphId: number): number | undefined {
    if (this.firstCodePoints === undefined) {
      this.firstCodePoints = new Map();
      const rank = (codePoint: number) => {
        const char = String.fromCodePoint(codePoint);
        return char.normalize('NFKC') === char ? codePoint : 0x110000 + codePoint;
      };
      for (const codePoint of this.font.characterSet) {
        const id = this.glyphId(codePoint);
        const known = this.firstCodePoints.get(id);
        if (known === undefined || rank(codePoint) < rank(known)) this.firstCodePoints.set(id, codePoint);
      }
    }
    return this.firstCodePoints.get(glyphId);
  }
}

/**
 * The font pdf-lib embeds and encodes text with, for faces embed-font-face.ts leaves to pdf-lib
 * (CFF outlines): the same parsed font, except that `layout` maps code points to glyphs through
 * the cmap only. pdf-lib's `encodeText` calls `layout` for every drawn string, and fontkit's full
 * OpenType layout (script detection, GSUB, GPOS kerning and mark positioning) costs much and
 * brings nothing here: `drawText` emits glyph ids without the positions layout computes, and the
 * renderer draws only scripts that need no shaping (text-runs.ts reports the others). One glyph
 * per code point also keeps the widths measured here equal to the widths the PDF uses.
 */
function pdfView(font: Font): Font {
  const view = Object.create(font) as Font;
  view.layout = (text: string): GlyphRun => {
    const glyphs = [];
    for (const char of text) glyphs.push(font.glyphForCodePoint(char.codePointAt(0)!));
    return { glyphs } as unknown as GlyphRun;
  };
  return view;
}

const facesByFile = new Map<string, FontFace>();
const facesByBytes = new WeakMap<Uint8Array, FontFace>();

/** The face of a font file, read and parsed on first use in this thread. */
export function loadFontFace(file: string, subsetBase: readonly number[] = []): FontFace {
  let face = facesByFile.get(file);
  if (face === undefined) {
    let bytes: Uint8Array;
    let font: Font;
    try {
      bytes = readFileSync(file);
      font = fontkit.create(bytes) as unknown as Font;
    } catch (error) {
      throw new Error(`Cannot load the font file ${file}: ${(error as Error).message}`, { cause: error });
    }
    // A collection (.ttc, .dfont) parses too, as a list of fonts without a cmap of its own.
    if (typeof (font as { hasGlyphForCodePoint?: unknown }).hasGlyphForCodePoint !== 'function') {
      throw new Error(`Cannot load the font file ${file}: it is a font collection, not a single TrueType or OpenType font`);
    }
    face = new FontFace(file, bytes, font, subsetBase);
    facesByFile.set(file, face);
    facesByBytes.set(bytes, face);
  }
  return face;
}

/**
 * What `PDFDocument.registerFontkit` gets. pdf-lib calls `create(bytes)` in every `embedFont`,
 * which would copy and parse the whole font file once per face per contract; for the bytes of a
 * loaded face this returns the face's parsed font instead. Sharing it between documents is safe:
 * what `embedFont({ subset: true })` keeps per document is the subset (`font.createSubset()`, a
 * new object per embedder that only reads the font's tables) and the embedder's glyph map; the
 * font itself only caches decoded tables and glyph objects, the same for every document.
 */
export const contractFontkit: Fontkit = {
  create(bytes: Uint8Array, postscriptName?: string): Font {
    const face = facesByBytes.get(bytes);
    if (face !== undefined && postscriptName === undefined) return face.forPdf;
    return fontkit.create(bytes, postscriptName) as unknown as Font;
  },
};

/** The faces tried for each kind of text, in order: the first that has a character draws it. */
export interface FontChains {
  regular: readonly FontFace[];
  bold: readonly FontFace[];
}

const require = createRequire(import.meta.url);
/**
 * Every subset of DejaVu Sans (the body text's face) includes printable ASCII: nearly all of it is
 * in any contract's text anyway, and then the contracts of a group mostly share one subset, which
 * embed-font-face.ts compiles once per thread instead of once per contract, although the names,
 * addresses and numbers differ.
 */
const printableAscii = Array.from({ length: 0x7f - 0x20 }, (_, i) => 0x20 + i);
const chainsByFiles = new Map<string, FontChains>();

/**
 * The chains for a list of fallback files (CONTRACT_FONT_FILES), built once per thread. Bold text
 * tries DejaVu Sans Bold, then DejaVu Sans (it covers a few more characters), then the fallbacks;
 * a fallback file serves both kinds, so bold text in a fallback font is drawn regular.
 */
export function contractFontChains(fallbackFiles: readonly string[]): FontChains {
  const key = fallbackFiles.join('\n');
  let chains = chainsByFiles.get(key);
  if (chains === undefined) {
    const regular = loadFontFace(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), printableAscii);
    // Bold draws the title and headings, the same for every contract of a group: no base needed.
    const bold = loadFontFace(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'));
    const fallbacks = fallbackFiles.map((file) => loadFontFace(file));
    chains = { regular: [regular, ...fallbacks], bold: [bold, regular, ...fallbacks] };
    chainsByFiles.set(key, chains);
  }
  return chains;
}
