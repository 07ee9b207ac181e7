/**
 * The event consumer upcasts what it receives: a message relayed in an older schema version (a
 * dead letter redriven after a schema change) reaches `handle` in the current shape, and one this
 * code cannot read fails (to be retried, then dead-lettered), never reaching `handle`.
 */

import type { RelayedEvent } from '@coffee-es/aws-lambda';
import { createEventConsumer } from '@coffee-es/aws-lambda';
import { type DomainCommand, type DomainEvent, defineEntity } from '@coffee-es/core';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';

// v1 carried `cents`; v2 calls it `amount` and adds the currency.
const schemas = {
  Order: {
    OrderPaid: {
      version: 2,
      upcasters: {
        1: (data: unknown) => {
          const { cents, ...rest } = data as { cents: number };
          return { ...rest, amount: cents, currency: 'EUR' };
        },
      },
    },
  },
};

function message(id: string, event: Partial<RelayedEvent>): SQSRecord {
  const body: RelayedEvent = {
    eventId: `Order#o1@${id}`,
    streamId: 'Order#o1',
    entityType: 'Order',
    position: Number(id),
    type: 'OrderPaid',
    schemaVersion: 1,
    data: {},
    recordedAt: '2030-01-01T09:00:00.000Z',
    commandId: 'cmd',
    ...event,
  };
  return {
    messageId: `m${id}`,
    receiptHandle: `r${id}`,
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'relay',
      ApproximateFirstReceiveTimestamp: '0',
      MessageGroupId: `g${id}`,
      MessageDeduplicationId: body.eventId,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:events.fifo',
    awsRegion: 'us-east-1',
  };
}

describe('createEventConsumer', () => {
  it('hands an event relayed in an older schema version over in the current shape', async () => {
    const seen: RelayedEvent[] = [];
    const consume = createEventConsumer({ schemas, handle: async (e) => void seen.push(e) });
    const event: SQSEvent = {
      Records: [
        message('2', { schemaVersion: 1, data: { orderId: 'o1', cents: 1_250 } }),
        message('3', { schemaVersion: 2, data: { orderId: 'o1', amount: 700, currency: 'EUR' } }),
      ],
    };
    expect((await consume(event)).batchItemFailures).toEqual([]);
    expect(seen.map((e) => [e.schemaVersion, e.data])).toEqual([
      [2, { orderId: 'o1', amount: 1_250, currency: 'EUR' }],
      [2, { orderId: 'o1', amount: 700, currency: 'EUR' }],
    ]);
  });

  it('fails a message of a version or type it does not know, without handling it', async () => {
    const seen: RelayedEvent[] = [];
    const consume = createEventConsumer({ schemas, handle: async (e) => void seen.push(e) });
    const out = await consume({
      Records: [
        message('4', { schemaVersion: 3, data: {} }),
        message('5', { type: 'OrderTeleported', data: {} }),
        message('6', { schemaVersion: 2, data: { orderId: 'o1', amount: 1, currency: 'EUR' } }),
      ],
    });
    expect(out.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m4', 'm5']);
    expect(seen.map((e) => e.position)).toEqual([6]);
  });
});

describe('createEventConsumer from entities', () => {
  const orderEntity = defineEntity<
    { paid: number },
    DomainCommand<'Pay', { amount: number }>,
    DomainEvent<'OrderPaid', { orderId: string; amount: number; currency: string }>
  >({
    type: 'Order',
    initialState: () => ({ paid: 0 }),
    evolve: (state, event) => ({ paid: state.paid + event.data.amount }),
    decide: (command) => ({
      type: 'OrderPaid',
      data: { orderId: 'o1', amount: command.data.amount, currency: 'EUR' },
    }),
    events: { OrderPaid: schemas.Order.OrderPaid },
  });

  it("hands over its entities' events upcast and typed, and passes over the others", async () => {
    const amounts: number[] = [];
    const consume = createEventConsumer({
      from: [orderEntity],
      handle: async (event) => {
        // Typed from the entity: no cast, and a field it does not have is a type error.
        if (event.type === 'OrderPaid') amounts.push(event.data.amount);
        // @ts-expect-error an OrderPaid has no `cents` (v1's name, upcast away)
        void event.data.cents;
      },
    });
    const event: SQSEvent = {
      Records: [
        message('2', { schemaVersion: 1, data: { orderId: 'o1', cents: 1_250 } }),
        // Not an order's: this consumer's schemas cannot read it, and it is not failed for that.
        message('3', { entityType: 'Slot', streamId: 'Slot#s1', type: 'SlotOpened', data: {} }),
        message('4', { schemaVersion: 2, data: { orderId: 'o1', amount: 700, currency: 'EUR' } }),
      ],
    };
    expect((await consume(event)).batchItemFailures).toEqual([]);
    expect(amounts).toEqual([1_250, 700]);
  });

  it('fails an event of its entity that this code cannot read', async () => {
    const consume = createEventConsumer({ from: [orderEntity], handle: async () => {} });
    const event: SQSEvent = { Records: [message('5', { type: 'OrderVanished' })] };
    expect((await consume(event)).batchItemFailures).toEqual([{ itemIdentifier: 'm5' }]);
  });
});
