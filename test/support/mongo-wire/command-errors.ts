import type { Doc } from './bson-values.js';

/**
 * A command failure as mongod reports it: `{ ok: 0, errmsg, code, codeName }`. Handlers throw it;
 * the dispatcher turns it into the reply (or, inside a batch write, into one `writeErrors` entry).
 * Codes and names follow mongod's src/mongo/base/error_codes.yml so the driver classifies them
 * the same way (e.g. 26 makes `collection.drop()` return false, 11000 is a duplicate key).
 */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    /** Extra reply fields, e.g. `keyPattern` / `keyValue` for duplicate keys. */
    readonly extra: Doc = {},
  ) {
    super(message);
    this.name = 'CommandError';
  }

  toReply(): Doc {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }

  /** The shape of one entry of `writeErrors` (index is added by the caller). */
  toWriteError(index: number): Doc {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

export const BAD_VALUE = 2;
export const FAILED_TO_PARSE = 9;
export const TYPE_MISMATCH = 14;
export const ILLEGAL_OPERATION = 20;
export const NAMESPACE_NOT_FOUND = 26;
export const INDEX_NOT_FOUND = 27;
export const PATH_NOT_VIABLE = 28;
export const CONFLICTING_UPDATE_OPERATORS = 40;
export const CURSOR_NOT_FOUND = 43;
export const NAMESPACE_EXISTS = 48;
export const INVALID_ID_FIELD = 53;
export const IMMUTABLE_FIELD = 66;
export const INVALID_OPTIONS = 72;
export const INVALID_NAMESPACE = 73;
export const INDEX_OPTIONS_CONFLICT = 85;
export const INDEX_KEY_SPECS_CONFLICT = 86;
export const COMMAND_NOT_SUPPORTED = 115;
export const CURSOR_IN_USE = 143;
export const TRANSACTION_TOO_OLD = 225;
export const CURSOR_KILLED = 237;
export const CHANGE_STREAM_FATAL_ERROR = 280;
export const CHANGE_STREAM_HISTORY_LOST = 286;
export const NO_QUERY_EXECUTION_PLANS = 291;
export const DUPLICATE_KEY = 11000;
export const INTERRUPTED_AT_SHUTDOWN = 11600;
/** Assertions without a named code: mongod reports them as `Location<code>`. */
export const CHANGE_STREAM_NEEDS_REPLICA_SET = 40573;
export const CHANGE_STREAM_NOT_FIRST = 40602;
export const MULTIPLE_RESUME_OPTIONS = 40674;

const CODE_NAMES: Record<number, string> = {
  1: 'InternalError',
  [BAD_VALUE]: 'BadValue',
  [FAILED_TO_PARSE]: 'FailedToParse',
  [TYPE_MISMATCH]: 'TypeMismatch',
  [ILLEGAL_OPERATION]: 'IllegalOperation',
  [NAMESPACE_NOT_FOUND]: 'NamespaceNotFound',
  [INDEX_NOT_FOUND]: 'IndexNotFound',
  [PATH_NOT_VIABLE]: 'PathNotViable',
  [CONFLICTING_UPDATE_OPERATORS]: 'ConflictingUpdateOperators',
  [CURSOR_NOT_FOUND]: 'CursorNotFound',
  [NAMESPACE_EXISTS]: 'NamespaceExists',
  [INVALID_ID_FIELD]: 'InvalidIdField',
  [IMMUTABLE_FIELD]: 'ImmutableField',
  [INVALID_OPTIONS]: 'InvalidOptions',
  [INVALID_NAMESPACE]: 'InvalidNamespace',
  [INDEX_OPTIONS_CONFLICT]: 'IndexOptionsConflict',
  [INDEX_KEY_SPECS_CONFLICT]: 'IndexKeySpecsConflict',
  [COMMAND_NOT_SUPPORTED]: 'CommandNotSupported',
  [CURSOR_IN_USE]: 'CursorInUse',
  [TRANSACTION_TOO_OLD]: 'TransactionTooOld',
  [CURSOR_KILLED]: 'CursorKilled',
  [CHANGE_STREAM_FATAL_ERROR]: 'ChangeStreamFatalError',
  [CHANGE_STREAM_HISTORY_LOST]: 'ChangeStreamHistoryLost',
  [NO_QUERY_EXECUTION_PLANS]: 'NoQueryExecutionPlans',
  [DUPLICATE_KEY]: 'DuplicateKey',
  [INTERRUPTED_AT_SHUTDOWN]: 'InterruptedAtShutdown',
};

export function commandError(code: number, message: string, extra: Doc = {}): CommandError {
  return new CommandError(code, CODE_NAMES[code] ?? (code >= 10_000 ? `Location${code}` : 'UnknownError'), message, extra);
}

/** Anything this server does not implement: a gap must fail a test, never pass silently. */
export function unsupported(what: string): CommandError {
  return commandError(COMMAND_NOT_SUPPORTED, `command not supported by the test server: ${what}`);
}

/**
 * Converts whatever a handler threw into a CommandError. mingo reports unknown operators as
 * MingoError("unknown query operator $text"): those are gaps of this server, so they become
 * CommandNotSupported; other mingo errors are bad input (BadValue), like mongod's parse errors.
 */
export function toCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.constructor.name === 'MingoError') {
    if (/unknown|unregistered|not supported|requires 'scriptEnabled'/i.test(message)) return unsupported(message);
    return commandError(BAD_VALUE, `test server (mingo): ${message}`);
  }
  return commandError(1, `test server internal error: ${message}`);
}
