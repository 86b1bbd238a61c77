import { describe, expect, it } from 'vitest';
import { createClaimQueue } from '../../src/store/memory-claim-queue.js';
import { createTimeIndex } from '../../src/store/memory-time-index.js';

/**
 * The embedded store's ordering structures against a plain sort, over long seeded random runs
 * of every operation, past the sizes where the claim queue gives free front places back.
 */
function random(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % below;
  };
}

describe('memory claim queue', () => {
  it('keeps claim order (priority, then admission order) and exact positions through adds, claims, removals and returns', () => {
    const queue = createClaimQueue();
    const next = random(7);
    const waiting = new Map<string, { priority: number; order: number }>();
    const away: Array<{ id: string; priority: number; order: number }> = [];
    const expected = () =>
      [...waiting].sort(([, a], [, b]) => b.priority - a.priority || a.order - b.order).map(([id]) => id);
    let admitted = 0;
    for (let step = 0; step < 6_000; step++) {
      const roll = next(10);
      if (roll < 5 || waiting.size === 0) {
        const entry = { priority: next(3) - 1, order: admitted++ };
        queue.add(`e${entry.order}`, entry.priority, entry.order);
        waiting.set(`e${entry.order}`, entry);
      } else if (roll < 8) {
        const id = queue.first()!;
        expect(id).toBe(expected()[0]);
        const entry = waiting.get(id)!;
        queue.remove(id, entry.priority, entry.order);
        waiting.delete(id);
        if (next(2) === 0) away.push({ id, ...entry });
      } else if (roll === 8 && away.length > 0) {
        const back = away.splice(next(away.length), 1)[0]!;
        queue.add(back.id, back.priority, back.order);
        waiting.set(back.id, back);
      } else {
        const ids = [...waiting.keys()];
        const id = ids[next(ids.length)]!;
        const entry = waiting.get(id)!;
        queue.remove(id, entry.priority, entry.order);
        waiting.delete(id);
      }
      expect(queue.size).toBe(waiting.size);
      if (step % 97 === 0) {
        const order = expected();
        for (let i = 0; i < order.length; i += 13) {
          const entry = waiting.get(order[i]!)!;
          expect(queue.position(order[i]!, entry.priority, entry.order)).toBe(i + 1);
        }
      }
    }
    expect(queue.position('never', 0, 1)).toBeNull();
  });

  it('takes 3,000 claims from the front of one priority and stays in order after giving places back', () => {
    const queue = createClaimQueue();
    for (let i = 0; i < 3_000; i++) queue.add(`e${i}`, 0, i);
    for (let i = 0; i < 2_000; i++) queue.remove(queue.first()!, 0, i);
    // a return to the front, after the free places were given back
    queue.add('e1999', 0, 1_999);
    expect(queue.first()).toBe('e1999');
    expect(queue.position('e2500', 0, 2_500)).toBe(502);
    expect(queue.size).toBe(1_001);
  });
});

describe('memory time index', () => {
  it('answers due ids earliest first (equal moments in the order added) through adds and removals', () => {
    const index = createTimeIndex();
    const next = random(11);
    const stored = new Map<string, { at: number; seq: number }>();
    for (let step = 0; step < 3_000; step++) {
      if (next(3) > 0 || stored.size === 0) {
        const at = next(50);
        index.add(`s${step}`, new Date(at));
        stored.set(`s${step}`, { at, seq: step });
      } else {
        const ids = [...stored.keys()];
        const id = ids[next(ids.length)]!;
        index.remove(id, new Date(stored.get(id)!.at));
        stored.delete(id);
      }
      if (step % 50 === 0) {
        const now = next(50);
        const expected = [...stored]
          .filter(([, s]) => s.at <= now)
          .sort(([, a], [, b]) => a.at - b.at || a.seq - b.seq)
          .map(([id]) => id);
        expect(index.due(new Date(now), 20)).toEqual(expected.slice(0, 20));
        const earliest = Math.min(...[...stored.values()].map((s) => s.at));
        expect(index.first()?.getTime() ?? null).toBe(stored.size ? earliest : null);
      }
    }
    expect(index.size).toBe(stored.size);
  });

  it('stays exact when removals come from the front (retention deletes the earliest first), also past a compaction', () => {
    const index = createTimeIndex();
    const next = random(7);
    const stored: Array<{ id: string; at: number }> = [];
    let clock = 1_000_000;
    for (let step = 0; step < 6_000; step++) {
      const roll = next(10);
      if (roll < 5 || stored.length === 0) {
        clock += next(3);
        index.add(`e${step}`, new Date(clock));
        stored.push({ id: `e${step}`, at: clock });
      } else if (roll < 9) {
        const [front] = stored.splice(0, 1);
        index.remove(front!.id, new Date(front!.at));
      } else {
        // Earlier than everything (a shorter retention): goes before the front.
        const at = (stored[0]?.at ?? clock) - 1 - next(2);
        index.add(`early${step}`, new Date(at));
        stored.unshift({ id: `early${step}`, at });
      }
      if (step % 97 === 0) {
        expect(index.due(new Date(clock), 15)).toEqual(stored.slice(0, 15).map((entry) => entry.id));
        expect(index.first()?.getTime() ?? null).toBe(stored[0]?.at ?? null);
      }
    }
    expect(index.size).toBe(stored.length);
  });
});
