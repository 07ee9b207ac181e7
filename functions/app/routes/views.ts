/**
 * The shapes of the answers, for the OpenAPI document (`returns` on each route). The specs check
 * real answers against them, so the document cannot drift from what is served.
 */
import * as z from '@coffee-es/aws-lambda/schema';
// The constants' own modules, not the domain's index: a view brings no entity into a bundle.
import { tiers } from '../../domain/customers/events.ts';
import { orderStatuses } from '../../domain/orders/events.ts';

const count = z.int().check(z.minimum(0));
const version = z.int().check(z.minimum(1));
const cents = count;
const time = z.iso.datetime({ offset: true });

export const branchView = z.object({
  branchId: z.string(),
  name: z.string(),
  city: z.string(),
  revision: version,
});

export const customerView = z.object({
  customerId: z.string(),
  name: z.string(),
  email: z.string(),
  points: count,
  lifetimePoints: count,
  tier: z.enum(Object.values(tiers)),
  orderCount: count,
  version,
});

export const eventsView = z.object({
  events: z.array(
    z.object({
      position: version,
      type: z.string(),
      schemaVersion: version,
      data: z.record(z.string(), z.unknown()),
      recordedAt: time,
    }),
  ),
});

export const customerOrdersView = z.object({
  orders: z.array(
    z.object({
      orderId: z.string(),
      branchId: z.string(),
      status: z.enum(Object.values(orderStatuses)),
      total: cents,
      placedAt: time,
    }),
  ),
});

export const orderView = z.object({
  orderId: z.string(),
  branchId: z.string(),
  customerId: z.optional(z.string()),
  items: z.array(z.object({ sku: z.string(), quantity: count, unitPrice: cents })),
  total: cents,
  paid: cents,
  refunded: cents,
  status: z.enum(Object.values(orderStatuses)),
  version,
});

export const slotView = z.object({
  branchId: z.string(),
  slotId: z.string(),
  startsAt: time,
  capacity: count,
  reserved: count,
  remaining: count,
  version,
});

export const reservationView = z.object({
  reservationId: z.string(),
  branchId: z.string(),
  slotId: z.string(),
  quantity: count,
  remaining: count,
});

export const releaseView = z.object({
  reservationId: z.string(),
  released: z.literal(true),
  remaining: count,
});

export const availabilityView = z.object({
  slots: z.array(
    z.object({
      branchId: z.string(),
      slotId: z.string(),
      startsAt: time,
      capacity: count,
      remaining: count,
    }),
  ),
});

export const salesView = z.object({
  branchId: z.string(),
  date: z.iso.date(),
  paidOrders: count,
  revenue: cents,
  refunds: cents,
  net: z.int(),
});

export const healthView = z.object({ status: z.literal('ok') });

export const projectionsView = z.object({
  projections: z.array(
    z.object({
      name: z.string(),
      position: z.optional(z.union([z.string(), z.number()])),
      lastEventAt: z.optional(time),
      lagMs: z.optional(count),
      processed: count,
      failed: count,
    }),
  ),
});

export const documentView = z.object({
  openapi: z.string(),
  info: z.object({}),
  paths: z.object({}),
});
