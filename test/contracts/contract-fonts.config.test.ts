import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { loadContractSettings } from '../../src/contracts/contract-settings.js';
import { undrawnNote } from '../../src/contracts/undrawn-note.js';
import { cjkFontFile } from '../support/pdf-tools.js';

describe('CONTRACT_FONT_FILES at start', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'contract-fonts-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const problem = (env: Record<string, string>) => {
    try {
      loadContractSettings(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems.join('\n');
      throw error;
    }
    return null;
  };

  it('is empty by default and takes a comma-separated list of absolute or relative paths', () => {
    expect(loadContractSettings({}).fontFiles).toEqual([]);
    const relativePath = relative(process.cwd(), cjkFontFile);
    expect(loadContractSettings({ CONTRACT_FONT_FILES: ` ${cjkFontFile} ,, ${relativePath}` }).fontFiles).toEqual([cjkFontFile, cjkFontFile]);
  });

  it('refuses a missing file, naming the variable and the file', () => {
    const missing = join(dir, 'nope.ttf');
    expect(problem({ CONTRACT_FONT_FILES: `${cjkFontFile},${missing}` })).toBe(`CONTRACT_FONT_FILES: ${missing} no such file`);
  });

  it('refuses a file that is not a font, and a font collection', async () => {
    const text = join(dir, 'notes.ttf');
    await writeFile(text, 'not a font at all');
    expect(problem({ CONTRACT_FONT_FILES: text })).toMatch(new RegExp(`^CONTRACT_FONT_FILES: ${text} is not a TrueType or OpenType font`));

    // The header of a TrueType collection holding no fonts.
    const collection = join(dir, 'fonts.ttc');
    await writeFile(collection, Buffer.from([0x74, 0x74, 0x63, 0x66, 0, 1, 0, 0, 0, 0, 0, 0]));
    expect(problem({ CONTRACT_FONT_FILES: collection })).toBe(
      `CONTRACT_FONT_FILES: ${collection} is a font collection (.ttc or .dfont): give one .ttf or .otf file`,
    );
  });
});

describe('the feedback note on undrawn characters', () => {
  it('is empty when everything was drawn, so the line stays "Created contract k of n for <name>"', () => {
    expect(undrawnNote(null)).toBe('');
  });

  it('lists at most 20 characters and says how many more there are', () => {
    const many = Array.from({ length: 23 }, (_, i) => String.fromCodePoint(0x4e00 + i));
    expect(undrawnNote({ missingGlyphs: many, unsupportedScript: [] })).toBe(
      ` (could not draw 23 characters: ${many.slice(0, 20).join(' ')} … (3 more); set CONTRACT_FONT_FILES to a font that has them)`,
    );
  });

  it('stays short when a character carries hundreds of combining marks, so the feedback line fits its limit', () => {
    const heavy = Array.from({ length: 20 }, (_, i) => String.fromCodePoint(0x4e00 + i) + '\u0301'.repeat(500));
    const note = undrawnNote({ missingGlyphs: heavy, unsupportedScript: heavy });
    expect(note.length).toBeLessThan(1_000);
    expect(note).toContain(`${String.fromCodePoint(0x4e00)}${'\u0301'.repeat(7)}…`);
  });

  it('names right-to-left and complex scripts as what the renderer cannot lay out', () => {
    expect(undrawnNote({ missingGlyphs: ['🎉'], unsupportedScript: ['ש'] })).toBe(
      ' (could not draw 1 character: 🎉; set CONTRACT_FONT_FILES to a font that has them; ' +
        'could not draw 1 character of a right-to-left or complex script, which the PDF renderer cannot lay out: ש)',
    );
  });
});
