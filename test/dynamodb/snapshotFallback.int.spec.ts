/**
 * Growth to the item limit, against DynamoDB Local with a small limit: a commit too large with
 * its snapshot is written without it (signalled for the warning and the metric), the entity stays
 * writable, loads read back to an older snapshot, and snapshots return once the state shrinks.
 */

import type { EntityStoreSignal } from '@coffee-es/core';
import { defineEntity, EntityStore } from '@coffee-es/core';
import { DynamoJournal, type JournalRequest } from '@coffee-es/dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type JournalFixture, journalFixture } from '../support/journalFixture.ts';

type BagCommand = { type: 'Add'; data: { note: string } } | { type: 'Empty'; data: object };
type BagEvent = { type: 'Added'; data: { note: string } } | { type: 'Emptied'; data: object };

const bag = defineEntity<{ notes: readonly string[] }, BagCommand, BagEvent>({
  type: 'Bag',
  initialState: () => ({ notes: [] }),
  decide: (command) =>
    command.type === 'Add' ? { type: 'Added', data: command.data } : { type: 'Emptied', data: {} },
  evolve: (state, event) =>
    event.type === 'Added' ? { notes: [...state.notes, event.data.note] } : { notes: [] },
  events: { Added: { version: 1 }, Emptied: { version: 1 } },
  snapshot: { every: 5 },
});

const limitBytes = 2_000;
let f: JournalFixture;
beforeAll(async () => {
  f = await journalFixture('snapshot-fallback');
});

function storeWith(signals: EntityStoreSignal[], log: JournalRequest[] = []) {
  const journal = new DynamoJournal({
    client: f.client,
    tableName: f.tableName,
    maxItemBytes: limitBytes,
    onRequest: (request) => log.push(request),
    onSnapshotDropped: (drop) => signals.push({ kind: 'snapshot-dropped', ...drop }),
  });
  return new EntityStore(bag, { journal, cacheSize: 0, observe: (s) => signals.push(s) });
}

const note = (i: number) => `note-${String(i).padStart(3, '0')}-${'x'.repeat(40)}`;

describe('a snapshot never makes an entity unwritable', () => {
  it('writes past the limit without snapshots, loads correctly, and snapshots again once small', async () => {
    const signals: EntityStoreSignal[] = [];
    const bags = storeWith(signals);
    // 60 notes of ~50 bytes: the state outgrows the 2 KB limit after about 35.
    for (let i = 1; i <= 60; i++)
      await bags.execute('b1', { type: 'Add', data: { note: note(i) } });
    const drops = signals.filter((s) => s.kind === 'snapshot-dropped');
    expect(drops.length).toBeGreaterThanOrEqual(4);
    expect(drops[0]).toMatchObject({ streamId: 'Bag#b1', limitBytes });
    expect(drops.every((d) => d.kind === 'snapshot-dropped' && d.sizeBytes > limitBytes)).toBe(
      true,
    );

    const log: JournalRequest[] = [];
    const loaded = await storeWith([], log).get('b1', { consistent: true });
    expect(loaded?.version).toBe(60);
    expect(loaded?.state.notes).toEqual(Array.from({ length: 60 }, (_, i) => note(i + 1)));
    // Read back past the dropped snapshots to the last one that fit: more than one page.
    expect(log.length).toBeGreaterThan(1);
    expect(log.reduce((sum, r) => sum + r.items, 0)).toBeGreaterThan(20);

    // Shrinks: the next boundary carries a snapshot again, and a load stops there.
    await bags.execute('b1', { type: 'Empty', data: {} });
    for (let i = 1; i <= 4; i++) await bags.execute('b1', { type: 'Add', data: { note: note(i) } });
    const after: JournalRequest[] = [];
    const small = await storeWith([], after).get('b1', { consistent: true });
    expect(small?.version).toBe(65);
    expect(small?.state.notes).toHaveLength(4);
    expect(after).toHaveLength(1);
  });
});
