/** The projection test kit: given events, then the documents they make, through the one pass. */
import { projectionSpecification } from '@coffee-es/core/testing';
import { describe, expect, it } from 'vitest';
import { perNote, tallies } from '../support/readModelStoreContract.ts';

const inc = (by: number, note?: string) =>
  ({ type: 'Incremented', data: { by, ...(note === undefined ? {} : { note }) } }) as const;
const dec = (by: number) => ({ type: 'Decremented', data: { by } }) as const;

describe('projectionSpecification', () => {
  it('passes when the events make the expected document', async () => {
    await projectionSpecification(tallies, { streamId: 'Counter#a' })
      .given(inc(2), inc(3), dec(1))
      .then({ total: 4, seen: [1, 2, 3] });
  });

  it('rejects with an assertion error naming both documents when they differ', async () => {
    const failure = await projectionSpecification(tallies)
      .given(inc(2))
      .then({ total: 3, seen: [1] })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({
      name: 'AssertionError',
      actual: [{ total: 2, seen: [1] }],
      expected: [{ total: 3, seen: [1] }],
    });
  });

  it('rejects a missing or an extra document', async () => {
    await expect(projectionSpecification(tallies).given(inc(1)).then()).rejects.toThrow();
    await expect(
      projectionSpecification(tallies)
        .given(inc(1))
        .then({ total: 1, seen: [1] }, {}),
    ).rejects.toThrow();
  });

  it('says nothing changed only when nothing did', async () => {
    await projectionSpecification(perNote).given(dec(1)).thenNothing();
    await expect(projectionSpecification(perNote).given(inc(1)).thenNothing()).rejects.toThrow();
  });

  it('adds up counters across streams, one aggregate per key, in the order first reached', async () => {
    await projectionSpecification(perNote, { streamId: 'Counter#a' })
      .given(inc(1, 'x'), inc(2, 'y'))
      .andIn('Counter#b', inc(4, 'x'), dec(9))
      .then({ note: 'x', increments: 2, amount: 5 }, { note: 'y', increments: 1, amount: 2 });
  });

  it('keeps one document per stream', async () => {
    await projectionSpecification(tallies, { streamId: 'Counter#a' })
      .given(inc(1))
      .andIn('Counter#b', inc(5), inc(5))
      .then({ total: 1, seen: [1] }, { total: 10, seen: [1, 2] });
  });
});
