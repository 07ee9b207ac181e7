import type { Commit } from '@coffee-es/core';
import { commitToItem, itemSize, itemToCommit } from '@coffee-es/dynamodb';
import { describe, expect, it } from 'vitest';

const commit: Commit = {
  streamId: 'Order#01J',
  entityType: 'Order',
  from: 1,
  to: 2,
  events: [
    { type: 'OrderPlaced', schemaVersion: 1, data: { total: 450 } },
    { type: 'OrderPaid', schemaVersion: 2, data: { amount: 450 } },
  ],
  recordedAt: '2026-01-01T00:00:00.000Z',
  commandId: 'c-1',
  correlationId: 'corr',
  idempotencyKey: 'POST /orders k',
  fingerprint: '0123456789abcdef',
  reply: { status: 201 },
  tags: ['a'],
  snapshot: { schemaVersion: 1, state: { total: 450 }, recentKeys: [['abc', 1]] },
};

describe('commit codec', () => {
  it('round-trips every field', () => {
    expect(itemToCommit(commitToItem(commit))).toEqual(commit);
  });

  it('marks only a stream’s first commit for the streams-by-type index', () => {
    expect(commitToItem(commit).first?.S).toBe('Order');
    expect(commitToItem({ ...commit, from: 3, to: 3 }).first).toBeUndefined();
  });

  it('counts item size by attribute names and UTF-8 values', () => {
    expect(itemSize({ ab: { S: 'héllo' } })).toBe(2 + 6);
    expect(itemSize({ n: { N: '12' } })).toBe(1 + 21);
  });
});
