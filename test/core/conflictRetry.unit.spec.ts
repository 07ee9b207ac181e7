/**
 * The conflict path: a loser that got the winner back retries at once, without a read or a
 * sleep; only repeated conflicts back off (from the first on a stream contended a moment ago); no attempt starts after the caller's deadline, so a
 * contended command fails with ConcurrencyError in time instead of running out the function.
 */

import type { Commit, Journal } from '@coffee-es/core';
import { ConcurrencyError, EntityStore, InMemoryJournal } from '@coffee-es/core';
import { describe, expect, it } from 'vitest';
import { counterEntity } from '../support/counterEntity.ts';

const counter = counterEntity();
const plusOne = { type: 'Increment', data: { by: 1 } } as const;

/** A journal where, before each of our first `rivals` appends, another container commits. */
function contended(rivals: number) {
  const inner = new InMemoryJournal();
  const rival = new EntityStore(counter, { journal: inner });
  let left = rivals;
  const journal: Journal = {
    loadLatest: inner.loadLatest.bind(inner),
    readAfter: inner.readAfter.bind(inner),
    readContaining: inner.readContaining.bind(inner),
    readAt: inner.readAt.bind(inner),
    findKeyed: inner.findKeyed.bind(inner),
    writeNote: inner.writeNote.bind(inner),
    listStreams: inner.listStreams.bind(inner),
    scan: inner.scan.bind(inner),
    append: async (commit: Commit) => {
      if (left-- > 0) await rival.execute(commit.streamId.split('#')[1] ?? '', plusOne);
      return inner.append(commit);
    },
  };
  /** Another `n` rival commits, before each of our next `n` appends. */
  const more = (n: number) => {
    left = n;
  };
  return { inner, journal, rival, more };
}

describe('conflict retries', () => {
  it('retries at once on top of the winner the failed write returned: no read, no sleep', async () => {
    const { inner, journal, rival } = contended(1);
    await rival.execute('c', plusOne); // the rival's image is warm: its next commit reads nothing
    const sleeps: number[] = [];
    const store = new EntityStore(counter, { journal, sleep: async (ms) => void sleeps.push(ms) });
    await store.get('c');
    const reads = inner.requests.readAfter + inner.requests.load + inner.requests.readAt;
    const result = await store.execute('c', plusOne);
    expect(result.version).toBe(3);
    expect(result.state.count).toBe(3);
    expect(sleeps).toEqual([]);
    expect(inner.requests.readAfter + inner.requests.load + inner.requests.readAt).toBe(reads);
  });

  it('backs off only from the second conflict in a row, then reads what it missed', async () => {
    const { inner, journal } = contended(4);
    const sleeps: number[] = [];
    const store = new EntityStore(counter, {
      journal,
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.999,
    });
    const result = await store.execute('d', plusOne, { isNew: true });
    expect(result.version).toBe(5);
    expect(sleeps.length).toBe(3);
    expect(sleeps[0]).toBeLessThan(sleeps[2] ?? 0);
    expect((await new EntityStore(counter, { journal: inner }).get('d'))?.state.count).toBe(5);
  });

  it('on a stream contended a moment ago, backs off from the first conflict (the carry-over)', async () => {
    const { inner, journal, more } = contended(4);
    const sleeps: number[] = [];
    const store = new EntityStore(counter, {
      journal,
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.999,
    });
    await store.execute('h', plusOne, { isNew: true }); // four conflicts in a row: a hot stream
    const before = sleeps.length;
    more(1);
    const next = await store.execute('h', plusOne);
    // One conflict only, yet it waits: without the carry-over it would retry at once.
    expect(sleeps.length).toBe(before + 1);
    expect(next.version).toBe(7);
    expect((await new EntityStore(counter, { journal: inner }).get('h'))?.state.count).toBe(7);
  });

  it('stops before the deadline with ConcurrencyError, however many attempts are left', async () => {
    const { journal } = contended(Number.POSITIVE_INFINITY);
    const store = new EntityStore(counter, { journal, retry: { maxDelayMs: 50 } });
    const started = Date.now();
    const error = await store
      .execute('e', plusOne, { isNew: true, deadline: started + 300 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(Date.now() - started).toBeLessThan(300 + 60);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
