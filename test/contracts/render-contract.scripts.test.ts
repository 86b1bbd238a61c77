import { describe, expect, it } from 'vitest';
import { renderPoolForTests } from '../support/render-pool.js';
import { renderContract } from '../../src/contracts/render-contract.js';
import {
  unpackRenderedContracts,
  type ContractParty,
  type ContractTemplate,
} from '../../src/contracts/render-job.js';
import { cjkFontFile, pdfText } from '../support/pdf-tools.js';

const date = '2025-03-14';
const template: ContractTemplate = {
  title: 'Agreement',
  body: 'This agreement is made between Example Consulting and {{name}}, of {{address}}.',
  version: 1,
};
const party = (name: string, address = 'Main Street 1'): ContractParty => ({ clientId: 'c1', name, email: 'client@example.org', address });

async function render(name: string, options: { body?: string; title?: string; fontFiles?: string[]; address?: string } = {}) {
  const rendered = await renderContract({
    template: { ...template, ...(options.body === undefined ? {} : { body: options.body }), ...(options.title === undefined ? {} : { title: options.title }) },
    groupName: 'Standard',
    date,
    party: party(name, options.address),
    fontFiles: options.fontFiles ?? [],
  });
  return { text: await pdfText(rendered.pdf), undrawn: rendered.undrawn };
}

describe('contract text in every script DejaVu Sans covers', () => {
  it.each([
    ['Latin with accents', 'Zoë Núñez-Brückner, Łukasz Dvořák, Ærøskøbing Ðorđe', 'Übergabe in Kraków: Straße, façade, naïve, Søren, İstanbul, Ğ ş.'],
    ['Greek', 'Αλέξανδρος Παπαδόπουλος', 'Η σύμβαση υπογράφεται στην Αθήνα· ισχύει για ένα έτος.'],
    ['polytonic Greek', 'Ἀθηνᾶ Ὀδυσσεύς', 'Ἐν ἀρχῇ ἦν ὁ λόγος.'],
    ['Cyrillic', 'Фёдор Михайлович Достоевский', 'Настоящий договор заключён в городе Москве; Україна, Ґанок, Ђорђе, Љубљана.'],
  ])('draws a %s name and template body exactly as given', async (_, name, body) => {
    const { text, undrawn } = await render(name, { body: `${body} Client: {{name}}.`, title: body.split(' ').slice(0, 3).join(' ') });

    expect(undrawn).toBeNull();
    expect(text).toContain(`Client: ${name}`);
    expect(text).toContain(`${body} Client: ${name}.`);
    expect(text).toContain(body.split(' ').slice(0, 3).join(' '));
  });

  it('composes decomposed accents (NFC) and draws them as the composed letters', async () => {
    const name = 'Jose\u0301 Mu\u0308ller-Z\u030Cupanc\u030Cic\u0301';
    const { text, undrawn } = await render(name, { body: 'Cafe\u0301 cre\u0300me bru\u0302le\u0301e for {{name}}.' });

    expect(undrawn).toBeNull();
    expect(text).toContain(`Client: ${name.normalize('NFC')}`);
    expect(text).toContain('Café crème brûlée for José Müller-Župančić.');
  });

  it('draws a combining mark that has no precomposed letter with the font', async () => {
    // q + dot above has no precomposed form; A + two macrons composes to Ā + one macron.
    const { text, undrawn } = await render('Aq\u0307il A\u0304\u0304sa');

    expect(undrawn).toBeNull();
    expect(text).toContain('Client: Aq\u0307il \u0100\u0304sa');
  });

  it('keeps line breaks as paragraph breaks, turns tabs and controls into spaces and drops soft hyphens', async () => {
    const { text, undrawn } = await render('Anna\u00ADlena\tBrook\u0007s', { body: 'First\r\nclause.\r\n\r\nSecond\u2028clause for {{name}}.' });

    expect(undrawn).toBeNull();
    expect(text).toContain('Client: Annalena Brook s');
    expect(text).toContain('First clause. Second clause for Annalena Brook s.');
  });
});

describe('characters no font can draw', () => {
  it('draws emoji as U+FFFD and reports each one once, a multi-code-point emoji as one character', async () => {
    const { text, undrawn } = await render('Ada 👍🏽 Lovelace 👨‍👩‍👧 👍🏽', { body: 'Thanks {{name}} 🎉' });

    expect(text).toContain('Client: Ada \uFFFD Lovelace \uFFFD \uFFFD');
    expect(text).toContain('Thanks Ada \uFFFD Lovelace \uFFFD \uFFFD \uFFFD');
    expect(undrawn).toEqual({ missingGlyphs: ['👍🏽', '👨‍👩‍👧', '🎉'], unsupportedScript: [] });
  });

  it('draws an emoji with a text presentation DejaVu has, dropping the variation selector', async () => {
    const { text, undrawn } = await render('Heart \u2764\uFE0F Club');

    expect(undrawn).toBeNull();
    expect(text).toContain('Client: Heart \u2764 Club');
  });

  it('does not draw right-to-left text in the wrong order: it reports it instead', async () => {
    const { text, undrawn } = await render('שלום Levi', { address: 'شارع النيل 5' });

    expect(text).toContain('Client: \uFFFD\uFFFD\uFFFD\uFFFD Levi');
    expect(text).toContain('Address: \uFFFD\uFFFD\uFFFD\uFFFD \uFFFD\uFFFD\uFFFD\uFFFD\uFFFD 5');
    expect(undrawn).toEqual({ missingGlyphs: [], unsupportedScript: ['ש', 'ל', 'ו', 'ם', 'ش', 'ا', 'ر', 'ع', 'ل', 'ن', 'ي'] });
  });

  it('reports a CJK name without a fallback font, and draws it with one', async () => {
    const without = await render('山田 太郎');
    expect(without.text).toContain('Client: \uFFFD\uFFFD \uFFFD\uFFFD');
    expect(without.undrawn).toEqual({ missingGlyphs: ['山', '田', '太', '郎'], unsupportedScript: [] });

    const withFont = await render('山田 太郎', { fontFiles: [cjkFontFile], body: '本契約は{{name}}との間で締結される。' });
    expect(withFont.undrawn).toBeNull();
    expect(withFont.text).toContain('Client: 山田 太郎');
    expect(withFont.text).toContain('本契約は山田 太郎との間で締結される。');
  });
});

describe('font subsets shared between the documents of a thread', () => {
  const pool = renderPoolForTests();

  it('gives every contract of a batch its own text, whatever characters the others used', async () => {
    const names = ['Oliver Bennett', 'Zoë Ærøskøbing', 'Oliver Bennett', 'Фёдор 山田', 'Αλέξανδρος', 'Oliver Bennett', 'Фёдор 山田'];
    const clients = names.map((name, i) => ({ ...party(name), clientId: `c${i}` }));
    const result = await pool.render({ template, groupName: 'Standard', date, clients, fontFiles: [cjkFontFile] });

    const contracts = unpackRenderedContracts(result);
    const texts = await Promise.all(contracts.map((contract) => pdfText(contract.bytes)));
    texts.forEach((text, i) => {
      expect(text).toContain(`Client: ${names[i]}`);
      expect(text).toContain(`Example Consulting and ${names[i]}, of Main Street 1.`);
    });
    expect(contracts.every((contract) => contract.undrawn === null)).toBe(true);
  });
});
