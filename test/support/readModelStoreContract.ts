/**
 * The read-model store contract: what every implementation of the port promises, run against
 * the in-memory store (test/core) and the DynamoDB one on DynamoDB Local (test/dynamodb). Each
 * case injects the fault that would break its promise: another writer moving a document, a
 * redelivered or overlapping batch, a commit arriving before the one it follows, a rebuild's drop.
 */
import {
  applyCounters,
  applyDocument,
  type DocumentCommit,
  defineProjection,
  type ProjectedEvent,
  ProjectionGapError,
  type ReadModelStore,
} from '@coffee-es/core';
import { describe, expect, it } from 'vitest';
import { type CounterEvent, counterEntity } from './counterEntity.ts';

const counter = counterEntity();

/** One document per counter stream: what it has seen, to show each event applies once. */
export const tallies = defineProjection(counter).document<{ total: number; seen: number[] }>({
  name: 'tallies',
  keyPrefix: 'Tallies#',
  keyOf: (event) => ({ partition: 'all', sort: event.streamId }),
  evolve: (doc, event) => ({
    total: (doc?.total ?? 0) + (event.type === 'Incremented' ? event.data.by : -event.data.by),
    seen: [...(doc?.seen ?? []), event.position],
  }),
});

/** Increments per note: an aggregate across streams. */
export const perNote = defineProjection(counter).counter({
  name: 'perNote',
  keyPrefix: 'PerNote#',
  totals: ['increments', 'amount'],
  changesOf: (event) =>
    event.type === 'Incremented'
      ? [
          {
            partition: event.data.note ?? 'none',
            add: { increments: 1, amount: event.data.by },
            set: { note: event.data.note ?? 'none' },
          },
        ]
      : [],
});

export const projected = (
  streamId: string,
  position: number,
  event: CounterEvent,
): ProjectedEvent<CounterEvent> =>
  ({
    streamId,
    position,
    ...event,
    schemaVersion: 1,
    recordedAt: '2026-12-01T10:00:00.000Z',
    entityType: counter.type,
  }) as ProjectedEvent<CounterEvent>;

const commit = (streamId: string, position: number, by = 1, note?: string): DocumentCommit => ({
  from: position,
  to: position,
  events: [
    projected(streamId, position, {
      type: 'Incremented',
      data: { by, ...(note === undefined ? {} : { note }) },
    }),
  ],
});

export function readModelStoreContract(name: string, makeStore: () => Promise<ReadModelStore>) {
  describe(`${name}: the read-model store contract`, () => {
    it('writes a document only at the position it was read at', async () => {
      const store = await makeStore();
      const key = tallies.keyFor('all', 'Counter#a');
      const write = (expectedPosition: number, position: number, total: number) =>
        store.putDocument(key, {
          document: { total, seen: [] },
          streamId: 'Counter#a',
          expectedPosition,
          position,
        });
      expect(await write(0, 1, 1)).toBe(true);
      // Another writer got there first: a create and a stale update are both refused.
      expect(await write(0, 1, 99)).toBe(false);
      expect(await write(5, 6, 99)).toBe(false);
      expect(await write(1, 3, 3)).toBe(true);
      const stored = await store.getItem(key);
      expect(stored).toEqual({ key, document: { total: 3, seen: [] }, position: 3 });
    });

    it('applies each commit once when two writers race on one document', async () => {
      const store = await makeStore();
      const stream = 'Counter#race';
      await Promise.all([
        applyDocument(store, tallies, stream, [commit(stream, 1), commit(stream, 2)]),
        // Reads the same empty document, writes last: a blind write would undo commit 2.
        applyDocument(store, tallies, stream, [commit(stream, 1)]),
      ]);
      expect(await tallies.get(store, 'all', stream)).toEqual({ total: 2, seen: [1, 2] });
    });

    it('holds a commit whose predecessor is missing, and takes it from the filler', async () => {
      const store = await makeStore();
      const stream = 'Counter#gap';
      await applyDocument(store, tallies, stream, [commit(stream, 1)]);
      await expect(applyDocument(store, tallies, stream, [commit(stream, 3)])).rejects.toThrow(
        ProjectionGapError,
      );
      expect(await tallies.get(store, 'all', stream)).toEqual({ total: 1, seen: [1] });
      const outcome = await applyDocument(store, tallies, stream, [commit(stream, 3)], async () => [
        commit(stream, 2),
      ]);
      expect(outcome.status).toBe('applied');
      expect(await tallies.get(store, 'all', stream)).toEqual({ total: 3, seen: [1, 2, 3] });
      const again = await applyDocument(store, tallies, stream, [commit(stream, 2)]);
      expect(again.status).toBe('already-applied');
    });

    it('counts each event once across redelivered and overlapping batches', async () => {
      const store = await makeStore();
      const events = [1, 2, 3, 4].map((p) => commit('Counter#n', p, p, p % 2 ? 'odd' : 'even'));
      const flat = events.flatMap((c) => c.events);
      expect(await applyCounters(store, perNote, flat.slice(0, 3))).toBe(3);
      expect(
        await applyCounters(store, perNote, [...flat.slice(1), flat[3] as ProjectedEvent]),
      ).toBe(1);
      expect(await applyCounters(store, perNote, flat)).toBe(0);
      expect(await perNote.get(store, 'odd')).toEqual({ note: 'odd', increments: 2, amount: 4 });
      expect(await perNote.get(store, 'even')).toEqual({ note: 'even', increments: 2, amount: 6 });
      expect(await perNote.get(store, 'never')).toEqual({ increments: 0, amount: 0 });
    });

    it('adds one event to several aggregates under one marker', async () => {
      const store = await makeStore();
      const entry = {
        streamId: 'Counter#m',
        position: 1,
        changes: [
          { key: perNote.keyFor('x'), add: { increments: 1 } },
          { key: perNote.keyFor('y'), add: { increments: 2 } },
        ],
      };
      expect(await store.addCounters(perNote.keyPrefix, [entry])).toBe(1);
      expect(await store.addCounters(perNote.keyPrefix, [entry])).toBe(0);
      expect((await perNote.get(store, 'x')).increments).toBe(1);
      expect((await perNote.get(store, 'y')).increments).toBe(2);
    });

    it('queries a partition by sort key, either way, bounded', async () => {
      const store = await makeStore();
      for (const s of ['Counter#b', 'Counter#c', 'Counter#a']) {
        await applyDocument(store, tallies, s, [commit(s, 1)]);
      }
      const sorts = async (query: Parameters<ReadModelStore['queryItems']>[1]) =>
        (await store.queryItems(tallies.keyFor('all', '').pk, query)).map((i) => i.key.sk);
      expect(await sorts({})).toEqual(['Counter#a', 'Counter#b', 'Counter#c']);
      expect(await sorts({ newestFirst: true, limit: 2 })).toEqual(['Counter#c', 'Counter#b']);
      expect(await tallies.query(store, 'all', { limit: 1 })).toEqual([{ total: 1, seen: [1] }]);
    });

    it('drops a projection with its markers, so a rebuild counts its events again', async () => {
      const store = await makeStore();
      const events = [commit('Counter#d', 1, 5, 'n')].flatMap((c) => c.events);
      await applyCounters(store, perNote, events);
      await applyDocument(store, tallies, 'Counter#d', [commit('Counter#d', 1)]);
      // aggregate + marker; the other projection's document stays
      expect(await store.dropPrefixes([perNote.keyPrefix])).toBe(2);
      expect(await tallies.get(store, 'all', 'Counter#d')).toBeDefined();
      expect(await applyCounters(store, perNote, events)).toBe(1);
      expect(await perNote.get(store, 'n')).toEqual({ note: 'n', increments: 1, amount: 5 });
    });

    it('adds up a projection status over batches', async () => {
      const store = await makeStore();
      await store.recordStatus('Status', 'tallies', { processed: 3, failed: 1, position: '7' });
      await store.recordStatus('Status', 'tallies', {
        processed: 2,
        failed: 0,
        lastEventAt: '2026-12-01T10:00:00.000Z',
        lagMs: 40,
      });
      const item = await store.getItem({ pk: 'Status', sk: 'tallies' });
      expect(item?.document).toMatchObject({
        processed: 5,
        failed: 1,
        position: '7',
        lastEventAt: '2026-12-01T10:00:00.000Z',
        lagMs: 40,
      });
    });
  });
}
