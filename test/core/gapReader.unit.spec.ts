import type { Commit, ReadOptions } from '@coffee-es/core';
import { InMemoryJournal, journalGapFiller } from '@coffee-es/core';
import { describe, expect, it } from 'vitest';

const commit = (from: number, to: number, schemaVersion = 2): Commit => ({
  streamId: 'Thing#1',
  entityType: 'Thing',
  from,
  to,
  events: Array.from({ length: to - from + 1 }, (_, i) => ({
    type: 'Moved',
    schemaVersion,
    data: schemaVersion === 1 ? { metres: from + i } : { distance: from + i, unit: 'm' },
  })),
  recordedAt: '2030-01-01T00:00:00.000Z',
  commandId: `c${from}`,
});

const schemas = {
  Thing: {
    Moved: {
      version: 2,
      upcasters: { 1: (d: unknown) => ({ distance: (d as { metres: number }).metres, unit: 'm' }) },
    },
  },
};

describe('journalGapFiller', () => {
  it('reads the commits strictly between the two positions, strongly consistent and upcast', async () => {
    const journal = new InMemoryJournal();
    for (const c of [commit(1, 1, 1), commit(2, 3, 1), commit(4, 4), commit(5, 6)]) {
      await journal.append(c);
    }
    const asked: (ReadOptions & { limit?: number })[] = [];
    const fill = journalGapFiller(
      {
        readAfter: (streamId, after, options) => {
          asked.push(options ?? {});
          return journal.readAfter(streamId, after, options);
        },
      },
      schemas,
    );
    const filled = await fill('Thing#1', 1, 5);
    expect(filled.map((c) => [c.from, c.to])).toEqual([
      [2, 3],
      [4, 4],
    ]);
    expect(filled[0]?.events.map((e) => [e.position, e.data, e.entityType])).toEqual([
      [2, { distance: 2, unit: 'm' }, 'Thing'],
      [3, { distance: 3, unit: 'm' }, 'Thing'],
    ]);
    // Never more commits than missing positions; always a strongly consistent read.
    expect(asked).toEqual([{ consistent: true, limit: 3 }]);
  });

  it('reads nothing when no position is missing', async () => {
    const fill = journalGapFiller(
      { readAfter: () => Promise.reject(new Error('no read expected')) },
      schemas,
    );
    expect(await fill('Thing#1', 3, 4)).toEqual([]);
  });
});
