/**
 * The given/when/then kit of `@coffee-es/core/testing` fails a wrong expectation: each case below
 * states an expectation that does not hold and must throw; the matching right one must pass.
 */
import { specification } from '@coffee-es/core/testing';
import { describe, expect, it } from 'vitest';
import { counterEntity } from '../support/counterEntity.ts';

const spec = specification(counterEntity());
const incremented = (by: number, note?: string) => ({
  type: 'Incremented' as const,
  data: note === undefined ? { by } : { by, note },
});

describe('specification', () => {
  it('passes the events the command emits, in order, whatever the key order', () => {
    spec
      .given()
      .when({ type: 'IncrementTwice', data: { by: 2 } })
      .thenEmits(incremented(2), incremented(2));
    spec
      .given()
      .when({ type: 'Increment', data: { note: 'n', by: 1 } })
      .thenEmits({ data: { by: 1, note: 'n' }, type: 'Incremented' });
  });

  it('fails other events: a different value, a missing or extra event, an extra key', () => {
    const outcome = spec.given().when({ type: 'IncrementTwice', data: { by: 2 } });
    expect(() => outcome.thenEmits(incremented(2), incremented(3))).toThrow(/other events/);
    expect(() => outcome.thenEmits(incremented(2))).toThrow(/other events/);
    expect(() => outcome.thenEmits(incremented(2), incremented(2), incremented(2))).toThrow();
    expect(() => outcome.thenEmits(incremented(2), incremented(2, 'extra'))).toThrow();
  });

  it('shows the actual and expected events for a diff', () => {
    const outcome = spec.given().when({ type: 'Increment', data: { by: 1 } });
    const failure = (() => {
      try {
        outcome.thenEmits(incremented(9));
      } catch (error) {
        return error as { actual: unknown; expected: unknown; showDiff: boolean };
      }
    })();
    expect(failure).toMatchObject({
      actual: [incremented(1)],
      expected: [incremented(9)],
      showDiff: true,
    });
  });

  it('fails events where the command was rejected, and a rejection where it emitted', () => {
    const rejected = spec.given().when({ type: 'Decrement', data: { by: 1 } });
    expect(() => rejected.thenEmits()).toThrow(/got rejection below-zero/);
    const emitted = spec.given().when({ type: 'Increment', data: { by: 1 } });
    expect(() => emitted.thenRejects('below-zero')).toThrow(/expected rejection "below-zero"/);
  });

  it('fails another rejection code or other details', () => {
    const rejected = spec.given(incremented(1)).when({ type: 'Decrement', data: { by: 5 } });
    rejected.thenRejects('below-zero', { count: 1 });
    expect(() => rejected.thenRejects('not-found')).toThrow(/another code/);
    expect(() => rejected.thenRejects('below-zero', { count: 2 })).toThrow(/other details/);
  });

  it('folds the given events into the state the command sees', () => {
    spec
      .given(incremented(3))
      .when({ type: 'Decrement', data: { by: 2 } })
      .thenState((state) => expect(state.count).toBe(1));
  });
});
