import { describe, expect, it } from 'vitest';
import {
  applyFeedback,
  mergeExecution,
  trackerOrder,
  type FeedbackEvent,
  type TrackedExecution,
  type TrackedExecutionInput,
} from '../../src/web/state/executions.js';

/**
 * The page's tracker merges two live sources and catch-up queries by event sequence; these are
 * the rules that keep it from going backwards when they arrive out of order or twice.
 */
function execution(overrides: Partial<TrackedExecutionInput> = {}): TrackedExecutionInput {
  return {
    id: 'e1',
    status: 'RUNNING',
    progress: 0.5,
    queuePosition: null,
    lastSequence: 10,
    queuedAt: '2026-01-01T10:00:00.000Z',
    startedAt: '2026-01-01T10:00:01.000Z',
    finishedAt: null,
    error: null,
    runAt: null,
    nextAttemptAt: null,
    priority: 0,
    failedAttempts: 0,
    retryOf: null,
    input: { groupId: 'premium' },
    task: { name: 'ContractCreator', retry: { attempts: 3 } },
    ...overrides,
  };
}

function event(sequence: number, overrides: Partial<FeedbackEvent> = {}): FeedbackEvent {
  return {
    sequence,
    kind: 'FEEDBACK',
    status: 'RUNNING',
    message: `Created contract ${sequence}`,
    mode: 'APPEND',
    progress: sequence / 20,
    execution: { id: 'e1', status: 'RUNNING', progress: sequence / 20, startedAt: '2026-01-01T10:00:01.000Z', finishedAt: null, error: null, runAt: null, nextAttemptAt: null, failedAttempts: 0 },
    ...overrides,
  };
}

describe('merging tracker updates by sequence', () => {
  it('takes the group from the input snapshot and the last line of the feedback text', () => {
    const tracked = mergeExecution(undefined, { ...execution(), feedback: 'Created contract 1\nCreated contract 2\n' });
    expect(tracked).toMatchObject({ groupId: 'premium', taskName: 'ContractCreator', latestFeedback: 'Created contract 2', feedbackSequence: 10 });
  });

  it('ignores an update older than what it shows, and never reopens a finished execution', () => {
    const done = mergeExecution(undefined, execution({ status: 'COMPLETED', progress: 1, lastSequence: 22, finishedAt: '2026-01-01T10:00:05.000Z' }));
    expect(mergeExecution(done, execution({ lastSequence: 12 }))).toBe(done);
    expect(mergeExecution(done, execution({ status: 'RUNNING', lastSequence: 30 })).status).toBe('COMPLETED');
  });

  it('applies each feedback event once: a replay after a reconnect changes nothing', () => {
    let tracked = mergeExecution(undefined, execution({ lastSequence: 2, progress: 0 }));
    for (const sequence of [3, 4, 5]) tracked = applyFeedback(tracked, event(sequence));
    const before = tracked;
    for (const sequence of [3, 4, 5]) tracked = applyFeedback(tracked, event(sequence));
    expect(tracked).toBe(before);
    expect(tracked).toMatchObject({ latestFeedback: 'Created contract 5', progress: 0.25, stateSequence: 5 });
  });

  it('keeps the status of a newer tracker update but still takes the feedback lines that led to it', () => {
    // The tracker feed tells of the end before the feedback stream has delivered the last lines.
    let tracked = mergeExecution(undefined, execution({ lastSequence: 18, progress: 0.9 }));
    tracked = mergeExecution(tracked, execution({ status: 'COMPLETED', progress: 1, lastSequence: 21, finishedAt: '2026-01-01T10:00:05.000Z' }));
    tracked = applyFeedback(tracked, event(19));
    tracked = applyFeedback(tracked, event(20));
    tracked = applyFeedback(tracked, event(21, { kind: 'STATUS', status: 'COMPLETED', message: null, mode: null, progress: null }));
    expect(tracked).toMatchObject({ status: 'COMPLETED', progress: 1, latestFeedback: 'Created contract 20' });
  });

  it('orders running, then queued by position, then scheduled soonest first, then finished newest first', () => {
    const make = (id: string, status: TrackedExecution['status'], extra: Partial<TrackedExecutionInput> = {}) =>
      mergeExecution(undefined, execution({ id, status, ...extra }));
    const list = [
      make('old', 'COMPLETED', { finishedAt: '2026-01-01T09:00:00.000Z' }),
      make('later', 'SCHEDULED', { startedAt: null, runAt: '2026-01-01T12:00:00.000Z' }),
      make('second', 'QUEUED', { queuePosition: 2 }),
      make('new', 'STOPPED', { finishedAt: '2026-01-01T11:00:00.000Z' }),
      make('retry', 'SCHEDULED', { runAt: '2026-01-01T10:30:00.000Z', nextAttemptAt: '2026-01-01T10:30:00.000Z', failedAttempts: 1 }),
      make('first', 'QUEUED', { queuePosition: 1 }),
      make('running', 'RUNNING'),
    ];
    expect(list.sort(trackerOrder).map((tracked) => tracked.id)).toEqual(['running', 'first', 'second', 'retry', 'later', 'new', 'old']);
  });

  it('follows a failed attempt into its retry wait and out of it, from either source', () => {
    const retryAt = '2026-01-01T10:00:30.000Z';
    let tracked = mergeExecution(undefined, execution({ lastSequence: 4, progress: 0.4 }));
    // The feedback stream tells of the failed attempt first: SCHEDULED, with when it runs again.
    tracked = applyFeedback(
      tracked,
      event(5, {
        kind: 'STATUS',
        status: 'SCHEDULED',
        message: 'Attempt 1 of 3 failed: boom',
        mode: null,
        progress: null,
        execution: { id: 'e1', status: 'SCHEDULED', progress: 0.4, startedAt: '2026-01-01T10:00:01.000Z', finishedAt: null, error: 'boom', runAt: retryAt, nextAttemptAt: retryAt, failedAttempts: 1 },
      }),
    );
    expect(tracked).toMatchObject({ status: 'SCHEDULED', nextAttemptAt: retryAt, failedAttempts: 1, maxAttempts: 3, error: 'boom' });
    // The tracker feed's copy of the same event changes nothing that matters; then it is queued again.
    tracked = mergeExecution(tracked, execution({ status: 'SCHEDULED', lastSequence: 5, runAt: retryAt, nextAttemptAt: retryAt, failedAttempts: 1, error: 'boom' }));
    expect(tracked).toMatchObject({ status: 'SCHEDULED', nextAttemptAt: retryAt });
    tracked = mergeExecution(tracked, execution({ status: 'QUEUED', lastSequence: 6, queuePosition: 1, runAt: retryAt, failedAttempts: 1, error: 'boom' }));
    expect(tracked).toMatchObject({ status: 'QUEUED', nextAttemptAt: null, runAt: retryAt, failedAttempts: 1, queuePosition: 1 });
    // A late replay of the SCHEDULED event does not take it back.
    expect(applyFeedback(tracked, event(5, { kind: 'STATUS', status: 'SCHEDULED' }))).toBe(tracked);
  });
});
