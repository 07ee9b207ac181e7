/**
 * The two readings of a cancelled DynamoDB transaction: a conflict at a position (a failed
 * condition or a collision: the journal's append lost) and a collision alone (nothing failed,
 * the same transaction may pass again: counter writes retry only that).
 */
import { isTransactionCollision, isTransactionConflict } from '@coffee-es/dynamodb';
import { describe, expect, it } from 'vitest';

const cancelled = (...codes: string[]) =>
  Object.assign(new Error('Transaction cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('cancelled transactions', () => {
  it('a failed condition is a conflict, not a collision', () => {
    const error = cancelled('ConditionalCheckFailed', 'None');
    expect(isTransactionConflict(error)).toBe(true);
    expect(isTransactionCollision(error)).toBe(false);
  });

  it('a collision with another transaction is both', () => {
    const error = cancelled('None', 'TransactionConflict');
    expect(isTransactionConflict(error)).toBe(true);
    expect(isTransactionCollision(error)).toBe(true);
  });

  it('neither for another cancellation reason or another error', () => {
    for (const error of [
      cancelled('ValidationError'),
      cancelled(),
      Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' }),
      undefined,
      'TransactionConflict',
    ]) {
      expect(isTransactionConflict(error)).toBe(false);
      expect(isTransactionCollision(error)).toBe(false);
    }
  });
});
