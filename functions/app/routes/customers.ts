/** Customers: registration, the consistent view, point redemptions, audit trail, order history. */

import { assertOwner } from '@coffee-es/aws-lambda';
import * as z from '@coffee-es/aws-lambda/schema';
import {
  type CustomerCommand,
  type CustomerState,
  customerEntity,
  customerView,
} from '../../domain/customers/index.ts';
import { customerOrders } from '../../projections/orderHistory.ts';
import type { DepMakers } from '../deps/compose.ts';
import { stores } from '../deps/entityStores.ts';
import { readModels } from '../deps/readModels.ts';
import type { AppDeps } from '../deps.ts';
import { ownerOr } from './access.ts';
import { auditTrail, eventsQuery } from './events.ts';
import {
  assertOwnsPath,
  commandRoute,
  id,
  integer,
  notFound,
  queryRoute,
  route,
  text,
} from './shared.ts';
import * as views from './views.ts';

const params = z.object({ customerId: id });
const group = 'customers';
/** A customer's own record: the path's `customerId` is the token's subject. */
const ownCustomer = ownerOr({ in: 'path', field: 'customerId' });
const viewOf = (customerId: string, found: { state: CustomerState; version: number }) => ({
  ...customerView(customerId, found.state),
  version: found.version,
});

const exists = (deps: AppDeps, customerId: string) => async () =>
  (await deps.stores.of(customerEntity).get(customerId, { consistent: true })) !== undefined;

export const customerRoutes = [
  commandRoute({
    method: 'POST',
    path: '/customers',
    operationId: 'registerCustomer',
    returns: views.customerView,
    access: ownerOr({ in: 'body', field: 'customerId' }),
    personalData: true,
    group,
    summary: 'Register a customer (server-generated id unless one is given)',
    idempotent: true,
    body: z.object({
      customerId: z.optional(id),
      name: text(1, 100),
      email: z.email(),
    }),
    responses: { 201: 'Registered' },
    entity: customerEntity,
    rejects: ['customer-exists'],
    status: 201,
    target: async (request, deps) => {
      const { body, idempotency } = request;
      // A customer registers themself: the new customer's id is the token's subject.
      if (request.ownedBy !== undefined) assertOwner(request, body.customerId ?? request.ownedBy);
      const chosen = body.customerId ?? request.ownedBy;
      const generated = chosen === undefined;
      // Under a key a server-generated id comes from the key's scope: a repeat meets the first
      // commit. A client-chosen id marks the key on that derived id too: a later request with the
      // key and another body (another id, or none) meets the mark, which no commit of one stream
      // could show.
      const customerId = chosen ?? idempotency?.derivedId ?? deps.newId();
      if (idempotency && chosen !== undefined) {
        await deps.stores.of(customerEntity).claimKey(idempotency.derivedId, {
          idempotencyKey: idempotency.key,
          fingerprint: idempotency.fingerprint,
          answer: { claimedFor: chosen },
        });
      }
      const command: CustomerCommand = {
        type: 'RegisterCustomer',
        data: { customerId, name: body.name, email: body.email },
      };
      return { entityId: customerId, command, ...(generated ? { creates: 'new' as const } : {}) };
    },
    view: (found) => viewOf(found.state.customerId, found),
  }),
  queryRoute({
    path: '/customers/{customerId}',
    operationId: 'getCustomer',
    returns: views.customerView,
    access: ownCustomer,
    personalData: true,
    group,
    summary: 'A customer, consistent with its own commands',
    params,
    responses: { 200: 'The customer' },
    store: (deps) => deps.stores.of(customerEntity),
    entityId: ({ params }) => params.customerId,
    what: 'customer',
    authorize: (request) => assertOwner(request, request.params.customerId),
    view: (found, { params }) => viewOf(params.customerId, found),
  }),
  commandRoute({
    method: 'POST',
    path: '/customers/{customerId}/redemptions',
    operationId: 'redeemPoints',
    returns: views.customerView,
    access: ownCustomer,
    personalData: true,
    group,
    summary: 'Spend loyalty points',
    idempotent: true,
    params,
    body: z.object({ points: integer(1) }),
    responses: { 200: 'The customer after the redemption' },
    entity: customerEntity,
    rejects: ['customer-not-found', 'insufficient-points'],
    target: async (request, deps) => {
      const { customerId } = request.params;
      await assertOwnsPath(request, customerId, exists(deps, customerId), 'customer');
      const command: CustomerCommand = {
        type: 'RedeemPoints',
        data: { points: request.body.points },
      };
      return { entityId: customerId, command };
    },
    view: (found, { params }) => viewOf(params.customerId, found),
  }),
  route({
    method: 'GET',
    path: '/customers/{customerId}/events',
    operationId: 'customerEvents',
    returns: views.eventsView,
    access: ownCustomer,
    personalData: true,
    group,
    summary: "The customer's events, oldest first",
    params,
    query: eventsQuery,
    responses: { 200: 'Events' },
    handle: async (request, deps) => {
      const { customerId } = request.params;
      await assertOwnsPath(request, customerId, exists(deps, customerId), 'customer');
      return auditTrail(deps.stores.of(customerEntity), customerId, request.query, 'customer');
    },
  }),
  route({
    method: 'GET',
    path: '/customers/{customerId}/orders',
    operationId: 'customerOrders',
    returns: views.customerOrdersView,
    access: ownCustomer,
    personalData: true,
    group,
    summary: "The customer's orders, newest first (eventual)",
    params,
    responses: { 200: 'Orders' },
    handle: async (request, deps) => {
      const { customerId } = request.params;
      if (!(await deps.stores.of(customerEntity).get(customerId)))
        throw notFound('customer', customerId);
      assertOwner(request, customerId);
      return { status: 200, body: { orders: await customerOrders(deps.readModels, customerId) } };
    },
  }),
];

/** The makers of what this group's routes use (its function is given these alone). */
export const deps: DepMakers = { stores, readModels };
