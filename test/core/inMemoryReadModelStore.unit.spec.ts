/** The read-model store contract in memory, and what the in-memory store adds of its own. */
import { InMemoryReadModelStore } from '@coffee-es/core';
import { describe, expect, it } from 'vitest';
import { readModelStoreContract, tallies } from '../support/readModelStoreContract.ts';

readModelStoreContract('InMemoryReadModelStore', async () => new InMemoryReadModelStore());

describe('InMemoryReadModelStore', () => {
  it('hands out copies: changing a read document does not change the stored one', async () => {
    const store = new InMemoryReadModelStore();
    const key = tallies.keyFor('all', 'Counter#a');
    const document = { total: 1, seen: [1] };
    await store.putDocument(key, {
      document,
      streamId: 'Counter#a',
      expectedPosition: 0,
      position: 1,
    });
    document.seen.push(99);
    const read = await store.getItem(key);
    expect(read).toBeDefined();
    (read?.document.seen as number[] | undefined)?.push(42);
    expect((await store.getItem(key))?.document).toEqual({ total: 1, seen: [1] });
  });

  it('stamps a status with its clock', async () => {
    const store = new InMemoryReadModelStore(() => new Date('2026-12-01T12:00:00.000Z'));
    await store.recordStatus('Projection', 'p', { processed: 1, failed: 0 });
    expect((await store.getItem({ pk: 'Projection', sk: 'p' }))?.document.updatedAt).toBe(
      '2026-12-01T12:00:00.000Z',
    );
  });
});
