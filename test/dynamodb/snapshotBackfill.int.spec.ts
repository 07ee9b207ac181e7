/**
 * Backfilled snapshots on DynamoDB Local: `replayedSnapshot` written by `backfillSnapshot` onto
 * a stream's last commit. A load then stops at it and gets the replayed state; the keys it holds
 * still answer a repeated keyed command as a replay (a snapshot without them would apply it
 * twice); an older schema never replaces a newer one; appends to the stream go on meanwhile
 * without a conflict; and the stream consumers skip the update the stream reports.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { EntityStore, type EntityStoreSignal, replayedSnapshot } from '@coffee-es/core';
import { backfillSnapshot, decodeJournalRecord } from '@coffee-es/dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { counterEntity } from '../support/counterEntity.ts';
import { type JournalFixture, journalFixture } from '../support/journalFixture.ts';

const v1 = counterEntity({ snapshotEvery: 0 });
const v2 = counterEntity({ snapshotEvery: 0, schemaVersion: 2 });
let f: JournalFixture;
beforeAll(async () => {
  f = await journalFixture('snapshot-backfill');
});
const table = () => ({ client: f.client, tableName: f.tableName });
const store = (signals: EntityStoreSignal[] = []) =>
  new EntityStore(v1, { journal: f.journal, cacheSize: 0, observe: (s) => signals.push(s) });
const commitsOf = (streamId: string) => f.journal.readAfter(streamId, 0, { consistent: true });
const usable = (version: number) => (s: { schemaVersion: number }) => s.schemaVersion === version;

describe('backfillSnapshot', () => {
  it('writes the replayed state where loads then stop, with the keys a keyed repeat needs', async () => {
    const counters = store();
    await counters.execute('a', { type: 'Increment', data: { by: 2 } }, { idempotencyKey: 'k1' });
    for (let i = 0; i < 5; i++) await counters.execute('a', { type: 'Increment', data: { by: 1 } });
    const commits = await commitsOf('Counter#a');
    expect(commits.some((c) => c.snapshot)).toBe(false);
    const fresh = replayedSnapshot(v1, commits);
    expect(fresh).toMatchObject({ from: 6, to: 6, snapshot: { schemaVersion: 1 } });
    if (!fresh) return;
    expect(
      await backfillSnapshot(table(), { streamId: 'Counter#a', ...fresh }, fresh.snapshot),
    ).toBe('written');
    const loaded = await f.journal.loadLatest('Counter#a', usable(1), {
      pageSize: 1,
      consistent: true,
    });
    expect(loaded.commits.map((c) => c.from)).toEqual([6]);
    expect(await counters.get('a', { consistent: true })).toEqual({
      state: { count: 7, log: [] },
      version: 6,
    });
    // The key of position 1 lives on in the snapshot: the repeat is answered, not applied.
    const signals: EntityStoreSignal[] = [];
    const repeat = await store(signals).execute(
      'a',
      { type: 'Increment', data: { by: 2 } },
      { idempotencyKey: 'k1' },
    );
    expect(repeat.replayed).toBe(true);
    expect(repeat.events.map((e) => e.position)).toEqual([1]);
    expect((await counters.get('a', { consistent: true }))?.version).toBe(6);
  });

  it('never lets an older schema replace a newer one, and tells a missing commit', async () => {
    const counters = store();
    for (let i = 0; i < 3; i++) await counters.execute('b', { type: 'Increment', data: { by: 1 } });
    const commits = await commitsOf('Counter#b');
    const newer = replayedSnapshot(v2, commits);
    const older = replayedSnapshot(v1, commits);
    if (!newer || !older) throw new Error('no snapshot');
    const at = { streamId: 'Counter#b', from: 3, to: 3 };
    expect(await backfillSnapshot(table(), at, newer.snapshot)).toBe('written');
    expect(await backfillSnapshot(table(), at, newer.snapshot)).toBe('newer-kept');
    expect(await backfillSnapshot(table(), at, older.snapshot)).toBe('newer-kept');
    const last = await f.journal.readAt('Counter#b', 3, { consistent: true });
    expect(last?.snapshot?.schemaVersion).toBe(2);
    expect(await backfillSnapshot(table(), { ...at, from: 9, to: 9 }, older.snapshot)).toBe(
      'no-commit',
    );
  });

  it('blocks no append: commands on the stream go on while snapshots are written', async () => {
    const counters = store();
    await counters.execute('c', { type: 'Increment', data: { by: 1 } });
    const signals: EntityStoreSignal[] = [];
    const live = store(signals);
    let writes = 0;
    const backfilling = (async () => {
      for (let i = 0; i < 15; i++) {
        const commits = await commitsOf('Counter#c');
        const fresh = replayedSnapshot(v1, commits);
        if (
          fresh &&
          (await backfillSnapshot(table(), { streamId: 'Counter#c', ...fresh }, fresh.snapshot)) ===
            'written'
        )
          writes++;
      }
    })();
    for (let i = 0; i < 15; i++) await live.execute('c', { type: 'Increment', data: { by: 1 } });
    await backfilling;
    expect(writes).toBeGreaterThan(0);
    expect(signals.filter((s) => s.kind === 'conflict')).toEqual([]);
    expect(await counters.get('c', { consistent: true })).toEqual({
      state: { count: 16, log: [] },
      version: 16,
    });
  });

  it('leaves the stream consumers nothing to do with the update the stream reports', async () => {
    const item = (
      await f.client.send(
        new GetItemCommand({
          TableName: f.tableName,
          Key: { pk: { S: 'Counter#a' }, sk: { N: '6' } },
          ConsistentRead: true,
        }),
      )
    ).Item;
    const record = (eventName: 'INSERT' | 'MODIFY') =>
      ({ eventName, dynamodb: { NewImage: item } }) as unknown as DynamoDBRecord;
    expect(decodeJournalRecord(record('MODIFY'))).toBeUndefined();
    // A commit written over a note is a MODIFY too, and unmarked: it is decoded.
    const { sbf: _marker, ...unmarked } = item ?? {};
    const overNote = {
      eventName: 'MODIFY',
      dynamodb: { NewImage: unmarked },
    } as unknown as DynamoDBRecord;
    expect(decodeJournalRecord(overNote)).toMatchObject({ kind: 'commit', commit: { from: 6 } });
  });
});
