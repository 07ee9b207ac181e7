import {
  backoffDelay,
  backoffLevel,
  canonicalJson,
  defaultRetryPolicy,
  defineEntity,
  fingerprint,
  historyCommits,
  LruCache,
  shouldSnapshot,
  UnknownEventError,
  upcast,
} from '@coffee-es/core';
import { describe, expect, it } from 'vitest';
import { counterEntity } from '../support/counterEntity.ts';

describe('upcast', () => {
  const schemas = {
    PointsAdded: {
      version: 3,
      upcasters: {
        1: (d: unknown) => ({ ...(d as object), tier: 'Bronze' }),
        2: (d: unknown) => ({ ...(d as object), source: 'legacy' }),
      },
    },
  };

  it('runs the chain from the stored version to the current one', () => {
    const event = upcast(schemas, 'S#1', 4, {
      type: 'PointsAdded',
      schemaVersion: 1,
      data: { points: 5 },
    });
    expect(event).toEqual({
      type: 'PointsAdded',
      data: { points: 5, tier: 'Bronze', source: 'legacy' },
    });
    expect(
      upcast(schemas, 'S#1', 4, { type: 'PointsAdded', schemaVersion: 3, data: { x: 1 } }).data,
    ).toEqual({ x: 1 });
  });

  it('fails loudly on unknown types and versions, naming stream and position', () => {
    expect(() => upcast(schemas, 'S#1', 7, { type: 'Nope', schemaVersion: 1, data: {} })).toThrow(
      UnknownEventError,
    );
    expect(() =>
      upcast(schemas, 'S#1', 7, { type: 'PointsAdded', schemaVersion: 4, data: {} }),
    ).toThrow(/S#1 at position 7/);
  });
});

describe('defineEntity', () => {
  it('refuses an event schema with a missing upcaster and a bad type name', () => {
    const base = counterEntity();
    expect(() =>
      defineEntity({ ...base, events: { ...base.events, Incremented: { version: 2 } } }),
    ).toThrow(/no upcaster from v1/);
    expect(() => defineEntity({ ...base, type: 'Bad#Type' })).toThrow(TypeError);
  });
});

describe('snapshot policy', () => {
  const entity = counterEntity({ snapshotEvery: 100 });
  it('snapshots the commit that crosses each multiple of `every`', () => {
    const state = entity.initialState();
    expect(shouldSnapshot(entity, state, 100, 100)).toBe(true);
    expect(shouldSnapshot(entity, state, 99, 101)).toBe(true);
    expect(shouldSnapshot(entity, state, 101, 199)).toBe(false);
    expect(shouldSnapshot(counterEntity({ snapshotEvery: 0 }), state, 100, 100)).toBe(false);
  });

  it('builds histories whose snapshots carry the state after their commit', () => {
    const commits = historyCommits(
      entity,
      'Counter#h',
      Array.from({ length: 250 }, () => ({ type: 'Incremented' as const, data: { by: 2 } })),
    );
    const snapshots = commits.filter((c) => c.snapshot).map((c) => [c.to, c.snapshot?.state]);
    expect(snapshots).toEqual([
      [100, { count: 200, log: [] }],
      [200, { count: 400, log: [] }],
    ]);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });
});

describe('fingerprints and backoff', () => {
  it('gives equal prints for equal values whatever the key order', () => {
    expect(fingerprint(canonicalJson({ a: 1, b: [1, { c: 2, d: 3 }] }))).toBe(
      fingerprint(canonicalJson({ b: [1, { d: 3, c: 2 }], a: 1 })),
    );
    expect(fingerprint('a')).not.toBe(fingerprint('b'));
    expect(fingerprint('')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps jittered backoff under its ceiling', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 10, maxDelayMs: 1000 };
    expect(backoffDelay(policy, 1, () => 0.999)).toBe(19);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(40);
    expect(backoffDelay(policy, 40, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 40, () => 0)).toBe(0);
  });

  it('retries a first conflict at once, unless the last command on the stream met repeated ones', () => {
    const now = 10_000;
    expect(backoffLevel(0, undefined, now)).toBe(0);
    expect(backoffLevel(1, undefined, now)).toBe(0);
    expect(backoffLevel(2, undefined, now)).toBe(1);
    // A contended stream a moment ago: its losers spread out from the first conflict.
    expect(backoffLevel(1, { conflicts: 3, at: now - 10 }, now)).toBe(2);
    expect(backoffLevel(1, { conflicts: 1, at: now - 10 }, now)).toBe(0);
    expect(backoffLevel(1, { conflicts: 50, at: now - 10 }, now)).toBe(3);
    // Forgotten after a second of quiet.
    expect(backoffLevel(1, { conflicts: 3, at: now - 1000 }, now)).toBe(0);
  });
});
