import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `work` on the PDF written to a private temporary file, and removes the file afterwards. */
async function withPdfFile<T>(pdf: Uint8Array, work: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'contract-pdf-'));
  try {
    const file = join(dir, 'contract.pdf');
    await writeFile(file, pdf);
    return await work(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The text of a PDF as poppler's `pdftotext` reads it (UTF-8), with runs of whitespace as one space. */
export function pdfText(pdf: Uint8Array): Promise<string> {
  return withPdfFile(pdf, async (file) => {
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
    return stdout.replace(/\s+/g, ' ');
  });
}

/** The page count poppler's `pdfinfo` reports. */
export function pdfPageCount(pdf: Uint8Array): Promise<number> {
  return withPdfFile(pdf, async (file) => {
    const { stdout } = await run('pdfinfo', [file]);
    const pages = /^Pages:\s+(\d+)$/m.exec(stdout);
    if (!pages) throw new Error(`pdfinfo printed no page count:\n${stdout}`);
    return Number(pages[1]);
  });
}

/**
 * A font with CJK glyphs for CONTRACT_FONT_FILES tests: Noto Sans JP Regular, a TrueType file of
 * about 5 MB from the devDependency @expo-google-fonts/noto-sans-jp (pinned, installed by npm ci,
 * so no system package is needed).
 */
export const cjkFontFile = createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf');
