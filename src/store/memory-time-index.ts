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
  let times: number[] = [];
  let ids: string[] = [];
  /**
   * Index of the earliest entry: places before it are free. What is due goes from the front
   * (retention deletes the earliest expiry first), so removing the front entry moves the head
   * instead of shifting the whole array (a memmove of every entry per removal).
   */
  let head = 0;

  /** The first position whose time is above `time` (after every equal one). */
  function upperBound(time: number): number {
    let low = head;
    let high = times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (times[mid]! <= time) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  function compact(): void {
    if (head < 1_024 || head < times.length / 2) return;
    times = times.slice(head);
    ids = ids.slice(head);
    head = 0;
  }

  return {
    get size() {
      return times.length - head;
    },
    add(id, at) {
      const time = at.getTime();
      if (times.length === head || times[times.length - 1]! <= time) {
        times.push(time);
        ids.push(id);
        return;
      }
      const position = upperBound(time);
      if (position === head && head > 0 && times[head]! > time) {
        // Earlier than everything: the free place before the head takes it.
        head--;
        times[head] = time;
        ids[head] = id;
        return;
      }
      times.splice(position, 0, time);
      ids.splice(position, 0, id);
    },
    remove(id, at) {
      const time = at.getTime();
      // Equal moments sit just before the upper bound: walk back over them to find the id.
      for (let position = upperBound(time) - 1; position >= head && times[position] === time; position--) {
        if (ids[position] !== id) continue;
        if (position === head) {
          head++;
          compact();
        } else {
          times.splice(position, 1);
          ids.splice(position, 1);
        }
        return;
      }
    },
    due(now, limit) {
      return ids.slice(head, Math.min(head + limit, upperBound(now.getTime())));
    },
    first() {
      return times.length === head ? null : new Date(times[head]!);
    },
  };
}
