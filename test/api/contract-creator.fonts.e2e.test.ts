import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractsDocument } from '../generated/graphql.js';
import { createGroup, feedbackUntilEnd, startContractCreator } from '../support/contract-fixtures.js';
import { cjkFontFile, pdfText } from '../support/pdf-tools.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const clients = [
  { name: 'Ada Lovelace', email: 'ada@example.org', address: '12 St James Square, London' },
  { name: '山田 太郎', email: 'taro@example.jp', address: '東京都千代田区1-1' },
  { name: 'Фёдор Достоевский', email: 'fyodor@example.org', address: 'Кузнечный переулок 5' },
];

/** Runs ContractCreator on a new group of `clients`; returns its feedback lines and each client's PDF text. */
async function runGroup(server: TestApp) {
  const groupId = await createGroup(server, { name: 'International', clients });
  const execution = await startContractCreator(server, groupId);
  const events = await feedbackUntilEnd(server, execution.id);
  const { contracts } = await server.request(ContractsDocument, { executionId: execution.id, first: 10 });
  const texts = new Map<string, string>();
  for (const { node } of contracts.edges) {
    const response = await fetch(new URL(node.downloadUrl, server.url));
    texts.set(node.client.name, await pdfText(new Uint8Array(await response.arrayBuffer())));
  }
  return {
    status: events.at(-1)!.status,
    feedback: events.filter((event) => event.kind === 'FEEDBACK').map((event) => event.message ?? ''),
    texts,
  };
}

describe('ContractCreator without a fallback font', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('completes, and its feedback names the characters of a CJK name it could not draw', async () => {
    const { status, feedback, texts } = await runGroup(server);

    expect(status).toBe('COMPLETED');
    expect(feedback).toHaveLength(3);
    // Lines for contracts with nothing missing keep their usual wording exactly.
    expect(feedback.filter((line) => /^Created contract \d of 3 for (Ada Lovelace|Фёдор Достоевский)$/.test(line))).toHaveLength(2);
    expect(feedback.find((line) => line.includes('山田'))).toMatch(
      /^Created contract \d of 3 for 山田 太郎 \(could not draw 10 characters: 山 田 太 郎 東 京 都 千 代 区; set CONTRACT_FONT_FILES to a font that has them\)$/,
    );
    expect(texts.get('山田 太郎')).toContain('Client: \uFFFD\uFFFD \uFFFD\uFFFD');
    expect(texts.get('Фёдор Достоевский')).toContain('Client: Фёдор Достоевский');
    expect(texts.get('Фёдор Достоевский')).toContain('Address: Кузнечный переулок 5');
  });
});

describe('ContractCreator with CONTRACT_FONT_FILES set to a CJK font', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({}, { contracts: { fontFiles: [cjkFontFile] } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('draws the CJK name and address, and reports nothing missing', async () => {
    const { status, feedback, texts } = await runGroup(server);

    expect(status).toBe('COMPLETED');
    expect(feedback).toHaveLength(3);
    for (const line of feedback) expect(line).toMatch(/^Created contract \d of 3 for [^()]+$/);
    expect(texts.get('山田 太郎')).toContain('Client: 山田 太郎');
    expect(texts.get('山田 太郎')).toContain('Address: 東京都千代田区1-1');
    expect(texts.get('Ada Lovelace')).toContain('Client: Ada Lovelace');
  });
});
