/**
 * Ids ordered by a moment, earliest first, for the embedded store's "what is due" questions
 * (SCHEDULED executions by runAt, schedules by nextRunAt): the earliest is at the front, so
 * `due` reads only what it returns and `first` is O(1). Two parallel arrays (numbers and
 * strings) kept sorted by binary-search insertion: an insert or removal is O(log n) plus one
 * memmove, far cheaper than a scan of every record.
 */
export interface TimeIndex {
  readonly size: number;
  /** Among equal moments, later additions come after earlier ones. */
  add(id: string, at: Date): void;
  /** Removes `id`, stored under `at` (the moment it was added with). */
  remove(id: string, at: Date): void;
  /** Ids whose moment is ≤ now, earliest first, at most `limit`. */
  due(now: Date, limit: number): string[];
  /** The earliest moment, or null when empty. */
  first(): Date | null;
}

export function createTimeIndex(): TimeIndex {
  const times: number[] = [];
  const ids: string[] = [];

  /** The first position whose time is above `time` (after every equal one). */
  function upperBound(time: number): number {
    let low = 0;
    let high = times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (times[mid]! <= time) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  return {
    get size() {
      return times.length;
    },
    add(id, at) {
      const time = at.getTime();
      if (times.length === 0 || times[times.length - 1]! <= time) {
        times.push(time);
        ids.push(id);
        return;
      }
      const position = upperBound(time);
      times.splice(position, 0, time);
      ids.splice(position, 0, id);
    },
    remove(id, at) {
      const time = at.getTime();
      // Equal moments sit just before the upper bound: walk back over them to find the id.
      for (let position = upperBound(time) - 1; position >= 0 && times[position] === time; position--) {
        if (ids[position] !== id) continue;
        times.splice(position, 1);
        ids.splice(position, 1);
        return;
      }
    },
    due(now, limit) {
      return ids.slice(0, Math.min(limit, upperBound(now.getTime())));
    },
    first() {
      return times.length === 0 ? null : new Date(times[0]!);
    },
  };
}
