/**
 * `replayedSnapshot`: the snapshot an operator backfills is the one the entity store itself
 * writes at that commit (state and remembered keys alike), whatever snapshots the commits carry;
 * commits that do not run from position 1 without a gap are refused.
 */
import { EntityStore, InMemoryJournal, replayedSnapshot } from '@coffee-es/core';
import { describe, expect, it } from 'vitest';
import { counterEntity } from '../support/counterEntity.ts';

const entity = counterEntity({ snapshotEvery: 5 });
const clock = () => new Date('2026-12-01T10:00:00Z');

async function stream() {
  const journal = new InMemoryJournal();
  const counters = new EntityStore(entity, { journal, clock });
  for (let i = 1; i <= 5; i++) {
    await counters.execute(
      'a',
      { type: 'Increment', data: { by: i } },
      i % 2 ? { idempotencyKey: `k${i}` } : {},
    );
  }
  return journal.readAfter('Counter#a', 0);
}

describe('replayedSnapshot', () => {
  it('equals the snapshot the store wrote with the commit, keys and all', async () => {
    const commits = await stream();
    const written = commits.at(-1)?.snapshot;
    expect(written?.recentKeys).toHaveLength(3);
    const withoutSnapshots = commits.map(({ snapshot: _s, ...c }) => c);
    expect(replayedSnapshot(entity, withoutSnapshots)).toEqual({
      from: 5,
      to: 5,
      snapshot: written,
    });
  });

  it('ignores the snapshots the commits carry (they may be of an old schema)', async () => {
    const commits = await stream();
    const wrong = commits.map((c) =>
      c.snapshot ? { ...c, snapshot: { ...c.snapshot, state: { count: -1, log: [] } } } : c,
    );
    expect(replayedSnapshot(entity, wrong)?.snapshot.state).toEqual({ count: 15, log: [] });
  });

  it('refuses commits with a gap or not from the start, and has nothing for none', async () => {
    const commits = await stream();
    expect(() => replayedSnapshot(entity, commits.slice(1))).toThrow(
      'Counter#a: expected a commit at 1, found one at 2',
    );
    expect(() => replayedSnapshot(entity, [commits[0], commits[2]] as never)).toThrow(
      'expected a commit at 2, found one at 3',
    );
    expect(replayedSnapshot(entity, [])).toBeUndefined();
  });
});
