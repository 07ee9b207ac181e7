/**
 * Behaviour of EntityStore over any Journal: run against the in-memory journal (unit) and
 * DynamoDB Local (integration), so both adapters honour the same contract.
 */

import {
  AmbiguousWriteError,
  CommandRejectedError,
  type Commit,
  EntityStore,
  type EntityStoreOptions,
  IdempotencyKeyReusedError,
  type Journal,
  VersionMismatchError,
} from '@coffee-es/core';
import { describe, expect, it } from 'vitest';
import { counterEntity } from './counterEntity.ts';

export interface JournalUnderTest {
  readonly journal: Journal;
  /** Requests the journal has made to its store so far. */
  requests(): number;
}

const fast: Partial<EntityStoreOptions> = { sleep: async () => {} };

export function entityStoreContract(makeJournal: () => Promise<JournalUnderTest>): void {
  const counter = counterEntity({ snapshotEvery: 10 });
  let seq = 0;
  const id = (name: string) => `${name}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;
  const store = (journal: Journal, extra: Partial<EntityStoreOptions> = {}) =>
    new EntityStore(counter, { journal, ...fast, ...extra });

  describe('EntityStore contract', () => {
    it('appends events with gap-free versions and reads the state back', async () => {
      const { journal } = await makeJournal();
      const s = store(journal);
      const c = id('basic');
      const first = await s.execute(c, { type: 'Increment', data: { by: 2 } });
      const second = await s.execute(c, { type: 'IncrementTwice', data: { by: 3 } });
      expect(first.version).toBe(1);
      expect(second.version).toBe(3);
      expect(second.events.map((e) => e.position)).toEqual([2, 3]);
      const cold = await store(journal).get(c, { consistent: true });
      expect(cold).toEqual({ state: { count: 8, log: [] }, version: 3 });
      expect(await store(journal).get(id('missing'), { consistent: true })).toBeUndefined();
    });

    it('refuses a rejected command with its code and writes nothing', async () => {
      const { journal } = await makeJournal();
      const s = store(journal);
      const c = id('reject');
      await s.execute(c, { type: 'Increment', data: { by: 1 } });
      const refusal = s.execute(c, { type: 'Decrement', data: { by: 5 } });
      await expect(refusal).rejects.toBeInstanceOf(CommandRejectedError);
      await expect(refusal).rejects.toMatchObject({ code: 'below-zero', details: { count: 1 } });
      expect((await store(journal).get(c, { consistent: true }))?.version).toBe(1);
    });

    it('re-checks a refusal against the latest state before answering', async () => {
      const { journal } = await makeJournal();
      const a = store(journal);
      const c = id('stale');
      await a.execute(c, { type: 'Increment', data: { by: 1 } }); // a caches count 1
      await store(journal).execute(c, { type: 'Increment', data: { by: 5 } }); // another container
      const result = await a.execute(c, { type: 'Decrement', data: { by: 4 } });
      expect(result.state.count).toBe(2);
      expect(result.version).toBe(3);
    });

    it('answers a repeated idempotency key with the original outcome and appends once', async () => {
      const { journal } = await makeJournal();
      const c = id('idem');
      const command = { type: 'Increment', data: { by: 7 } } as const;
      const reply = ({ version }: { version: number }) => ({ status: 201, version });
      const results = [];
      for (let i = 0; i < 3; i++) {
        // a fresh store each time: a different container, nothing cached
        results.push(await store(journal).execute(c, command, { idempotencyKey: 'k-1', reply }));
      }
      expect(results.map((r) => r.replayed)).toEqual([false, true, true]);
      expect(new Set(results.map((r) => JSON.stringify(r.reply))).size).toBe(1);
      expect(results[2]?.events.map((e) => e.position)).toEqual([1]);
      expect((await store(journal).get(c, { consistent: true }))?.state.count).toBe(7);
      await expect(
        store(journal).execute(
          c,
          { type: 'Increment', data: { by: 8 } },
          { idempotencyKey: 'k-1' },
        ),
      ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    });

    it('remembers keys from before the latest snapshot', async () => {
      const { journal } = await makeJournal();
      const c = id('idem-old');
      const s = store(journal);
      await s.execute(c, { type: 'Increment', data: { by: 1 } }, { idempotencyKey: 'early' });
      for (let i = 0; i < 25; i++) await s.execute(c, { type: 'Increment', data: { by: 1 } });
      const again = await store(journal).execute(
        c,
        { type: 'Increment', data: { by: 1 } },
        { idempotencyKey: 'early' },
      );
      expect(again.replayed).toBe(true);
      expect(again.version).toBe(26);
    });

    it('treats a write whose answer was lost as done, and a retry with the key as a replay', async () => {
      const { journal } = await makeJournal();
      const c = id('lost');
      let drop = 1;
      const lossy: Journal = {
        loadLatest: journal.loadLatest.bind(journal),
        readAfter: journal.readAfter.bind(journal),
        readContaining: journal.readContaining.bind(journal),
        readAt: journal.readAt.bind(journal),
        findKeyed: journal.findKeyed.bind(journal),
        writeNote: journal.writeNote.bind(journal),
        listStreams: journal.listStreams.bind(journal),
        scan: journal.scan.bind(journal),
        append: async (commit: Commit) => {
          await journal.append(commit);
          if (drop-- > 0) throw new AmbiguousWriteError();
        },
      };
      const first = await store(lossy).execute(
        c,
        { type: 'Increment', data: { by: 1 } },
        { idempotencyKey: 'x' },
      );
      expect(first).toMatchObject({ version: 1, replayed: false });
      const retried = await store(journal).execute(
        c,
        { type: 'Increment', data: { by: 1 } },
        { idempotencyKey: 'x' },
      );
      expect(retried).toMatchObject({ version: 1, replayed: true });
      expect((await store(journal).get(c, { consistent: true }))?.state.count).toBe(1);
    });

    it('refuses a stale If-Match version and writes nothing', async () => {
      const { journal } = await makeJournal();
      const s = store(journal);
      const c = id('ifmatch');
      await s.execute(c, { type: 'Increment', data: { by: 1 } });
      await s.execute(c, { type: 'Increment', data: { by: 1 } }, { expectedVersion: 1 });
      await expect(
        store(journal).execute(c, { type: 'Increment', data: { by: 1 } }, { expectedVersion: 1 }),
      ).rejects.toBeInstanceOf(VersionMismatchError);
      expect((await s.get(c, { consistent: true }))?.version).toBe(2);
    });

    it('creates under a new id without reading, and serves warm commands without reading', async () => {
      const under = await makeJournal();
      const s = store(under.journal);
      const c = id('new');
      const before = under.requests();
      await s.execute(c, { type: 'Increment', data: { by: 1 } }, { isNew: true });
      expect(under.requests() - before).toBe(1);
      const warm = under.requests();
      await s.execute(c, { type: 'Increment', data: { by: 1 } });
      expect(under.requests() - warm).toBe(1);
    });

    it('loads from the latest snapshot in one request, and replays when its schema changed', async () => {
      const under = await makeJournal();
      const c = id('snap');
      const s = store(under.journal);
      for (let i = 0; i < 57; i++) await s.execute(c, { type: 'Increment', data: { by: 1 } });
      const before = under.requests();
      expect(await store(under.journal).get(c)).toMatchObject({
        state: { count: 57 },
        version: 57,
      });
      expect(under.requests() - before).toBe(1);
      const changed = new EntityStore(counterEntity({ snapshotEvery: 10, schemaVersion: 2 }), {
        journal: under.journal,
      });
      expect(await changed.get(c)).toMatchObject({ state: { count: 57 }, version: 57 });
    });

    it('pages the audit trail oldest first', async () => {
      const { journal } = await makeJournal();
      const s = store(journal);
      const c = id('audit');
      for (let i = 0; i < 4; i++) await s.execute(c, { type: 'IncrementTwice', data: { by: i } });
      const page = await s.events(c, { after: 3, limit: 3 });
      expect(page.map((e) => e.position)).toEqual([4, 5, 6]);
      expect(page[0]).toMatchObject({ type: 'Incremented', schemaVersion: 1, data: { by: 1 } });
      expect((await s.events(c)).length).toBe(8);
    });

    it('keeps every acknowledged increment under 32 concurrent writers', {
      timeout: 180_000,
    }, async () => {
      const { journal } = await makeJournal();
      const c = id('hot');
      // A budget large enough for the worst-placed of 32 writers: the point is that no update
      // is lost or doubled; how often the default budget runs out is reported by the benchmark.
      const writers = Array.from(
        { length: 32 },
        () =>
          new EntityStore(counter, {
            journal,
            retry: { maxAttempts: 1000, timeBudgetMs: 120_000 },
          }),
      );
      let acknowledged = 0;
      let refused = 0;
      await Promise.all(
        writers.map(async (writer, w) => {
          for (let i = w; i < 1000; i += 32) {
            try {
              await writer.execute(c, { type: 'Increment', data: { by: 1 } });
              acknowledged++;
            } catch (error) {
              refused++;
              if (process.env.DEBUG_CONTENTION) console.log(String(error));
            }
          }
        }),
      );
      const events = await store(journal).events(c, { limit: 2000 });
      expect(events.map((e) => e.position)).toEqual(events.map((_, i) => i + 1));
      const final = await store(journal).get(c, { consistent: true });
      expect(final?.state.count).toBe(acknowledged);
      expect(final?.version).toBe(acknowledged);
      expect(acknowledged + refused).toBe(1000);
      expect(acknowledged).toBe(1000);
    });
  });
}
