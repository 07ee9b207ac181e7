/**
 * The one backoff the packages share (core retry.ts): the ceiling doubles from the base and stops
 * at the cap, and each jitter draws inside its range, whatever the random source says.
 */
import { backoffCeiling, backoffDelay } from '@coffee-es/core';
import { describe, expect, it } from 'vitest';

const backoff = { baseDelayMs: 20, maxDelayMs: 1_000 };
const lowest = () => 0;
const highest = () => 0.999_999;

describe('backoff', () => {
  it('doubles the ceiling from the base at each level, up to the cap', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7].map((level) => backoffCeiling(backoff, level));
    expect(ceilings).toEqual([20, 40, 80, 160, 320, 640, 1_000, 1_000]);
    // A level far past the cap neither overflows nor goes negative.
    expect(backoffCeiling(backoff, 10_000)).toBe(1_000);
    expect(backoffCeiling(backoff, -1)).toBe(20);
  });

  it('draws full jitter in [0, ceiling) by default', () => {
    expect(backoffDelay(backoff, 3, lowest)).toBe(0);
    expect(backoffDelay(backoff, 3, highest)).toBe(159);
    expect(backoffDelay({ ...backoff, jitter: 'full' }, 3, () => 0.5)).toBe(80);
  });

  it('draws equal jitter in [ceiling / 2, ceiling), so the pause really grows', () => {
    const equal = { ...backoff, jitter: 'equal' as const };
    expect(backoffDelay(equal, 3, lowest)).toBe(80);
    expect(backoffDelay(equal, 3, highest)).toBe(159);
    expect(backoffDelay(equal, 4, lowest)).toBeGreaterThan(backoffDelay(equal, 3, highest));
  });

  it('waits the ceiling itself without jitter', () => {
    const none = { ...backoff, jitter: 'none' as const };
    expect([1, 2, 3].map((level) => backoffDelay(none, level, highest))).toEqual([40, 80, 160]);
  });

  it('stays within the range over many draws of the default random source', () => {
    for (let level = 0; level < 10; level++) {
      const ceiling = backoffCeiling(backoff, level);
      for (let i = 0; i < 200; i++) {
        const delay = backoffDelay({ ...backoff, jitter: 'equal' }, level);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });
});
