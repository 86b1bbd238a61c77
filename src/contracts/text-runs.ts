/**
 * Splits contract text into runs, one per font face: each character (grapheme cluster) is drawn
 * by the first face of its chain that has every code point of it. Measuring uses the same
 * choice, so wrapped lines are as wide as what is drawn. A character that cannot be drawn is
 * drawn as U+FFFD (the replacement character, visible in the PDF and in its extracted text) and
 * reported, never silently swapped for something else.
 */
import type { FontChains, FontFace, FontKind } from './contract-fonts.js';
import type { UndrawnCharacters } from './render-job.js';

/** Part of a text drawn with one face; `width` is at font size 1. */
export interface TextRun {
  face: FontFace;
  text: string;
  width: number;
}

/** How one cluster is drawn: usually one part; a base and a mark found in two faces make two. */
interface Resolution {
  parts: TextRun[];
  width: number;
  undrawn?: 'missingGlyph' | 'unsupportedScript';
}

const replacementCharacter = '\uFFFD';

/**
 * Scripts the renderer cannot lay out, drawn as replacements and reported instead of drawn wrong:
 * pdf-lib draws glyphs left to right in logical order, one per code point, with no bidi
 * reordering and no shaping. That is right for Latin, Greek, Cyrillic, CJK and the like, and
 * wrong for right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, ...: the Unicode
 * blocks of the right-to-left ranges) and for scripts whose letters change form, reorder or
 * join (Indic and other Brahmic scripts, Mongolian).
 */
const unsupportedScript = new RegExp(
  '[\\u0590-\\u08FF\\uFB1D-\\uFDFF\\uFE70-\\uFEFE\\u{10800}-\\u{10FFF}\\u{1E800}-\\u{1EFFF}' +
    [
      'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam',
      'Sinhala', 'Tibetan', 'Myanmar', 'Khmer', 'Mongolian', 'Balinese', 'Javanese', 'Sundanese', 'Tai_Tham',
      'Buginese', 'Lepcha', 'Limbu', 'Syloti_Nagri', 'New_Tai_Lue', 'Chakma', 'Sharada', 'Grantha', 'Brahmi',
      'Kaithi', 'Takri', 'Tirhuta', 'Modi', 'Newa', 'Siddham', 'Khojki', 'Khudawadi', 'Mahajani', 'Dogra',
      'Ahom', 'Cham', 'Kayah_Li', 'Meetei_Mayek', 'Rejang', 'Saurashtra', 'Batak', 'Tai_Viet', 'Phags_Pa',
      'Nandinagari', 'Soyombo', 'Zanabazar_Square', 'Masaram_Gondi', 'Gunjala_Gondi', 'Dives_Akuru',
      'Bhaiksuki', 'Marchen', 'Makasar', 'Kawi',
    ]
      .map((script) => `\\p{Script=${script}}`)
      .join('') +
    ']',
  'u',
);

/**
 * Invisible code points that only steer shaping or bidi (joiners, variation selectors, bidi
 * controls, tags, zero-width space, BOM): without shaping they have nothing to draw, so they are
 * dropped. "❤️" (U+2764 U+FE0F) is then drawn as the ❤ DejaVu has.
 */
const defaultIgnorable = /[\p{Cf}\uFE00-\uFE0F\u{E0100}-\u{E01EF}\u180B-\u180F\u034F\u115F\u1160\u3164\uFFA0]/gu;

/**
 * Text that has a character of more than one code point: combining marks, joiners, variation
 * selectors, emoji modifiers, regional-indicator flags. Anything else is split per code point,
 * much faster than by `Intl.Segmenter`, and with the same result.
 */
const multiCodePointClusters = /[\p{M}\p{Cf}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}]/u;

let segmenter: Intl.Segmenter | undefined;

/** The user-perceived characters (grapheme clusters) of a text, in order. */
export function clusters(text: string): Iterable<string> {
  if (!multiCodePointClusters.test(text)) return text;
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (segment) => segment.segment);
}

/** Resolutions per chain and cluster, shared by every document of the thread (they never change). */
const memos = new WeakMap<readonly FontFace[], Map<string, Resolution>>();
/** A thread renders a bounded set of characters in practice; this bounds it for hostile input too. */
const maxMemoised = 50_000;

function resolve(chain: readonly FontFace[], cluster: string): Resolution {
  let memo = memos.get(chain);
  if (memo === undefined) {
    memo = new Map();
    memos.set(chain, memo);
  }
  let resolution = memo.get(cluster);
  if (resolution === undefined) {
    resolution = resolveUncached(chain, cluster);
    if (memo.size >= maxMemoised) memo.clear();
    memo.set(cluster, resolution);
  }
  return resolution;
}

function resolveUncached(chain: readonly FontFace[], cluster: string): Resolution {
  const replacement = (undrawn: Resolution['undrawn']): Resolution => {
    const face = chain.find((candidate) => candidate.has(0xfffd)) ?? chain[0]!;
    const width = face.advance(0xfffd);
    return { parts: [{ face, text: replacementCharacter, width }], width, undrawn };
  };
  if (unsupportedScript.test(cluster)) return replacement('unsupportedScript');

  const visible = cluster.replace(defaultIgnorable, '');
  if (visible === '') return { parts: [], width: 0 };
  const codePoints = Array.from(visible, (char) => char.codePointAt(0)!);
  const whole = chain.find((face) => codePoints.every((codePoint) => face.has(codePoint)));
  if (whole !== undefined) {
    const width = codePoints.reduce((sum, codePoint) => sum + whole.advance(codePoint), 0);
    return { parts: [{ face: whole, text: visible, width }], width };
  }
  // A space no face has (U+3000 IDEOGRAPHIC SPACE, say) is still a space.
  if (/^\p{Zs}$/u.test(visible)) return resolve(chain, ' ');

  // A base and its marks in different faces: each code point from the first face that has it.
  const parts: TextRun[] = [];
  for (const codePoint of codePoints) {
    const face = chain.find((candidate) => candidate.has(codePoint));
    if (face === undefined) return replacement('missingGlyph');
    parts.push({ face, text: String.fromCodePoint(codePoint), width: face.advance(codePoint) });
  }
  return { parts, width: parts.reduce((sum, part) => sum + part.width, 0) };
}

interface LineRuns {
  runs: TextRun[];
  /** The clusters of the line that are drawn as U+FFFD, in order, and why. */
  undrawn: Array<[string, NonNullable<Resolution['undrawn']>]>;
}

const runMemos = new WeakMap<readonly FontFace[], Map<string, LineRuns>>();
/**
 * Lines memoised per chain, and the longest memoised: a drawn line fits the page's width, so
 * only characters without width (marks, format characters) make one longer.
 */
const maxMemoisedLines = 8_192;
const maxMemoisedLineLength = 1_000;

function layOutRuns(chain: readonly FontFace[], text: string): LineRuns {
  const runs: TextRun[] = [];
  const undrawn: LineRuns['undrawn'] = [];
  let last: TextRun | undefined;
  for (const cluster of clusters(text)) {
    const resolution = resolve(chain, cluster);
    if (resolution.undrawn !== undefined) undrawn.push([cluster, resolution.undrawn]);
    for (const part of resolution.parts) {
      if (last !== undefined && last.face === part.face) {
        last.text += part.text;
        last.width += part.width;
      } else {
        last = { ...part };
        runs.push(last);
      }
    }
  }
  return { runs, undrawn };
}

/**
 * Measuring and splitting for one document; it notes the characters it could not draw. `width`
 * only measures (text that is measured may still be cut by the two-page limit); `runs` is
 * called for what is drawn, and only that is reported.
 */
export function createTextRuns(chains: FontChains) {
  const missingGlyph = new Set<string>();
  const unsupported = new Set<string>();

  return {
    width(kind: FontKind, text: string, size: number): number {
      const chain = chains[kind];
      let total = 0;
      for (const cluster of clusters(text)) total += resolve(chain, cluster).width;
      return total * size;
    },

    /**
     * The runs `text` is drawn in, left to right; consecutive clusters of one face make one run.
     * Memoised per thread when the line `recurs` (most lines of a template are the same in every
     * contract of a group).
     */
    runs(kind: FontKind, text: string, recurs: boolean): readonly TextRun[] {
      const chain = chains[kind];
      let memo = runMemos.get(chain);
      if (memo === undefined) runMemos.set(chain, (memo = new Map()));
      let line = memo.get(text);
      if (line === undefined) {
        line = layOutRuns(chain, text);
        if (recurs && text.length <= maxMemoisedLineLength) {
          if (memo.size >= maxMemoisedLines) memo.clear();
          memo.set(text, line);
        }
      }
      for (const [cluster, undrawn] of line.undrawn) (undrawn === 'missingGlyph' ? missingGlyph : unsupported).add(cluster);
      return line.runs;
    },

    /** What `runs` could not draw so far, or null when everything was drawn. */
    undrawn(): UndrawnCharacters | null {
      if (missingGlyph.size === 0 && unsupported.size === 0) return null;
      return { missingGlyphs: [...missingGlyph], unsupportedScript: [...unsupported] };
    },
  };
}

export type TextRuns = ReturnType<typeof createTextRuns>;
