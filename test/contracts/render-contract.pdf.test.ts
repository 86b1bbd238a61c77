import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { transferableSymbol, valueSymbol } from 'piscina';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPoolForTests } from '../support/render-pool.js';
import { fillTemplate } from '../../src/contracts/contract-text.js';
import { renderContract } from '../../src/contracts/render-contract.js';
import {
  unpackRenderedContracts,
  type ContractParty,
  type ContractTemplate,
  type RenderContractsJob,
  type RenderContractsResult,
} from '../../src/contracts/render-job.js';
import { renderContracts } from '../../src/contracts/workers.js';

const run = promisify(execFile);

const template: ContractTemplate = {
  title: 'Consulting Services Agreement',
  body: [
    'This agreement is made on {{date}} between Example Consulting and {{name}}, of {{address}}.',
    'Invoices are sent to {{email}}.\nPayment is due within 30 days.',
    'Either party may end this agreement with 30 days of notice.',
  ].join('\n\n'),
  version: 2,
};
const date = '2025-03-14';
const client: ContractParty = {
  clientId: 'client-1',
  name: 'Zoë Núñez-Brückner',
  email: 'zoe.nunez@example.org',
  address: 'Königstraße 27, 70173 Stuttgart, Germany',
};

let dir: string;

/** Text as extracted by poppler (whitespace collapsed, so wrapping does not matter) and page info. */
async function inspect(bytes: Uint8Array): Promise<{ text: string; pages: number; pageSize: string }> {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  await writeFile(file, bytes);
  const [{ stdout: text }, { stdout: info }] = await Promise.all([
    run('pdftotext', ['-enc', 'UTF-8', file, '-']),
    run('pdfinfo', [file]),
  ]);
  return {
    text: text.replace(/\s+/g, ' '),
    pages: Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]),
    pageSize: /^Page size:\s+(.*)$/m.exec(info)?.[1] ?? '',
  };
}

beforeAll(async () => {
  try {
    await run('pdftotext', ['-v']);
  } catch {
    throw new Error('These tests need poppler: apt-get install -y poppler-utils');
  }
  dir = await mkdtemp(join(tmpdir(), 'render-contract-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fillTemplate', () => {
  it('fills known placeholders once and leaves unknown ones as they are', () => {
    expect(fillTemplate('{{name}} / {{ date }} / {{other}}', { name: '{{date}}', date: 'today' })).toBe(
      '{{date}} / today / {{other}}',
    );
  });
});

describe('renderContract', () => {
  it('draws a personalised A4 contract whose text poppler extracts verbatim', async () => {
    const pdf = await inspect((await renderContract({ template, groupName: 'Standard', date, party: client })).pdf);

    expect(pdf.text).toContain(template.title);
    expect(pdf.text).toContain(client.name);
    expect(pdf.text).toContain(client.email);
    expect(pdf.text).toContain(`made on ${date} between Example Consulting and ${client.name}, of ${client.address}.`);
    expect(pdf.text).toContain('Contract group: Standard');
    expect(pdf.text).not.toContain('{{');
    expect([1, 2]).toContain(pdf.pages);
    expect(pdf.pageSize).toMatch(/^595\.28 x 841\.89 pts/);
  });

  it('never needs more than two pages, however long the body', async () => {
    const body = `Dear {{name}},\n\n${'This clause is long on purpose. '.repeat(120)}\n\n`.repeat(12);
    const pdf = await inspect((await renderContract({ template: { ...template, body }, groupName: 'Premium', date, party: client })).pdf);

    expect(pdf.pages).toBe(2);
    expect(pdf.text).toContain('shortened');
    // The parties and signatures are kept when the body is cut.
    expect(pdf.text).toContain(`Client: ${client.name}`);
  });

  it('writes whole, readable font objects in every contract, one page or two, in any order', async () => {
    // A thread reuses each font's serialised objects per numbering, and a two-page contract
    // numbers its objects differently from a one-page one.
    const twoPages = { ...template, body: `${template.body}\n\n${'Each party keeps a copy of this agreement. '.repeat(150)}` };
    for (const [index, body] of [template, twoPages, template, twoPages, template].entries()) {
      const name = `Client ${index} Zoë`;
      const file = join(dir, `fonts-${index}.pdf`);
      await writeFile(file, (await renderContract({ template: body, groupName: 'Standard', date, party: { ...client, name } })).pdf);
      const [text, fonts, info] = await Promise.all([
        run('pdftotext', ['-enc', 'UTF-8', file, '-']),
        run('pdffonts', [file]),
        run('pdfinfo', [file]),
      ]);

      // poppler reports broken references and objects on stderr.
      expect([text.stderr, fonts.stderr, info.stderr]).toEqual(['', '', '']);
      expect(text.stdout.replace(/\s+/g, ' ')).toContain(`Client: ${name}`);
      expect(info.stdout).toMatch(new RegExp(`^Pages:\\s+${body === template ? 1 : 2}$`, 'm'));
      const embedded = fonts.stdout.split('\n').filter((line) => / CID TrueType +Identity-H +yes yes yes /.test(line));
      expect(embedded.map((line) => line.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['DejaVuSans', 'DejaVuSans-Bold']);
    }
  });

  it('draws characters no font has as U+FFFD and reports them, instead of failing or hiding them', async () => {
    const party = { ...client, name: 'Party 🎉 李雷' };
    const rendered = await renderContract({ template: { ...template, title: 'Vertrag ✓' }, groupName: 'Standard', date, party });
    const pdf = await inspect(rendered.pdf);

    expect(pdf.text).toContain('Party \uFFFD \uFFFD\uFFFD');
    // DejaVu Sans has the check mark, which Helvetica did not.
    expect(pdf.text).toContain('Vertrag ✓');
    expect(rendered.undrawn).toEqual({ missingGlyphs: ['🎉', '李', '雷'], unsupportedScript: [] });
  });

  it('reports nothing undrawn for a contract whose every character was drawn', async () => {
    expect((await renderContract({ template, groupName: 'Standard', date, party: client })).undrawn).toBeNull();
  });
});

describe('renderContracts worker', () => {
  const clients: ContractParty[] = [
    client,
    { clientId: 'client-2', name: 'Oliver Bennett', email: 'oliver@example.com', address: '27 Elm Grove, Bristol BS6 5QT' },
    { clientId: 'client-3', name: 'Sofía Ramírez', email: 'sofia@example.net', address: 'Calle de Alcalá 118, 28009 Madrid' },
  ];
  const job: RenderContractsJob = { template, groupName: 'Standard', date, clients };
  const pool = renderPoolForTests();

  it('returns one PDF per client, packed into one buffer', async () => {
    const result = await pool.render(job);

    // A moved value nested in the result would arrive as `{}` (see workers.ts).
    expect(result.buffer).toBeInstanceOf(ArrayBuffer);
    expect(result.buffer.byteLength).toBe(result.contracts.reduce((sum, c) => sum + c.length, 0));
    const contracts = unpackRenderedContracts(result);
    expect(contracts.map((c) => c.clientId)).toEqual(clients.map((c) => c.clientId));
    for (const { bytes } of contracts) {
      expect(bytes.buffer).toBe(result.buffer);
      expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
    }
    const second = await inspect(contracts[1]!.bytes);
    expect(second.text).toContain('Oliver Bennett');
    expect(contracts.map((c) => c.undrawn)).toEqual([null, null, null]);
  });

  it('says per contract which characters it could not draw', async () => {
    const result = await pool.render({ ...job, clients: [clients[1]!, { ...clients[0]!, clientId: 'client-cjk', name: '山田 太郎' }] });

    expect(unpackRenderedContracts(result).map((c) => [c.clientId, c.undrawn])).toEqual([
      ['client-2', null],
      ['client-cjk', { missingGlyphs: ['山', '田', '太', '郎'], unsupportedScript: [] }],
    ]);
  });

  it('hands its buffer to piscina as a movable value, so it is transferred, not copied', async () => {
    const result = await renderContracts(job);
    const movable = result as RenderContractsResult & { [transferableSymbol]: unknown; [valueSymbol]: RenderContractsResult };
    expect(movable[transferableSymbol]).toBe(result.buffer);
    expect(movable[valueSymbol]).toEqual({ buffer: result.buffer, contracts: result.contracts });

    // Piscina decides "movable or not" with the same check for a task (main -> worker) as for a
    // result (worker -> main). Sending this value as a task therefore shows what happens to the
    // result: if it is movable, its buffer is transferred and detached here. (The worker then
    // rejects the value, which is not a job.)
    const byteLength = result.buffer.byteLength;
    expect(byteLength).toBeGreaterThan(0);
    await expect(pool.run(result)).rejects.toThrow();
    expect(result.buffer.byteLength).toBe(0);
  });
});
