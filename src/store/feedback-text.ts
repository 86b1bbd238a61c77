import type { FeedbackMode } from '../engine/execution.js';

/** The default of FEEDBACK_TEXT_MAX_BYTES: how much feedback text an execution keeps. */
export const defaultFeedbackTextMaxBytes = 64 * 1024;

/** The first line of a feedback text whose older lines were dropped. */
export const feedbackTrimmedNote = '[Earlier lines were dropped from this text; taskFeedback with afterSequence: 0 replays every one.]';

/**
 * An execution's feedback text after one feedback message: replaced, or appended as a new line.
 * Append-mode texts keep only their newest lines within `maxBytes` of UTF-8 (a run of 1,500
 * contracts appends 1,500 lines, and the text is sent whole with every read of `feedback`); the
 * event log keeps every message. Linear in the size of the text, and usually less: the bytes are
 * counted only when the text could be over the limit.
 */
export function nextFeedbackText(current: string, message: string, mode: FeedbackMode, maxBytes = defaultFeedbackTextMaxBytes): string {
  const text = mode === 'APPEND' && current !== '' ? `${current}\n${message}` : message;
  // A UTF-16 code unit is at most 3 bytes of UTF-8: a text this short cannot be over the limit.
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return text;
  const budget = Math.max(0, maxBytes - Buffer.byteLength(feedbackTrimmedNote) - 1);
  return `${feedbackTrimmedNote}\n${newestLines(text, budget)}`;
}

/** The newest whole lines of `text` within `budget` bytes; the tail of the last line when it alone is longer. */
function newestLines(text: string, budget: number): string {
  const bytes = Buffer.from(text);
  let start = bytes.length - budget;
  if (start <= 0) return text;
  const lineStart = bytes.indexOf(0x0a, start - 1);
  if (lineStart !== -1 && lineStart < bytes.length - 1) return bytes.subarray(lineStart + 1).toString();
  // One line longer than the budget: cut it where a character starts (not in a UTF-8 sequence).
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString();
}
