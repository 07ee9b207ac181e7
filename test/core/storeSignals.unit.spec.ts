/**
 * The process-wide tap on EntityStore signals: a listener hears the conflicts of a store it was
 * given no option of, beside the store's own observer; it stops hearing once removed; one that
 * throws fails no command.
 */
import type { Commit, EntityStoreSignal, Journal } from '@coffee-es/core';
import { EntityStore, InMemoryJournal, listenToEntityStores } from '@coffee-es/core';
import { afterEach, describe, expect, it } from 'vitest';
import { counterEntity } from '../support/counterEntity.ts';

const counter = counterEntity();
const plusOne = { type: 'Increment', data: { by: 1 } } as const;
const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** A journal where another container commits before each of our first `rivals` appends. */
function contended(rivals: number): Journal {
  const inner = new InMemoryJournal();
  const rival = new EntityStore(counter, { journal: inner });
  let left = rivals;
  return {
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
}

const conflictsOf = (signals: EntityStoreSignal[]) =>
  signals.filter((s) => s.kind === 'conflict').map((s) => s.streamId);

describe('listenToEntityStores', () => {
  it('hears the conflicts of every store, beside the store own observer', async () => {
    const heard: EntityStoreSignal[] = [];
    const observed: EntityStoreSignal[] = [];
    stops.push(listenToEntityStores((signal) => heard.push(signal)));
    const store = new EntityStore(counter, {
      journal: contended(2),
      observe: (signal) => observed.push(signal),
      sleep: async () => {},
    });
    await store.execute('a', plusOne, { isNew: true });
    expect(conflictsOf(heard)).toEqual(['Counter#a', 'Counter#a']);
    expect(conflictsOf(observed)).toEqual(['Counter#a', 'Counter#a']);
  });

  it('stops hearing once removed; the same function given twice is two listeners', async () => {
    const heard: EntityStoreSignal[] = [];
    const listener = (signal: EntityStoreSignal) => heard.push(signal);
    const first = listenToEntityStores(listener);
    stops.push(listenToEntityStores(listener));
    const store = new EntityStore(counter, { journal: contended(1), sleep: async () => {} });
    await store.execute('b', plusOne, { isNew: true });
    expect(conflictsOf(heard)).toHaveLength(2);
    first();
    heard.length = 0;
    const again = new EntityStore(counter, { journal: contended(1), sleep: async () => {} });
    await again.execute('c', plusOne, { isNew: true });
    expect(conflictsOf(heard)).toEqual(['Counter#c']);
  });

  it('a listener that throws fails no command', async () => {
    stops.push(
      listenToEntityStores(() => {
        throw new Error('a broken observer');
      }),
    );
    const store = new EntityStore(counter, { journal: contended(1), sleep: async () => {} });
    const result = await store.execute('d', plusOne, { isNew: true });
    expect(result.version).toBe(2);
  });
});
