/** Pickup slots: define, read, reserve, release; and the availability search (eventual). */

import { assertOwner } from '@coffee-es/aws-lambda';
import * as z from '@coffee-es/aws-lambda/schema';
import { reject } from '@coffee-es/core';
import {
  numberedReservationId,
  parseReservationId,
  reservationStatus,
  type SlotCommand,
  type SlotState,
  slotEntity,
  slotEntityId,
  slotView,
} from '../../domain/slots/index.ts';
import { availableSlots } from '../../projections/availability.ts';
import { branches } from '../deps/branches.ts';
import type { DepMakers } from '../deps/compose.ts';
import { stores } from '../deps/entityStores.ts';
import { readModels } from '../deps/readModels.ts';
import type { AppDeps } from '../deps.ts';
import { anyCaller, ownerOr, staffOnly } from './access.ts';
import { commandRoute, id, integer, isoTime, notFound, queryRoute, route, text } from './shared.ts';
import * as views from './views.ts';

const group = 'slots';
const params = z.object({ branchId: id, slotId: id });
const viewOf = (state: SlotState, version: number) => ({ ...slotView(state), version });

export const slotRoutes = [
  commandRoute({
    method: 'PUT',
    path: '/branches/{branchId}/slots/{slotId}',
    operationId: 'defineSlot',
    returns: views.slotView,
    access: staffOnly,
    group,
    summary: 'Create or change a pickup slot',
    params,
    body: z.object({ startsAt: isoTime, capacity: integer(0, 10_000) }),
    responses: { 200: 'Changed', 201: 'Created' },
    entity: slotEntity,
    rejects: ['branch-not-found', 'capacity-below-reserved'],
    target: (request, deps) => {
      const { branchId, slotId } = request.params;
      const startsAt = new Date(request.body.startsAt).toISOString();
      return {
        entityId: slotEntityId(branchId, slotId),
        command: {
          type: 'DefineSlot',
          data: { branchId, slotId, startsAt, capacity: request.body.capacity },
        } satisfies SlotCommand,
        creates: 'upsert',
        guard: async () =>
          (await deps.branches.get(branchId))
            ? undefined
            : reject('branch-not-found', `No branch ${branchId}`),
      };
    },
    view: ({ state, version }) => viewOf(state, version),
    status: (outcome) => (outcome.events.some((e) => e.type === 'SlotDefined') ? 201 : 200),
  }),
  queryRoute({
    path: '/branches/{branchId}/slots/{slotId}',
    operationId: 'getSlot',
    returns: views.slotView,
    access: anyCaller,
    group,
    summary: 'A pickup slot, consistent',
    params,
    responses: { 200: 'The slot' },
    store: (deps) => deps.stores.of(slotEntity),
    entityId: ({ params }) => slotEntityId(params.branchId, params.slotId),
    what: 'slot',
    view: ({ state, version }) => viewOf(state, version),
  }),
  commandRoute({
    method: 'POST',
    path: '/branches/{branchId}/slots/{slotId}/reservations',
    operationId: 'reserveSlot',
    returns: views.reservationView,
    etag: false,
    access: ownerOr({ in: 'resource', field: 'holder' }),
    group,
    summary: 'Reserve drinks in a slot',
    idempotent: true,
    params,
    body: z.object({ quantity: integer(1, 50) }),
    responses: { 201: 'Reserved' },
    entity: slotEntity,
    rejects: ['slot-not-found', 'slot-full'],
    status: 201,
    target: (request) => {
      const { branchId, slotId } = request.params;
      const { quantity } = request.body;
      return {
        entityId: slotEntityId(branchId, slotId),
        // A customer's reservation is theirs to release; staff's belong to no one in particular.
        command: {
          type: 'ReserveSlot',
          data: { quantity, ...(request.ownedBy === undefined ? {} : { holder: request.ownedBy }) },
        } satisfies SlotCommand,
      };
    },
    // The slot numbers reservations: ours is the last one it issued.
    view: ({ state }, { params: { branchId, slotId }, body: { quantity } }) => ({
      reservationId: numberedReservationId(branchId, slotId, state.issued),
      branchId,
      slotId,
      quantity,
      remaining: slotView(state).remaining,
    }),
  }),
  commandRoute({
    method: 'DELETE',
    path: '/reservations/{reservationId}',
    operationId: 'releaseReservation',
    returns: views.releaseView,
    etag: false,
    access: ownerOr({ in: 'resource', field: 'holder' }),
    group,
    summary: 'Release a reservation (releasing twice frees capacity once)',
    params: z.object({ reservationId: text(1, 200) }),
    responses: { 200: 'Released' },
    entity: slotEntity,
    rejects: ['reservation-not-found'],
    target: async (request, deps) => {
      const { reservationId } = request.params;
      const slot = parseReservationId(reservationId);
      if (!slot) return reject('reservation-not-found', `No reservation ${reservationId}`);
      await assertHolds(request, deps, slot, reservationId);
      return {
        entityId: slotEntityId(slot.branchId, slot.slotId),
        command: { type: 'ReleaseReservation', data: { reservationId } } satisfies SlotCommand,
      };
    },
    view: ({ state }, { params: { reservationId } }) => ({
      reservationId,
      released: true,
      remaining: slotView(state).remaining,
    }),
  }),
  route({
    method: 'POST',
    path: '/availability',
    operationId: 'findAvailability',
    returns: views.availabilityView,
    access: anyCaller,
    group,
    summary: 'Slots with room for a quantity, by start time (eventual)',
    body: z
      .object({
        branchIds: z.array(id).check(z.minLength(1), z.maxLength(50)),
        from: isoTime,
        to: isoTime,
        quantity: integer(1),
      })
      .check(
        z.refine((b) => Date.parse(b.to) >= Date.parse(b.from), {
          message: 'must not be before from',
          path: ['to'],
        }),
      ),
    responses: { 200: 'Slots' },
    handle: async ({ body }, deps) => ({
      status: 200,
      body: {
        slots: await availableSlots(
          deps.readModels,
          body.branchIds,
          new Date(body.from).toISOString(),
          new Date(body.to).toISOString(),
          body.quantity,
        ),
      },
    }),
  }),
];

/**
 * A customer may release only their own reservation. Numbers are never reused, so a live
 * reservation's holder cannot change between this check and the command. A released one is not
 * kept: releasing it again changes nothing, so it is not refused.
 */
async function assertHolds(
  request: { readonly ownedBy: string | undefined },
  deps: AppDeps,
  slot: { readonly branchId: string; readonly slotId: string },
  reservationId: string,
): Promise<void> {
  if (request.ownedBy === undefined) return;
  const id = slotEntityId(slot.branchId, slot.slotId);
  const statusIn = (found: { readonly state: SlotState } | undefined) =>
    found ? reservationStatus(found.state, reservationId).status : 'unknown';
  let found = await deps.stores.of(slotEntity).get(id);
  // An eventually consistent read may miss a reservation just made: only a strong one says 404.
  if (statusIn(found) === 'unknown')
    found = await deps.stores.of(slotEntity).get(id, { consistent: true });
  if (!found || statusIn(found) === 'unknown') throw notFound('reservation', reservationId);
  const known = reservationStatus(found.state, reservationId);
  if (known.status === 'live') assertOwner(request, known.holder);
}

/** The makers of what this group's routes use (its function is given these alone). */
export const deps: DepMakers = { stores, branches, readModels };
