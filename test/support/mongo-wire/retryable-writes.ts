import { Binary, Long } from 'bson';
import { isPlainObject, toNumber, type Doc } from './bson-values.js';
import { commandError, TRANSACTION_TOO_OLD } from './command-errors.js';

/**
 * Retryable writes, as a replica-set member keeps them (https://www.mongodb.com/docs/manual/core/retryable-writes/):
 * the driver numbers each write of a session (`lsid` + `txnNumber`) and, when the connection
 * broke before the reply came, sends the very same command again. mongod recognises the
 * number and answers with the outcome of the first execution instead of applying it twice; so
 * does this server, keeping the reply of each session's latest write. A standalone gets no
 * transaction numbers: this only runs in replicaSet mode.
 */

const RETRYABLE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);
/** Sessions remembered at most (oldest forgotten first); mongod keeps them for 30 minutes. */
const MAX_SESSIONS = 10_000;

interface LastWrite {
  txnNumber: bigint;
  reply: Doc;
}

function int64(value: unknown): bigint {
  return value instanceof Long ? value.toBigInt() : BigInt(Math.trunc(toNumber(value)));
}

function sessionKey(lsid: unknown): string | undefined {
  const id = isPlainObject(lsid) ? lsid.id : undefined;
  return id instanceof Binary ? Buffer.from(id.value()).toString('hex') : undefined;
}

export class RetryableWrites {
  private readonly sessions = new Map<string, LastWrite>();

  /**
   * The stored reply when this write already ran, 225 TransactionTooOld for a number older
   * than the session's latest, undefined when the write is to run now.
   */
  replay(name: string, body: Doc): Doc | undefined {
    const found = this.lookup(name, body);
    if (!found) return undefined;
    const { last, txnNumber } = found;
    if (!last || txnNumber > last.txnNumber) return undefined;
    if (txnNumber === last.txnNumber) return last.reply;
    throw commandError(
      TRANSACTION_TOO_OLD,
      `Retryable write with txnNumber ${txnNumber} is prohibited on session because a newer retryable write with txnNumber ${last.txnNumber} has already started on this session.`,
    );
  }

  /** Keeps the reply of a write that ran (`ok: 1`, write errors included, as mongod records them). */
  remember(name: string, body: Doc, reply: Doc): void {
    const found = this.lookup(name, body);
    if (!found || reply.ok !== 1) return;
    this.sessions.delete(found.key); // re-inserted last: the Map's order is the eviction order
    this.sessions.set(found.key, { txnNumber: found.txnNumber, reply });
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
  }

  private lookup(name: string, body: Doc): { key: string; txnNumber: bigint; last: LastWrite | undefined } | undefined {
    if (!RETRYABLE_COMMANDS.has(name) || body.txnNumber === undefined) return undefined;
    const key = sessionKey(body.lsid);
    if (key === undefined) return undefined;
    return { key, txnNumber: int64(body.txnNumber), last: this.sessions.get(key) };
  }
}
