/**
 * The projector over the read-model store port, on the in-memory store: one pass per record,
 * each commit applied once whatever the redeliveries, a record whose predecessor is missing
 * reported for retry while the rest of the batch lands, healed from the journal reader when one
 * is given, and commits no projection reads passed over (no registration needed for them).
 */
import { createProjector } from '@coffee-es/aws-lambda';
import { type Commit, defineReadSide, InMemoryReadModelStore } from '@coffee-es/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { commitRecord } from '../../support/commitRecords.ts';
import { perNote, tallies } from '../../support/readModelStoreContract.ts';

// The projections' own entity: a second definition of the type would be refused.
const counter = tallies.source;
const readSide = defineReadSide({ entities: [counter], projections: [tallies, perNote] });

const commitOf = (streamId: string, position: number, note = 'n'): Commit => ({
  streamId,
  entityType: counter.type,
  from: position,
  to: position,
  events: [{ type: 'Incremented', schemaVersion: 1, data: { by: position, note } }],
  recordedAt: '2026-12-01T10:00:00.000Z',
  commandId: `cmd-${streamId}-${position}`,
});
const batch = (...commits: Commit[]): DynamoDBStreamEvent => ({
  Records: commits.map(commitRecord),
});

const projectorOn = (store: InMemoryReadModelStore, journal?: readonly Commit[]) =>
  createProjector({
    store,
    projections: readSide.projections,
    schemas: readSide.eventSchemas,
    ...(journal
      ? {
          journal: {
            readAfter: async (streamId: string, after: number) =>
              journal.filter((c) => c.streamId === streamId && c.from > after),
          },
        }
      : {}),
  });

describe('the projector on the read-model store port', () => {
  it('applies each commit once when every record comes twice', async () => {
    const store = new InMemoryReadModelStore();
    const projector = projectorOn(store);
    const [a1, a2, a3] = [1, 2, 3].map((p) => commitOf('Counter#a', p)) as [Commit, Commit, Commit];
    const out = await projector(batch(a1, a1, a2, a2, a3));
    expect(out.batchItemFailures).toEqual([]);
    await projector(batch(a1, a2, a3));
    expect(await tallies.get(store, 'all', 'Counter#a')).toEqual({ total: 6, seen: [1, 2, 3] });
    expect(await perNote.get(store, 'n')).toEqual({ note: 'n', increments: 3, amount: 6 });
    const status = await store.getItem({ pk: 'Projection', sk: 'tallies' });
    expect(status?.document).toMatchObject({ processed: 8, failed: 0 });
  });

  it('reports a record whose predecessor is missing and applies the rest of the batch', async () => {
    const store = new InMemoryReadModelStore();
    const projector = projectorOn(store);
    const early = batch(
      commitOf('Counter#b', 1),
      commitOf('Counter#b', 3),
      commitOf('Counter#c', 1),
    );
    const out = await projector(early);
    const gapSequence = early.Records[1]?.dynamodb?.SequenceNumber;
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: gapSequence }]);
    expect(await tallies.get(store, 'all', 'Counter#b')).toEqual({ total: 1, seen: [1] });
    expect(await tallies.get(store, 'all', 'Counter#c')).toEqual({ total: 1, seen: [1] });
  });

  it('heals the gap from the journal reader when it has one', async () => {
    const store = new InMemoryReadModelStore();
    const journal = [1, 2, 3].map((p) => commitOf('Counter#d', p));
    const projector = projectorOn(store, journal);
    const out = await projector(batch(journal[0] as Commit, journal[2] as Commit));
    expect(out.batchItemFailures).toEqual([]);
    expect(await tallies.get(store, 'all', 'Counter#d')).toEqual({ total: 6, seen: [1, 2, 3] });
    // The counter took the healed commit's event too, once.
    expect(await perNote.get(store, 'n')).toEqual({ note: 'n', increments: 3, amount: 6 });
  });

  it('passes over commits of an entity type no projection reads, registered or not', async () => {
    const store = new InMemoryReadModelStore();
    const other: Commit = {
      ...commitOf('Thing#t1', 1),
      entityType: 'Thing',
      events: [{ type: 'Noted', schemaVersion: 7, data: {} }],
    };
    const out = await projectorOn(store)(batch(other, commitOf('Counter#e', 1)));
    expect(out.batchItemFailures).toEqual([]);
    expect(await tallies.get(store, 'all', 'Counter#e')).toEqual({ total: 1, seen: [1] });
  });
});
