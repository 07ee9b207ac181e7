/** Orders: placing one at a branch, then its state machine, its view and its audit trail. */

import type { RouteAccess } from '@coffee-es/aws-lambda';
import { assertOwner } from '@coffee-es/aws-lambda';
import * as z from '@coffee-es/aws-lambda/schema';
import { reject } from '@coffee-es/core';
import {
  type OrderCommand,
  type OrderRejection,
  type OrderState,
  orderEntity,
  orderView,
} from '../../domain/orders/index.ts';
import { branches } from '../deps/branches.ts';
import type { DepMakers } from '../deps/compose.ts';
import { stores } from '../deps/entityStores.ts';
import { known } from '../deps/known.ts';
import { ownerOr, staffOnly } from './access.ts';
import { auditTrail, eventsQuery } from './events.ts';
import { commandRoute, id, integer, notFound, queryRoute, route, text } from './shared.ts';
import * as views from './views.ts';

const group = 'orders';
/** A customer's own order: the stored order's `customerId` is the token's subject. */
const ownOrder = ownerOr({ in: 'resource', field: 'customerId' });
const params = z.object({ orderId: id });
const viewOf = (orderId: string, state: OrderState, version: number) => ({
  ...orderView(orderId, state),
  version,
});

const item = z.object({
  sku: id,
  quantity: integer(1, 50),
  unitPrice: integer(0, 100_000),
});

/** One route per transition: `POST /orders/{orderId}/<path>` runs the command the body makes. */
function transition<B extends z.ZodMiniType>(spec: {
  path: string;
  operationId: string;
  summary: string;
  body: B;
  rejects: readonly OrderRejection[];
  access: RouteAccess;
  command: (body: z.output<B>) => OrderCommand;
}) {
  return commandRoute({
    method: 'POST',
    path: `/orders/{orderId}/${spec.path}`,
    operationId: spec.operationId,
    group,
    summary: spec.summary,
    access: spec.access,
    returns: views.orderView,
    personalData: true,
    idempotent: true,
    params,
    body: spec.body,
    responses: { 200: 'The order' },
    entity: orderEntity,
    rejects: ['order-not-found', ...spec.rejects],
    target: (request) => ({
      entityId: request.params.orderId,
      command: spec.command(request.body),
      guard: ownsOrder(request),
    }),
    view: ({ state, version }, { params }) => viewOf(params.orderId, state, version),
  });
}

/**
 * A customer's order is theirs: checked on the state the command is decided on (the warm cache's,
 * or the one just read), so the check costs no request. An order not placed yet is left to the
 * command, which answers 404 once a strongly consistent read confirms it; its customer never
 * changes once placed, so a stale state is as good as a fresh one here.
 */
const ownsOrder =
  (request: { readonly ownedBy: string | undefined }) =>
  (state: OrderState): void => {
    if (request.ownedBy !== undefined && state.placed) assertOwner(request, state.customerId);
  };

const empty = z.optional(z.object({}));

export const orderRoutes = [
  commandRoute({
    method: 'POST',
    path: '/branches/{branchId}/orders',
    operationId: 'placeOrder',
    returns: views.orderView,
    access: ownerOr({ in: 'body', field: 'customerId' }),
    personalData: true,
    group,
    summary: 'Place an order at a branch',
    idempotent: true,
    params: z.object({ branchId: id }),
    body: z.object({
      customerId: z.optional(id),
      items: z.array(item).check(z.minLength(1), z.maxLength(50)),
      reservationId: z.optional(text(1, 200)),
    }),
    responses: { 201: 'Placed' },
    entity: orderEntity,
    rejects: ['branch-not-found', 'customer-not-found'],
    status: 201,
    target: (request, deps) => {
      const { branchId } = request.params;
      const { items, reservationId } = request.body;
      // A customer orders for themself: their order is theirs to pay and cancel.
      const customerId = request.body.customerId ?? request.ownedBy;
      // Under a key the id comes from the key's scope: a repeat meets the first commit.
      const orderId = request.idempotency?.derivedId ?? deps.newId();
      const guard = async () => {
        if (!(await deps.known.branch(branchId))) {
          return reject('branch-not-found', `No branch ${branchId}`);
        }
        if (customerId !== undefined && !(await deps.known.customer(customerId))) {
          return reject('customer-not-found', `No customer ${customerId}`);
        }
        assertOwner(request, customerId);
        return undefined;
      };
      const command: OrderCommand = {
        type: 'PlaceOrder',
        data: {
          orderId,
          branchId,
          items,
          ...(customerId === undefined ? {} : { customerId }),
          ...(reservationId === undefined ? {} : { reservationId }),
        },
      };
      return { entityId: orderId, command, creates: 'new', guard };
    },
    view: ({ state, version }) => viewOf(state.orderId, state, version),
  }),
  transition({
    path: 'payment',
    operationId: 'payOrder',
    access: ownOrder,
    summary: 'Pay an order (the amount must equal its total)',
    body: z.object({ amount: integer() }),
    rejects: ['amount-mismatch', 'invalid-transition'],
    command: (body) => ({ type: 'PayOrder', data: { amount: body.amount } }),
  }),
  transition({
    path: 'ready',
    operationId: 'markOrderReady',
    access: staffOnly,
    summary: 'Mark a paid order ready for pickup',
    body: empty,
    rejects: ['invalid-transition'],
    command: () => ({ type: 'MarkOrderReady', data: {} }),
  }),
  transition({
    path: 'collection',
    operationId: 'collectOrder',
    access: staffOnly,
    summary: 'Hand a ready order to the customer',
    body: empty,
    rejects: ['invalid-transition'],
    command: () => ({ type: 'CollectOrder', data: {} }),
  }),
  transition({
    path: 'cancellation',
    operationId: 'cancelOrder',
    access: ownOrder,
    summary: 'Cancel an order that is not paid yet',
    body: z.optional(z.object({ reason: z.optional(text(0, 200)) })),
    rejects: ['invalid-transition'],
    command: (body) => ({
      type: 'CancelOrder',
      data: body?.reason === undefined ? {} : { reason: body.reason },
    }),
  }),
  transition({
    path: 'refunds',
    operationId: 'refundOrder',
    access: staffOnly,
    summary: 'Refund part or all of what was paid',
    body: z.object({ amount: integer(1), reason: text(1, 200) }),
    rejects: ['refund-exceeds-paid', 'invalid-transition'],
    command: (body) => ({
      type: 'RefundOrder',
      data: { amount: body.amount, reason: body.reason },
    }),
  }),
  queryRoute({
    path: '/orders/{orderId}',
    operationId: 'getOrder',
    returns: views.orderView,
    access: ownOrder,
    personalData: true,
    group,
    summary: 'An order, consistent',
    params,
    responses: { 200: 'The order' },
    store: (deps) => deps.stores.of(orderEntity),
    entityId: ({ params }) => params.orderId,
    what: 'order',
    authorize: (request, state) => assertOwner(request, state.customerId),
    view: ({ state, version }, { params }) => viewOf(params.orderId, state, version),
  }),
  route({
    method: 'GET',
    path: '/orders/{orderId}/events',
    operationId: 'orderEvents',
    returns: views.eventsView,
    access: ownOrder,
    personalData: true,
    group,
    summary: "The order's events, oldest first",
    params,
    query: eventsQuery,
    responses: { 200: 'Events' },
    handle: async (request, deps) => {
      const { orderId } = request.params;
      if (request.ownedBy !== undefined) {
        const found = await deps.stores.of(orderEntity).get(orderId, { consistent: true });
        if (!found) throw notFound('order', orderId);
        ownsOrder(request)(found.state);
      }
      return auditTrail(deps.stores.of(orderEntity), orderId, request.query, 'order');
    },
  }),
];

/** The makers of what this group's routes use (its function is given these alone). */
export const deps: DepMakers = { stores, known, branches };
