/** A snapshot never makes a commit unwritable: over the limit with it, the commit goes without. */

import type { Commit } from '@coffee-es/core';
import { CommitTooLargeError } from '@coffee-es/core';
import { attr, fitCommit, itemSize, itemToCommit } from '@coffee-es/dynamodb';
import { describe, expect, it } from 'vitest';

const commit = (note: string, snapshotState?: unknown): Commit => ({
  streamId: 'Bag#b1',
  entityType: 'Bag',
  from: 100,
  to: 100,
  events: [{ type: 'Added', schemaVersion: 1, data: { note } }],
  recordedAt: '2026-01-01T00:00:00.000Z',
  commandId: 'c1',
  ...(snapshotState === undefined
    ? {}
    : { snapshot: { schemaVersion: 1, state: snapshotState, recentKeys: [] } }),
});

describe('fitCommit', () => {
  const limit = 1_000;

  it('keeps the snapshot when the commit fits with it', () => {
    const fitted = fitCommit(commit('x', { notes: ['a', 'b'] }), limit);
    expect(fitted.snapshotDropped).toBeUndefined();
    expect(fitted.item[attr.snapshot]).toBeDefined();
    expect(fitted.sizeBytes).toBe(itemSize(fitted.item));
  });

  it('drops the snapshot when only the snapshot makes it too large, and says so', () => {
    const big = { notes: Array.from({ length: 200 }, (_, i) => `note-${i}`) };
    const fitted = fitCommit(commit('x', big), limit);
    expect(fitted.item[attr.snapshot]).toBeUndefined();
    expect(fitted.item[attr.snapshotVersion]).toBeUndefined();
    expect(fitted.sizeBytes).toBeLessThanOrEqual(limit);
    expect(fitted.snapshotDropped?.sizeWithSnapshot).toBeGreaterThan(limit);
    // Everything but the snapshot is kept.
    const written = itemToCommit(fitted.item);
    expect(written.events).toEqual(commit('x').events);
    expect(written.snapshot).toBeUndefined();
  });

  it('refuses a commit whose events alone exceed the limit, before anything is written', () => {
    expect(() => fitCommit(commit('y'.repeat(2_000), { small: true }), limit)).toThrow(
      CommitTooLargeError,
    );
    expect(() => fitCommit(commit('y'.repeat(2_000)), limit)).toThrow(CommitTooLargeError);
  });

  it('uses DynamoDB’s 400 KB limit by default', () => {
    const state = { blob: 'z'.repeat(409_600) };
    expect(fitCommit(commit('x', state)).snapshotDropped).toBeDefined();
    expect(fitCommit(commit('x', { blob: 'z'.repeat(1_000) })).snapshotDropped).toBeUndefined();
  });
});
