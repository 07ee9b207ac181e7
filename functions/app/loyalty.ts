/**
 * Loyalty: paid orders earn a customer points, refunds take them back. Fed by the relayed order
 * events (at least once). Exactly one effect per order and refund comes from two guards: the
 * customer remembers the points credited per order (a repeated credit or adjustment decides
 * nothing), and each command carries the event id as its idempotency key.
 */
import { CommandRejectedError } from '../../lib/core/errors.ts';
import type { RelayedEvent } from '../../lib/lambda/relay.ts';
import type { CustomerCommand, OrderEvent } from '../domain/index.ts';
import type { AppDeps } from './deps.ts';

export interface LoyaltyEffect {
  readonly customerId: string;
  readonly command: CustomerCommand;
}

/** The customer command an order event calls for, if any. */
export function loyaltyEffectOf(event: RelayedEvent): LoyaltyEffect | undefined {
  if (event.entityType !== 'Order') return undefined;
  const order = { type: event.type, data: event.data } as OrderEvent;
  switch (order.type) {
    case 'OrderPaid': {
      const { customerId, orderId, amount } = order.data;
      if (customerId === undefined) return undefined;
      return { customerId, command: { type: 'CreditOrder', data: { orderId, total: amount } } };
    }
    case 'OrderRefunded': {
      const { customerId, orderId, paid, refundedTotal } = order.data;
      if (customerId === undefined) return undefined;
      return {
        customerId,
        command: { type: 'AdjustOrderPoints', data: { orderId, paid, refunded: refundedTotal } },
      };
    }
    default:
      return undefined;
  }
}

export type LoyaltyOutcome = 'applied' | 'no-effect' | 'unknown-customer';

/** Applies one relayed event to the customer it concerns. */
export async function applyLoyalty(
  deps: Pick<AppDeps, 'customers'>,
  event: RelayedEvent,
): Promise<LoyaltyOutcome> {
  const effect = loyaltyEffectOf(event);
  if (!effect) return 'no-effect';
  try {
    const result = await deps.customers.execute(effect.customerId, effect.command, {
      idempotencyKey: `loyalty:${event.eventId}`,
      causationId: event.eventId,
      ...(event.correlationId === undefined ? {} : { correlationId: event.correlationId }),
    });
    return result.events.length > 0 && !result.replayed ? 'applied' : 'no-effect';
  } catch (error) {
    // An order names a customer that is not registered: retrying cannot change that.
    if (error instanceof CommandRejectedError && error.code === 'customer-not-found') {
      return 'unknown-customer';
    }
    throw error;
  }
}
