/**
 * Embeds a font face into one contract PDF as a subset: a Type0 font over a CIDFontType2 with
 * Identity-H encoding, a /W array of advance widths and a ToUnicode map, the structure pdf-lib's
 * own `embedFont(bytes, { subset: true })` writes. What differs is the cost. pdf-lib compiles and
 * deflates a new subset for every document, with its glyphs numbered in the order the text first
 * used them: for a 2-page contract that took longer than everything else together. Here a
 * subset's glyphs are numbered in glyph-id order, so the subset depends only on the set of glyphs,
 * and each compiled set (font file, ToUnicode map and widths, deflated) is kept per thread. The
 * built-in faces always include printable ASCII (contract-fonts.ts), so the contracts of a group
 * mostly share one subset per face and only pay for registering a few PDF objects.
 */
import { createHash } from 'node:crypto';
import { zlibSync } from 'fflate';
import { PDFContext, PDFNumber, PDFRef, PDFString, type PDFDocument } from 'pdf-lib';
import type { FontFace } from './contract-fonts.js';
import { PDFBytesStream } from './pdf-bytes-stream.js';
import { PDFSerializedObject } from './pdf-serialized-object.js';

/** A face as embedded in one document: the font's reference and how to encode text for it. */
export interface EmbeddedFace {
  ref: PDFRef;
  /** The font's name, used as the tag of its entry in a page's font resources. */
  name: string;
  /**
   * The text as a PDF string of glyph codes, two bytes each (a literal string, `(…)`, of Latin-1
   * characters: half the bytes of a hex string for the page's deflate to read); every code point
   * must be one the face has. Memoised per subset when the text `recurs`.
   */
  encode(text: string, recurs: boolean): string;
}

interface CompiledSubset {
  baseFont: string;
  /**
   * The code (the subset's glyph id) of each original glyph id, as it goes inside a literal
   * string: two Latin-1 characters, escaped where PDF needs it.
   */
  codes: Map<number, string>;
  /** Encoded strings by text: the lines a group's contracts share are encoded once per thread. */
  encoded: Map<string, string>;
  /**
   * Advance widths in thousandths of the font size, for codes 1, 2, ..., to two decimals (a
   * thousandth of a point on a line of text).
   */
  widths: PDFNumber[];
  /** The font file and ToUnicode streams, written whole: they name no other object. */
  fontFile: PDFSerializedObject;
  toUnicode: PDFSerializedObject;
  /**
   * The descriptor, CIDFont and Type0 dictionaries, which name the other objects of the face by
   * number, written once per numbering (the number of the face's first object): a group's
   * contracts with as many pages number their objects alike. Writing them, the widths above all,
   * was the largest part of a one-page contract's CPU after deflating.
   */
  dictionaries: Map<number, FontDictionaries>;
}

interface FontDictionaries {
  descriptor: PDFSerializedObject;
  cidFont: PDFSerializedObject;
  type0: PDFSerializedObject;
}

/** Compiled subsets per face, most recently used last. */
const subsetsByFace = new WeakMap<FontFace, Map<string, Promise<CompiledSubset>>>();
/** Enough for the distinct character sets of many groups at once, at about 30 kB each. */
const maxSubsetsPerFace = 64;
/** Numberings kept per subset: one per page count, and a few for faces embedded in another order. */
const maxNumberingsPerSubset = 8;
/** Encoded strings kept per subset (a two-page contract has about 150 lines), and the longest kept. */
const maxEncodedPerSubset = 4_096;
const maxEncodedLength = 1_000;
/** Where the serialised objects are built: a dictionary needs a context, never this document's. */
const scratch = PDFContext.create();

/**
 * Embeds `face` into `doc` with the glyphs of `codePoints` (code points the face has). TrueType
 * faces get a cached subset; a CFF-flavoured OpenType face is left to pdf-lib's own subsetting,
 * which handles CFF and is slower, but such a face draws only what DejaVu lacks.
 */
export async function embedFontFace(doc: PDFDocument, face: FontFace, codePoints: Iterable<number>): Promise<EmbeddedFace> {
  if (!face.trueType) {
    const font = await doc.embedFont(face.bytes, { subset: true });
    return { ref: font.ref, name: font.name, encode: (text) => font.encodeText(text).toString() };
  }
  const subset = await compiledSubset(face, codePoints);
  const { context } = doc;
  // Five consecutive objects: font file, descriptor, CIDFont, ToUnicode, Type0.
  const [fontFile, descriptor, cidFont, toUnicode, ref] = Array.from({ length: 5 }, () => context.nextRef()) as [PDFRef, PDFRef, PDFRef, PDFRef, PDFRef];
  const dictionaries = fontDictionaries(face, subset, fontFile.objectNumber);
  context.assign(fontFile, subset.fontFile);
  context.assign(descriptor, dictionaries.descriptor);
  context.assign(cidFont, dictionaries.cidFont);
  context.assign(toUnicode, subset.toUnicode);
  context.assign(ref, dictionaries.type0);
  return {
    ref,
    name: subset.baseFont,
    encode(text, recurs) {
      let encoded = subset.encoded.get(text);
      if (encoded !== undefined) return encoded;
      encoded = '(';
      for (const char of text) {
        const code = subset.codes.get(face.glyphId(char.codePointAt(0)!));
        if (code === undefined) throw new Error(`${face.file} has no glyph for U+${char.codePointAt(0)!.toString(16)} in this subset`);
        encoded += code;
      }
      encoded += ')';
      if (recurs && text.length <= maxEncodedLength) {
        if (subset.encoded.size >= maxEncodedPerSubset) subset.encoded.clear();
        subset.encoded.set(text, encoded);
      }
      return encoded;
    },
  };
}

function fontDictionaries(face: FontFace, subset: CompiledSubset, first: number): FontDictionaries {
  const known = subset.dictionaries.get(first);
  if (known !== undefined) return known;
  const [fontFile, descriptor, cidFont, toUnicode] = [0, 1, 2, 3].map((offset) => PDFRef.of(first + offset));
  const font = face.font;
  const scale = 1000 / font.unitsPerEm;
  const dictionaries: FontDictionaries = {
    descriptor: PDFSerializedObject.of(
      scratch.obj({
        Type: 'FontDescriptor',
        FontName: subset.baseFont,
        Flags: fontFlags(face),
        FontBBox: [font.bbox.minX * scale, font.bbox.minY * scale, font.bbox.maxX * scale, font.bbox.maxY * scale],
        ItalicAngle: font.italicAngle,
        Ascent: font.ascent * scale,
        Descent: font.descent * scale,
        CapHeight: (font.capHeight || font.ascent) * scale,
        XHeight: (font.xHeight || 0) * scale,
        StemV: 0,
        FontFile2: fontFile,
      }),
    ),
    cidFont: PDFSerializedObject.of(
      scratch.obj({
        Type: 'Font',
        Subtype: 'CIDFontType2',
        BaseFont: subset.baseFont,
        CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
        FontDescriptor: descriptor,
        W: [1, subset.widths],
        CIDToGIDMap: 'Identity',
      }),
    ),
    type0: PDFSerializedObject.of(
      scratch.obj({
        Type: 'Font',
        Subtype: 'Type0',
        BaseFont: subset.baseFont,
        Encoding: 'Identity-H',
        DescendantFonts: [cidFont],
        ToUnicode: toUnicode,
      }),
    ),
  };
  if (subset.dictionaries.size >= maxNumberingsPerSubset) subset.dictionaries.delete(subset.dictionaries.keys().next().value!);
  subset.dictionaries.set(first, dictionaries);
  return dictionaries;
}

/** A face's base glyphs (printable ASCII for the built-in faces): most contracts use no others. */
const baseByFace = new WeakMap<FontFace, { glyphIds: Set<number>; sorted: number[]; key: string }>();

function compiledSubset(face: FontFace, codePoints: Iterable<number>): Promise<CompiledSubset> {
  let base = baseByFace.get(face);
  if (base === undefined) {
    const glyphIds = new Set(face.subsetBase.map((codePoint) => face.glyphId(codePoint)));
    glyphIds.delete(0);
    const sorted = [...glyphIds].sort((a, b) => a - b);
    baseByFace.set(face, (base = { glyphIds, sorted, key: sorted.join(',') }));
  }
  // The key is the base's and the other glyphs': the full sorted list is made only to compile.
  let extra: Set<number> | null = null;
  for (const codePoint of codePoints) {
    const glyphId = face.glyphId(codePoint);
    if (glyphId !== 0 && !base.glyphIds.has(glyphId)) (extra ??= new Set()).add(glyphId);
  }
  const extraIds = extra === null ? [] : [...extra].sort((a, b) => a - b);
  const key = extra === null ? base.key : `${base.key}+${extraIds.join(',')}`;

  let subsets = subsetsByFace.get(face);
  if (subsets === undefined) {
    subsets = new Map();
    subsetsByFace.set(face, subsets);
  }
  let compiled = subsets.get(key);
  if (compiled !== undefined) {
    subsets.delete(key); // re-inserted below: most recently used last
  } else {
    compiled = compile(face, extra === null ? base.sorted : [...base.sorted, ...extraIds].sort((a, b) => a - b));
    // A failed compile is not kept: the next document tries again.
    compiled.catch(() => subsets.delete(key));
    if (subsets.size >= maxSubsetsPerFace) subsets.delete(subsets.keys().next().value!);
  }
  subsets.set(key, compiled);
  return compiled;
}

async function compile(face: FontFace, glyphIds: number[]): Promise<CompiledSubset> {
  const subset = face.font.createSubset();
  const codes = new Map<number, string>();
  const widths: PDFNumber[] = [];
  const bfChars: string[] = [];
  const scale = 1000 / face.font.unitsPerEm;
  for (const glyphId of glyphIds) {
    // fontkit's subset starts with glyph 0 (.notdef) and numbers the rest in the order included;
    // composite glyphs add their components after these, which no text code refers to.
    const id = subset.includeGlyph(glyphId);
    const code = hex4(id);
    codes.set(glyphId, literalByte(id >> 8) + literalByte(id & 0xff));
    widths.push(PDFNumber.of(Math.round(face.font.getGlyph(glyphId).advanceWidth * scale * 100) / 100));
    const codePoint = face.codePointOf(glyphId);
    if (codePoint !== undefined) bfChars.push(`<${code}> <${utf16Hex(codePoint)}>`);
  }
  const fontFile = await encodeSubset(subset);
  // The PDF subset-name convention: six capital letters, a plus sign, the font's name. Derived from
  // the glyph set, so the same contract comes out byte for byte the same.
  const digest = createHash('sha256').update(`${face.file}\n${glyphIds.join(',')}`).digest();
  const tag = Array.from(digest.subarray(0, 6), (byte) => String.fromCharCode(65 + (byte % 26))).join('');
  const postscriptName = (face.font.postscriptName ?? 'Font').replace(/[^!-~]|[()<>[\]{}/%#]/g, '');
  return {
    baseFont: `${tag}+${postscriptName}`,
    codes,
    encoded: new Map(),
    widths,
    fontFile: PDFSerializedObject.of(
      new PDFBytesStream(scratch.obj({ Filter: 'FlateDecode', Length1: fontFile.byteLength }), zlibSync(fontFile)),
    ),
    toUnicode: PDFSerializedObject.of(
      new PDFBytesStream(scratch.obj({ Filter: 'FlateDecode' }), zlibSync(Buffer.from(toUnicodeCMap(bfChars), 'latin1'))),
    ),
    dictionaries: new Map(),
  };
}

function encodeSubset(subset: ReturnType<FontFace['font']['createSubset']>): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    const stream = subset.encodeStream() as ReturnType<typeof subset.encodeStream> & {
      on(event: 'error', callback: (error: Error) => void): unknown;
    };
    stream.on('data', (bytes) => parts.push(bytes));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
}

/**
 * One byte inside a PDF literal string: as itself, except the delimiters and the backslash
 * (escaped) and the line ends, which a reader would normalise (PDF 32000-1, 7.3.4.2).
 */
function literalByte(byte: number): string {
  if (byte === 0x28 || byte === 0x29 || byte === 0x5c) return `\\${String.fromCharCode(byte)}`;
  if (byte === 0x0a) return '\\n';
  if (byte === 0x0d) return '\\r';
  return String.fromCharCode(byte);
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

/** A code point as UTF-16BE hex (a surrogate pair above U+FFFF), as ToUnicode maps want it. */
function utf16Hex(codePoint: number): string {
  const text = String.fromCodePoint(codePoint);
  let hex = '';
  for (let i = 0; i < text.length; i++) hex += hex4(text.charCodeAt(i));
  return hex;
}

/** A ToUnicode CMap (PDF 32000-1, 9.10.3) mapping each glyph code to its character. */
function toUnicodeCMap(bfChars: string[]): string {
  const sections: string[] = [];
  // At most 100 entries per beginbfchar section.
  for (let i = 0; i < bfChars.length; i += 100) {
    const chunk = bfChars.slice(i, i + 100);
    sections.push(`${chunk.length} beginbfchar\n${chunk.join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...sections,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

/** The descriptor's /Flags (PDF 32000-1, 9.8.2), as pdf-lib derives them: symbolic, plus the font's own. */
const flagsByFace = new WeakMap<FontFace, number>();
function fontFlags(face: FontFace): number {
  let flags = flagsByFace.get(face);
  if (flags === undefined) {
    const font = face.font as unknown as {
      'OS/2'?: { sFamilyClass: number };
      post: { isFixedPitch: number };
      head: { macStyle: { italic: boolean } };
    };
    const familyClass = font['OS/2']?.sFamilyClass ?? 0;
    flags = 1 << 2; // symbolic: the glyphs are addressed by code, not by a standard encoding
    if (font.post.isFixedPitch) flags |= 1 << 0;
    if (familyClass >= 1 && familyClass <= 7) flags |= 1 << 1;
    if (familyClass === 10) flags |= 1 << 3;
    if (font.head.macStyle.italic) flags |= 1 << 6;
    flagsByFace.set(face, flags);
  }
  return flags;
}
