/**
 * Idempotency keys are remembered by time (24 h by default), whatever the number of keyed
 * commands in between, in a bounded memory: past its cap, keys spill into Bloom filters and are
 * looked up in the stream only when a filter may know them. Against DynamoDB Local.
 */
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import type { EntityStoreSignal } from '@coffee-es/core';
import {
  CommandRejectedError,
  EntityStore,
  type EntityStoreOptions,
  RefusalReplayedError,
} from '@coffee-es/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { counterEntity } from '../support/counterEntity.ts';
import { type JournalFixture, journalFixture } from '../support/journalFixture.ts';

let fixture: JournalFixture;
beforeAll(async () => {
  fixture = await journalFixture('keysByTime');
});

const hour = 3600 * 1000;
const t0 = Date.parse('2030-06-01T08:00:00Z');
const counter = counterEntity({ snapshotEvery: 100 });
const reply = ({ version }: { version: number }) => ({ status: 201, version });
const plusOne = { type: 'Increment', data: { by: 1 } } as const;

function storeAt(clock: { now: number }, extra: Partial<EntityStoreOptions> = {}) {
  const signals: EntityStoreSignal[] = [];
  const store = new EntityStore(counter, {
    journal: fixture.journal,
    clock: () => new Date(clock.now),
    observe: (signal) => signals.push(signal),
    ...extra,
  });
  return { store, signals };
}

/** The original keyed command, then `newer` other keyed commands on the same counter. */
async function history(id: string, newer: number, extra: Partial<EntityStoreOptions> = {}) {
  const clock = { now: t0 };
  const { store } = storeAt(clock, extra);
  const original = await store.execute(id, plusOne, { idempotencyKey: 'original', reply });
  for (let i = 0; i < newer; i++) {
    clock.now += 1000;
    await store.execute(id, plusOne, { idempotencyKey: `newer-${i}`, reply });
  }
  return { clock, store, original };
}

const requestsDuring = async (work: () => Promise<unknown>) => {
  const before = fixture.log.length;
  await work();
  return fixture.log.slice(before);
};

describe('idempotency keys remembered by time', () => {
  it('replays a key after 500 newer keyed commands and 23 h, warm and cold; forgets it after 25 h', async () => {
    const { clock, store, original } = await history('c-500', 500);
    expect(original.reply).toEqual({ status: 201, version: 1 });
    clock.now = t0 + 23 * hour;
    const warm = await store.execute('c-500', plusOne, { idempotencyKey: 'original', reply });
    expect(warm).toMatchObject({ replayed: true, reply: { status: 201, version: 1 } });
    const cold = await storeAt(clock).store.execute('c-500', plusOne, {
      idempotencyKey: 'original',
      reply,
    });
    expect(cold).toMatchObject({ replayed: true, reply: { status: 201, version: 1 } });
    expect((await store.get('c-500', { consistent: true }))?.version).toBe(501);

    clock.now = t0 + 25 * hour;
    const late = await storeAt(clock).store.execute('c-500', plusOne, {
      idempotencyKey: 'original',
      reply,
    });
    expect(late).toMatchObject({ replayed: false, version: 502 });
  });

  it('keeps at most maxKeys exactly; past the cap a spilled key is found with one lookup', async () => {
    const policy = { idempotency: { maxKeys: 50 } };
    const { clock } = await history('c-cap', 500, policy);
    clock.now = t0 + 23 * hour;
    const { store, signals } = storeAt(clock, policy);
    const image = await requestsDuring(() => store.get('c-cap'));
    expect(image).toHaveLength(1);
    const replay = await requestsDuring(async () => {
      const again = await store.execute('c-cap', plusOne, { idempotencyKey: 'original', reply });
      expect(again).toMatchObject({ replayed: true, reply: { status: 201, version: 1 } });
    });
    expect(signals.filter((s) => s.kind === 'key-lookup')).toHaveLength(1);
    expect(replay.map((r) => r.operation)).toEqual(['Query']);
    // A new key: the filters say "certainly new", so no read, one write.
    const fresh = await requestsDuring(() =>
      store.execute('c-cap', plusOne, { idempotencyKey: 'brand-new', reply }),
    );
    expect(fresh.map((r) => r.operation)).toEqual(['PutItem']);
    // The snapshot that a cold container loads stays bounded by the cap.
    const snapshots = await fixture.journal.loadLatest('Counter#c-cap', () => true, {
      pageSize: 101,
    });
    const snapshot = snapshots.commits[0]?.snapshot;
    expect(snapshot?.recentKeys.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(snapshot).length).toBeLessThan(50 * 40 + 4 * 1500);
  });

  it('replays a keyed refusal for 24 h from any container, after 500 newer keyed commands', async () => {
    const clock = { now: t0 };
    const { store } = storeAt(clock);
    const refusal = (error: unknown) =>
      error instanceof CommandRejectedError ? { status: 409, code: error.code } : undefined;
    const minusFive = { type: 'Decrement', data: { by: 5 } } as const;
    const keyed = { idempotencyKey: 'too-early', refusal, reply };
    await store.execute('c-refused', plusOne, { isNew: true });
    await expect(store.execute('c-refused', minusFive, keyed)).rejects.toBeInstanceOf(
      CommandRejectedError,
    );
    for (let i = 0; i < 500; i++) {
      clock.now += 1000;
      await store.execute('c-refused', plusOne, { idempotencyKey: `later-${i}`, reply });
    }
    clock.now = t0 + 23 * hour;
    // A cold container (as after a restart): the count is 501 now, but the answer is the first.
    const replayed = await storeAt(clock)
      .store.execute('c-refused', minusFive, keyed)
      .catch((e: unknown) => e);
    expect(replayed).toBeInstanceOf(RefusalReplayedError);
    expect((replayed as RefusalReplayedError).answer).toEqual({ status: 409, code: 'below-zero' });
    clock.now = t0 + 25 * hour;
    const decided = await storeAt(clock).store.execute('c-refused', minusFive, keyed);
    expect(decided).toMatchObject({ replayed: false, state: { count: 496 } });
  });

  it('writes on once a note it expected has expired (TTL removed it)', async () => {
    const clock = { now: t0 };
    const { store } = storeAt(clock);
    const refusal = () => ({ status: 409 });
    await store.execute('c-ttl', plusOne, { isNew: true });
    const minusFive = { type: 'Decrement', data: { by: 5 } } as const;
    await expect(
      store.execute('c-ttl', minusFive, { idempotencyKey: 'refused', refusal }),
    ).rejects.toBeInstanceOf(CommandRejectedError);
    await fixture.client.send(
      new DeleteItemCommand({
        TableName: fixture.tableName,
        Key: { pk: { S: 'Counter#c-ttl' }, sk: { N: '2' } },
      }),
    );
    const next = await store.execute('c-ttl', plusOne, { deadline: Date.now() + 3000 });
    expect(next.version).toBe(2);
  });

  it('refuses a key policy below 1 with a clear error', () => {
    for (const idempotency of [{ maxKeys: 0 }, { retentionMs: 0 }, { maxKeys: -3 }]) {
      expect(() => storeAt({ now: t0 }, { idempotency })).toThrow(/at least 1/);
    }
  });
});
