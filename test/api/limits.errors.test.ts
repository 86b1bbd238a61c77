import { parse } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskExecutionsDocument, TaskFeedbackDocument } from '../generated/graphql.js';
import { storeFailingToRead } from '../support/broken-store.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** What the store "knows" and no client may see: it is in the error an unlucky read throws. */
const secret = 'connection to db-7.internal:27017 refused (user ops, password hunter2)';

describe('errors masked: unexpected ones are "Unexpected error." to clients and logged in full', () => {
  const logLines: string[] = [];
  let server: TestApp;
  let previousNodeEnv: string | undefined;

  beforeAll(async () => {
    const store = storeFailingToRead('explode', new Error(secret));
    const logger = pino({ level: 'error' }, { write: (line: string) => void logLines.push(line) });
    server = await startTestApp({}, { store, logger });
    // yoga would copy the original error into responses when NODE_ENV=development: it must not.
    previousNodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
  });
  afterAll(async () => {
    process.env.NODE_ENV = previousNodeEnv;
    await server?.close();
  });

  /** The log entry of the masked error: pino's `err` with the original message and stack. */
  function loggedError(): { msg: string; err: { message: string; stack: string; path?: unknown; originalError?: { message: string } } } {
    const entries = logLines.map((line) => JSON.parse(line) as ReturnType<typeof loggedError>);
    const entry = entries.find((candidate) => JSON.stringify(candidate.err ?? {}).includes('hunter2'));
    expect(entry, `no log entry holds the original error; the log: ${logLines.join('')}`).toBeDefined();
    return entry!;
  }

  it('answers an unexpected error over HTTP with "Unexpected error." only, and logs the original with its stack', async () => {
    logLines.length = 0;
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ taskStatus(executionId: "explode") { id } }' }),
    });
    const text = await response.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('internal');
    const answer = JSON.parse(text) as { errors: Array<{ message: string; path: string[]; extensions: Record<string, unknown> }> };
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors[0]).toMatchObject({ message: 'Unexpected error.', path: ['taskStatus'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });

    const { err } = loggedError();
    expect(err.path).toEqual(['taskStatus']);
    expect(JSON.stringify(err)).toContain(secret);
    expect(JSON.stringify(err)).toMatch(/at .*\.ts:\d+/); // the stack, down to our sources
  });

  it('answers an unexpected error over WebSocket with "Unexpected error." only, and logs it', async () => {
    logLines.length = 0;
    const feed = server.subscribe(TaskFeedbackDocument, { executionId: 'explode' });
    const failure = await feed.done.then(
      () => new Error('the subscription completed without an error'),
      (error: Error) => error,
    );
    expect(failure.message).toContain('Unexpected error.');
    expect(failure.message).not.toContain('hunter2');
    expect(JSON.stringify(loggedError().err)).toContain(secret);
  });

  it('shows deliberate errors as they are, with their code', async () => {
    const result = await server.execute(TaskExecutionsDocument, { first: 1000 });
    expect(result.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/"first" must be between 0 and 100/), extensions: { code: 'BAD_USER_INPUT' } })]);
    const feed = server.subscribe(parse('subscription { taskFeedback(executionId: "no-such-execution") { sequence } }'), {});
    await expect(feed.done).rejects.toThrow(/No execution has the id/);
  });
});
