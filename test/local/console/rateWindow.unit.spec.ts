/**
 * The console's rate window: counts land in the bucket of their time, every bucket of the window
 * is answered (zeros too), and counts older than the window fall out, so memory stays bounded.
 */

import { RateWindow } from '@coffee-es/local';
import { describe, expect, it } from 'vitest';

describe('RateWindow', () => {
  it('counts by bucket, oldest first, the current bucket last, zeros included', () => {
    let now = Date.parse('2026-01-01T10:00:05Z');
    const window = new RateWindow({ bucketSeconds: 10, minutes: 1, now: () => now });
    window.add('commits');
    window.add('events', 3);
    now += 10_000;
    window.add('commits');
    window.add('conflicts', 2);
    const { buckets, totals, bucketSeconds } = window.series();
    expect(bucketSeconds).toBe(10);
    expect(buckets).toHaveLength(6);
    expect(buckets.at(-1)).toEqual({
      at: '2026-01-01T10:00:10.000Z',
      commits: 1,
      events: 0,
      conflicts: 2,
    });
    expect(buckets.at(-2)).toEqual({
      at: '2026-01-01T10:00:00.000Z',
      commits: 1,
      events: 3,
      conflicts: 0,
    });
    expect(buckets[0]).toMatchObject({ commits: 0, events: 0, conflicts: 0 });
    expect(totals).toEqual({ commits: 2, events: 3, conflicts: 2 });
  });

  it('drops what falls out of the window, and ignores a count older than it', () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const window = new RateWindow({ bucketSeconds: 10, minutes: 1, now: () => now });
    window.add('commits', 4);
    now += 50_000; // still the oldest of six buckets
    expect(window.series().totals.commits).toBe(4);
    now += 10_000; // out
    expect(window.series().totals.commits).toBe(0);
    window.add('commits', 1, now - 120_000);
    expect(window.series().totals.commits).toBe(0);
    expect(window.series().buckets).toHaveLength(6);
  });
});
