/**
 * Loyalty: paid orders earn a customer points, refunds take them back. Fed by the relayed order
 * events (at least once, possibly weeks late: a dead-letter redrive, a replay of the journal).
 *
 * Exactly once, with no window: each effect claims a key that is never forgotten, written in the
 * same transaction as the customer's commit (`lib/dynamodb/claimingJournal.ts`). A credit claims
 * its order; a refund claims its own event and requires its order's credit. A repeated event
 * finds its key taken and changes nothing, however late. A refund whose credit never came (it
 * was dead-lettered) brings the credit along and claims both, so the late credit changes nothing
 * either and the result is the one of the two in order.
 */

import type { RelayedEventOf } from '@coffee-es/aws-lambda';
import type { EntityStores } from '@coffee-es/core';
import { ClaimMissingError, ClaimTakenError, CommandRejectedError } from '@coffee-es/core';
import { type CustomerCommand, customerEntity } from '../domain/customers/index.ts';
import type { orderEntity } from '../domain/orders/index.ts';
import { creditKey, refundKey } from './loyaltyClaims.ts';

export interface LoyaltyEffect {
  readonly customerId: string;
  readonly command: CustomerCommand;
}

/** An order's event as the loyalty consumer gets it: upcast, typed. */
export type RelayedOrderEvent = RelayedEventOf<typeof orderEntity>;

/** The customer command an order event calls for, if any. */
export function loyaltyEffectOf(order: RelayedOrderEvent): LoyaltyEffect | undefined {
  switch (order.type) {
    case 'OrderPaid': {
      const { customerId, orderId, amount } = order.data;
      if (customerId === undefined) return undefined;
      return { customerId, command: { type: 'CreditOrder', data: { orderId, total: amount } } };
    }
    case 'OrderRefunded': {
      const { customerId, orderId, paid, refundedTotal, amount } = order.data;
      if (customerId === undefined) return undefined;
      const data = { orderId, paid, refunded: refundedTotal, amount, refundId: order.eventId };
      return { customerId, command: { type: 'AdjustOrderPoints', data } };
    }
    default:
      return undefined;
  }
}

/** The key the effect of this command claims for itself. */
function ownKeyOf(command: CustomerCommand, streamId: string): string {
  if (command.type === 'AdjustOrderPoints') return refundKey(streamId, command.data.refundId);
  if (command.type === 'CreditOrder') return creditKey(streamId, command.data.orderId);
  return '';
}

export type LoyaltyOutcome = 'applied' | 'no-effect' | 'unknown-customer';

/** Applies one relayed event to the customer it concerns, exactly once. */
export async function applyLoyalty(
  deps: { readonly stores: EntityStores },
  event: RelayedOrderEvent,
): Promise<LoyaltyOutcome> {
  const effect = loyaltyEffectOf(event);
  if (!effect) return 'no-effect';
  let includeCredit = false;
  // At most: without the credit, then with it (it never came), then without (it came meanwhile).
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await deps.stores
        .of(customerEntity)
        .execute(effect.customerId, withCredit(effect.command, includeCredit), {
          causationId: event.eventId,
          ...(event.correlationId === undefined ? {} : { correlationId: event.correlationId }),
        });
      return result.events.length > 0 ? 'applied' : 'no-effect';
    } catch (error) {
      const next = attempt < 3 ? afterRefusal(error, effect.command, includeCredit) : undefined;
      if (next === undefined) throw error;
      if (next !== 'retry') return next;
      includeCredit = !includeCredit;
    }
  }
}

function withCredit(command: CustomerCommand, includeCredit: boolean): CustomerCommand {
  return command.type === 'AdjustOrderPoints'
    ? { ...command, data: { ...command.data, includeCredit } }
    : command;
}

/** What a refused command means: done before, try again with or without the credit, or fail. */
function afterRefusal(
  error: unknown,
  command: CustomerCommand,
  includeCredit: boolean,
): LoyaltyOutcome | 'retry' | undefined {
  if (error instanceof ClaimTakenError) {
    // This very event (or, for a credit, a refund that brought it) was applied before.
    if (error.keys.includes(ownKeyOf(command, error.streamId)) || !includeCredit) {
      return 'no-effect';
    }
    return 'retry'; // the credit arrived while this refund was bringing it: without it
  }
  // The order's credit never came: bring it.
  if (error instanceof ClaimMissingError && !includeCredit) return 'retry';
  // An order names a customer that is not registered: retrying cannot change that.
  if (error instanceof CommandRejectedError && error.code === 'customer-not-found') {
    return 'unknown-customer';
  }
  return undefined;
}
