/**
 * Unknown outcomes of a durable-state write: recognised as ours when the write landed, written
 * again when it did not, and an honest 503-class error when even the re-read fails.
 */

import { problemOf } from '@coffee-es/aws-lambda';
import {
  AmbiguousWriteError,
  DurableStateStore,
  type ReadOptions,
  type StateRecord,
  type StateStore,
  StoreUnavailableError,
  UnknownOutcomeError,
} from '@coffee-es/core';
import { describe, expect, it } from 'vitest';

/** An in-memory store whose next puts fail as scripted: applied or not, then the answer lost. */
class ScriptedStore implements StateStore {
  readonly records = new Map<string, StateRecord>();
  puts = 0;
  /** One entry per coming put: 'lost' applies it and loses the answer, 'dropped' does not apply. */
  script: ('lost' | 'dropped')[] = [];
  failReads = false;

  async get(key: string, _options?: ReadOptions): Promise<StateRecord | undefined> {
    if (this.failReads) throw new StoreUnavailableError('getState');
    return this.records.get(key);
  }

  async put(record: StateRecord): Promise<void> {
    this.puts++;
    const step = this.script.shift();
    if (step === 'dropped') throw new AmbiguousWriteError();
    const stored = this.records.get(record.key)?.revision ?? 0;
    if (stored !== record.revision - 1) throw new Error('revision conflict in a scripted store');
    this.records.set(record.key, record);
    if (step === 'lost') throw new AmbiguousWriteError();
  }
}

const storeOn = (store: StateStore) =>
  new DurableStateStore<{ n: number }>({ type: 'T' }, { store, sleep: async () => {} });

describe('DurableStateStore after an unknown outcome', () => {
  it('a write that landed is recognised by its write id: revision 1, one put', async () => {
    const store = new ScriptedStore();
    store.script = ['lost'];
    const result = await storeOn(store).update('a', () => ({ n: 1 }));
    expect(result).toEqual({ state: { n: 1 }, revision: 1, created: true });
    expect(store.puts).toBe(1);
  });

  it('a write that did not land is written again, once', async () => {
    const store = new ScriptedStore();
    store.script = ['dropped'];
    const result = await storeOn(store).update('a', () => ({ n: 1 }));
    expect(result.revision).toBe(1);
    expect(store.puts).toBe(2);
    expect(store.records.get('T#a')?.revision).toBe(1);
  });

  it('an unknown outcome that the re-read cannot settle answers 503 unavailable', async () => {
    const store = new ScriptedStore();
    store.script = ['lost'];
    const states = storeOn(store);
    const pending = states.update('a', () => ({ n: 1 }));
    // The first read succeeds; the re-read after the lost answer fails.
    const put = store.put.bind(store);
    store.put = async (record) => {
      try {
        await put(record);
      } finally {
        store.failReads = true;
      }
    };
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownOutcomeError);
    expect(problemOf(error)).toMatchObject({ status: 503, code: 'unavailable' });
    expect(problemOf(error)?.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('writes that never land and never answer end in 503, not 409', async () => {
    const store = new ScriptedStore();
    store.script = Array.from({ length: 100 }, () => 'dropped' as const);
    const error = await storeOn(store)
      .update('a', () => ({ n: 1 }))
      .catch((e: unknown) => e);
    expect(problemOf(error)).toMatchObject({ status: 503, code: 'unavailable' });
    expect(store.records.size).toBe(0);
  });

  it('an unknown outcome from any adapter write maps to 503 with Retry-After', () => {
    const problem = problemOf(new AmbiguousWriteError());
    expect(problem).toMatchObject({ status: 503, code: 'unavailable' });
    expect(problem?.headers['retry-after']).toBe('1');
  });
});
