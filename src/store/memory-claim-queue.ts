/**
 * One task's QUEUED executions in claim order, for the embedded store: highest priority first,
 * then admission order (each execution's `order`, fixed at admission). Claims, admissions and
 * queue positions must stay cheap with 100,000 waiting executions, so:
 * - one bucket per distinct priority, plus the distinct priorities sorted highest first (a
 *   handful in practice): the next claim is the front of the first bucket, O(1);
 * - a bucket is two parallel arrays (admission orders and ids) sorted by order, with a moving
 *   head: taking the front is O(1), a new admission (the newest) is a push, and an execution
 *   that comes back (a retry whose time came, a recovered run) usually belongs at the front,
 *   where a free place before the head takes it in O(1); anywhere else it is a binary search
 *   and one memmove;
 * - a position is the sizes of the higher buckets plus a binary search in its own: no walk.
 */
export interface ClaimQueue {
  readonly size: number;
  add(id: string, priority: number, order: number): void;
  remove(id: string, priority: number, order: number): void;
  /** The id the next claim takes, if any. */
  first(): string | undefined;
  /** 1-based place in claim order, or null when it is not queued. */
  position(id: string, priority: number, order: number): number | null;
}

interface Bucket {
  orders: number[];
  ids: string[];
  /** Index of the front: places before it are free (taken by claims). */
  head: number;
}

/** Free places at the front are given back once they outnumber the waiting ones (and are many). */
const compactAfter = 1_024;

export function createClaimQueue(): ClaimQueue {
  const buckets = new Map<number, Bucket>();
  /** Distinct priorities with a non-empty bucket, highest first. */
  const priorities: number[] = [];
  let size = 0;

  /** Index of the first order above `order` in the bucket's live part. */
  function upperBound(bucket: Bucket, order: number): number {
    let low = bucket.head;
    let high = bucket.orders.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (bucket.orders[mid]! <= order) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  function indexOf(bucket: Bucket, id: string, order: number): number {
    const at = upperBound(bucket, order) - 1;
    return at >= bucket.head && bucket.ids[at] === id ? at : -1;
  }

  function bucketFor(priority: number): Bucket {
    let bucket = buckets.get(priority);
    if (!bucket) {
      bucket = { orders: [], ids: [], head: 0 };
      buckets.set(priority, bucket);
      let at = 0;
      while (at < priorities.length && priorities[at]! > priority) at++;
      priorities.splice(at, 0, priority);
    }
    return bucket;
  }

  function dropIfEmpty(priority: number, bucket: Bucket): void {
    if (bucket.head < bucket.orders.length) return;
    buckets.delete(priority);
    priorities.splice(priorities.indexOf(priority), 1);
  }

  return {
    get size() {
      return size;
    },

    add(id, priority, order) {
      const bucket = bucketFor(priority);
      const { orders, ids } = bucket;
      size++;
      if (bucket.head === orders.length || orders[orders.length - 1]! < order) {
        orders.push(order);
        ids.push(id);
      } else if (bucket.head > 0 && order < orders[bucket.head]!) {
        bucket.head--;
        orders[bucket.head] = order;
        ids[bucket.head] = id;
      } else {
        const at = upperBound(bucket, order);
        orders.splice(at, 0, order);
        ids.splice(at, 0, id);
      }
    },

    remove(id, priority, order) {
      const bucket = buckets.get(priority);
      if (!bucket) return;
      const at = indexOf(bucket, id, order);
      if (at === -1) return;
      size--;
      if (at === bucket.head) {
        bucket.ids[at] = ''; // let the id string go
        bucket.head++;
        if (bucket.head >= compactAfter && bucket.head * 2 >= bucket.orders.length) {
          bucket.orders.splice(0, bucket.head);
          bucket.ids.splice(0, bucket.head);
          bucket.head = 0;
        }
      } else if (at === bucket.orders.length - 1) {
        bucket.orders.pop();
        bucket.ids.pop();
      } else {
        bucket.orders.splice(at, 1);
        bucket.ids.splice(at, 1);
      }
      dropIfEmpty(priority, bucket);
    },

    first() {
      const top = priorities[0];
      if (top === undefined) return undefined;
      const bucket = buckets.get(top)!;
      return bucket.ids[bucket.head];
    },

    position(id, priority, order) {
      const bucket = buckets.get(priority);
      if (!bucket) return null;
      const at = indexOf(bucket, id, order);
      if (at === -1) return null;
      let ahead = at - bucket.head;
      for (const higher of priorities) {
        if (higher === priority) break;
        const other = buckets.get(higher)!;
        ahead += other.orders.length - other.head;
      }
      return ahead + 1;
    },
  };
}
