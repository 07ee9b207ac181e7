/**
 * The key memory's bounds, without I/O: exact keys up to the cap, spilled keys in time-bucketed
 * Bloom filters that never forget a key within the retention, everything forgotten after it.
 */

import {
  bloomAdd,
  bloomMayHave,
  emptyBloom,
  emptyKeyMemory,
  type KeyMemory,
  keyHashOf,
  keyPolicyOf,
  keysFromStored,
  lookupKey,
  storedKeys,
  trimKeys,
  withKey,
} from '@coffee-es/core';
import { describe, expect, it } from 'vitest';

const policy = keyPolicyOf({ maxKeys: 100 });
const day = 24 * 3600;
const t0 = 1_900_000_000;

function used(count: number, start = t0): KeyMemory {
  let memory = emptyKeyMemory;
  for (let i = 0; i < count; i++) {
    memory = withKey(memory, keyHashOf(`k-${i}`), { position: i + 1, at: start + i });
    memory = trimKeys(memory, start + i, policy);
  }
  return memory;
}

describe('key memory', () => {
  it('keeps the cap exactly and never loses a spilled key within the retention', () => {
    const memory = used(2000);
    expect(memory.keys.size).toBe(100);
    for (let i = 0; i < 2000; i++) {
      const found = lookupKey(memory, keyHashOf(`k-${i}`), t0 + 2000, policy);
      if (i >= 1900) expect(found).toEqual({ kind: 'known', position: i + 1 });
      else expect(found.kind).toBe('maybe');
    }
  });

  it('answers "certainly new" for nearly every unknown key, and stays small on a snapshot', () => {
    const memory = used(2000);
    let maybe = 0;
    for (let i = 0; i < 10_000; i++) {
      if (lookupKey(memory, keyHashOf(`new-${i}`), t0 + 2000, policy).kind !== 'new') maybe++;
    }
    expect(maybe / 10_000).toBeLessThan(0.05);
    const stored = storedKeys(memory);
    expect(JSON.stringify(stored).length).toBeLessThan(100 * 45 + 4 * 1500);
    const back = keysFromStored(stored.recentKeys, stored.spilledKeys, 0);
    expect(lookupKey(back, keyHashOf('k-5'), t0 + 2000, policy).kind).toBe('maybe');
    expect(lookupKey(back, keyHashOf('k-1999'), t0 + 2000, policy).kind).toBe('known');
  });

  it('forgets keys and filters once the retention is over', () => {
    const memory = used(500);
    const later = t0 + day + 600;
    expect(lookupKey(memory, keyHashOf('k-450'), later, policy).kind).toBe('new');
    // A spilled key is kept with its 6-hour bucket: at least 24 h, at most 30 h.
    expect(lookupKey(memory, keyHashOf('k-5'), t0 + day - 1, policy).kind).toBe('maybe');
    expect(lookupKey(memory, keyHashOf('k-5'), t0 + day + 6 * 3600 + 1, policy).kind).toBe('new');
    const trimmed = trimKeys(memory, later + day, policy);
    expect(trimmed.keys.size).toBe(0);
    expect(trimmed.spill).toHaveLength(0);
  });

  it('a Bloom filter has every member', () => {
    let bits = emptyBloom();
    const members = Array.from({ length: 800 }, (_, i) => keyHashOf(`m-${i}`));
    for (const m of members) bits = bloomAdd(bits, m);
    expect(members.every((m) => bloomMayHave(bits, m))).toBe(true);
  });
});
