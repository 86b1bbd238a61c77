import { Binary, Long, ObjectId } from 'bson';
import type { Doc } from './bson-values.js';
import type { ChangeLog } from './change-log.js';
import { RetryableWrites } from './retryable-writes.js';

/**
 * What makes the server answer as the primary of a one-member replica set (the `replicaSet`
 * option), so that the driver treats it as RSPrimary (SDAM: `setName` + `isWritablePrimary`)
 * and offers change streams. There is no other member, no election and no replication: the
 * term, `electionId` and `setVersion` never change, every write is majority-committed the moment
 * it is applied, and the oplog is the server's ChangeLog. The driver sends retryable writes to
 * an RSPrimary: they are recognised when retried (RetryableWrites).
 */
export class ReplicaSetMember {
  /** mongod's electionId under protocol version 1: 0x7fffffff then the term (always 1 here). */
  readonly electionId = new ObjectId('7fffffff0000000000000001');
  readonly retryableWrites = new RetryableWrites();

  constructor(
    readonly setName: string,
    /** host:port as the member announces itself; clients behind a proxy use directConnection=true. */
    readonly host: string,
    readonly changes: ChangeLog,
  ) {}

  /** The replica-set fields of hello, merged into the standalone reply. */
  helloFields(): Doc {
    const opTime = { ts: this.changes.clusterTime, t: Long.fromNumber(1) };
    const now = new Date();
    return {
      hosts: [this.host],
      setName: this.setName,
      setVersion: 1,
      isWritablePrimary: true,
      ismaster: true,
      secondary: false,
      primary: this.host,
      me: this.host,
      electionId: this.electionId,
      lastWrite: { opTime, lastWriteDate: now, majorityOpTime: opTime, majorityWriteDate: now },
    };
  }

  /**
   * Cluster-time gossip a replica-set member appends to every reply. The driver sends
   * `$clusterTime` back (ignored here) and uses `operationTime` as a change stream's
   * `startAtOperationTime` when it resumes one that has no resume token yet. Without a keyfile
   * mongod signs with an all-zero hash and key id 0, as here.
   */
  gossip(): Doc {
    const clusterTime = this.changes.clusterTime;
    return {
      $clusterTime: { clusterTime, signature: { hash: new Binary(Buffer.alloc(20)), keyId: Long.fromNumber(0) } },
      operationTime: clusterTime,
    };
  }
}
