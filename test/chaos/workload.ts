/**
 * A random mix of the contract's commands from concurrent clients, each keeping a model of what the
 * server acknowledged: orders through their state machine (valid and refused transitions), payments
 * and partial refunds, reservations and releases on shared slots, and repeats of answered requests
 * with the same key. The model is what the invariants are checked against.
 */
import { randomUUID } from 'node:crypto';
import { type Answer, type ClientOptions, send } from './client.ts';
import type { OrderModel, World } from './world.ts';

export {
  type OrderModel,
  type ReservationModel,
  setUpWorld,
  type World,
} from './world.ts';

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;
const between = (random: Random, min: number, max: number) =>
  min + Math.floor(random() * (max - min + 1));

/**
 * One client: `commands` commands, one after the other, on its own orders and on the shared
 * customers and slots.
 */
export async function runClient(
  client: ClientOptions,
  world: World,
  options: { commands: number; random: Random; repeatRate?: number },
): Promise<void> {
  const { random } = options;
  const mine: OrderModel[] = [];
  const wrong = (what: string, answer: Answer, expected: string) =>
    world.wrongAnswers.push(
      `${what}: ${answer.status} ${JSON.stringify(answer.body)}; expected ${expected}`,
    );

  /** A keyed POST; sometimes sent again after its answer, which must then be the same. */
  const post = async (path: string, body: unknown): Promise<Answer> => {
    const key = randomUUID();
    const answer = await send(client, 'POST', path, body, { 'idempotency-key': key });
    world.commands++;
    if (random() < (options.repeatRate ?? 0.05)) {
      const again = await send(client, 'POST', path, body, { 'idempotency-key': key });
      if (
        again.status !== answer.status ||
        JSON.stringify(again.body) !== JSON.stringify(answer.body)
      ) {
        wrong(`repeat of POST ${path}`, again, `${answer.status} ${JSON.stringify(answer.body)}`);
      }
    }
    return answer;
  };

  const place = async () => {
    const branchId = pick(random, world.branches);
    const customerId = random() < 0.85 ? pick(random, world.customers) : undefined;
    const items = Array.from({ length: between(random, 1, 3) }, () => ({
      sku: pick(random, ['latte', 'flat-white', 'espresso', 'cake']),
      quantity: between(random, 1, 4),
      unitPrice: between(random, 50, 900),
    }));
    const total = items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0);
    const answer = await post(`/branches/${branchId}/orders`, {
      ...(customerId === undefined ? {} : { customerId }),
      items,
    });
    if (answer.status !== 201 || answer.body?.total !== total || answer.body?.status !== 'placed') {
      return wrong('place', answer, `201 placed total ${total}`);
    }
    const order: OrderModel = {
      orderId: answer.body.orderId,
      branchId,
      customerId,
      total,
      status: 'placed',
      paid: 0,
      refunded: 0,
    };
    world.orders.set(order.orderId, order);
    mine.push(order);
  };

  /** A transition: `valid` says whether the model expects 200 or a 409 with `code`. */
  const transition = async (
    order: OrderModel,
    path: string,
    body: unknown,
    expected: { valid: boolean; code?: string; apply?: (o: OrderModel) => void },
  ) => {
    const answer = await post(`/orders/${order.orderId}/${path}`, body);
    if (!expected.valid) {
      if (answer.status !== 409 || answer.body?.code !== expected.code) {
        wrong(`${path} of ${order.orderId} (${order.status})`, answer, `409 ${expected.code}`);
      }
      return;
    }
    if (answer.status !== 200)
      return wrong(`${path} of ${order.orderId} (${order.status})`, answer, '200');
    expected.apply?.(order);
    if (
      answer.body.status !== order.status ||
      answer.body.paid !== order.paid ||
      answer.body.refunded !== order.refunded
    ) {
      wrong(`${path} of ${order.orderId}`, answer, JSON.stringify(order));
    }
  };

  const onPlaced = (order: OrderModel, r: number) => {
    if (r < 0.75) {
      const right = random() < 0.9;
      const amount = right ? order.total : order.total + 1;
      return transition(
        order,
        'payment',
        { amount },
        {
          valid: right,
          code: 'amount-mismatch',
          apply: (o) => {
            o.status = 'paid';
            o.paid = o.total;
          },
        },
      );
    }
    if (r < 0.85)
      return transition(order, 'ready', {}, { valid: false, code: 'invalid-transition' });
    return transition(
      order,
      'cancellation',
      { reason: 'changed my mind' },
      {
        valid: true,
        apply: (o) => {
          o.status = 'cancelled';
        },
      },
    );
  };

  const onPaid = (order: OrderModel, r: number) => {
    if (r < 0.6 && order.status !== 'collected') {
      const next = order.status === 'paid' ? 'ready' : 'collected';
      return transition(
        order,
        order.status === 'paid' ? 'ready' : 'collection',
        {},
        {
          valid: true,
          apply: (o) => {
            o.status = next;
          },
        },
      );
    }
    const live = order.paid - order.refunded;
    const tooMuch = random() < 0.1;
    const amount = tooMuch ? live + 1 : between(random, 1, live);
    return transition(
      order,
      'refunds',
      { amount, reason: 'cold' },
      {
        valid: !tooMuch,
        code: 'refund-exceeds-paid',
        apply: (o) => {
          o.refunded += amount;
          if (o.refunded === o.paid) o.status = 'refunded';
        },
      },
    );
  };

  const step = async () => {
    const r = random();
    const order = mine.length > 0 ? pick(random, mine) : undefined;
    if (!order || r < 0.3) return place();
    if (r < 0.4) return reserveOrRelease();
    if (order.status === 'placed') return onPlaced(order, r);
    if (['paid', 'ready', 'collected'].includes(order.status)) return onPaid(order, r);
    return transition(
      order,
      'payment',
      { amount: order.total },
      {
        valid: false,
        code: 'invalid-transition',
      },
    );
  };

  const reserveOrRelease = async () => {
    const live = world.reservations.filter((x) => !x.released);
    if (live.length > 0 && random() < 0.4) {
      const reservation = pick(random, live);
      reservation.released = true; // released from here on, whoever else releases it too
      const answer = await send(client, 'DELETE', `/reservations/${reservation.reservationId}`);
      world.commands++;
      if (answer.status !== 200 || answer.body?.released !== true)
        wrong('release', answer, '200 released');
      return;
    }
    const slot = pick(random, world.slots);
    const quantity = between(random, 1, 3);
    const answer = await post(`/branches/${slot.branchId}/slots/${slot.slotId}/reservations`, {
      quantity,
    });
    if (answer.status === 201) {
      world.reservations.push({
        reservationId: answer.body.reservationId,
        slotKey: `${slot.branchId}/${slot.slotId}`,
        quantity,
        released: false,
      });
    } else if (answer.status !== 409 || answer.body?.code !== 'slot-full') {
      wrong('reserve', answer, '201 or 409 slot-full');
    }
  };

  for (let i = 0; i < options.commands; i++) await step();
}
