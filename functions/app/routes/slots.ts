/** Pickup slots: define, read, reserve, release; and the availability search (eventual). */

import { assertOwner, HttpProblem } from '@coffee-es/aws-lambda';
import * as z from '@coffee-es/aws-lambda/schema';
import {
  numberedReservationId,
  parseReservationId,
  reservationStatus,
  type SlotState,
  slotEntityId,
  slotView,
} from '../../domain/index.ts';
import type { AppDeps } from '../deps.ts';
import { anyCaller, ownerOr, staffOnly } from './access.ts';
import { id, integer, isoTime, notFound, route, runCommand, text } from './shared.ts';
import * as views from './views.ts';

const group = 'slots';
const params = z.object({ branchId: id, slotId: id });
const viewOf = (state: SlotState, version: number) => ({ ...slotView(state), version });

export const slotRoutes = [
  route({
    method: 'PUT',
    path: '/branches/{branchId}/slots/{slotId}',
    operationId: 'defineSlot',
    returns: views.slotView,
    etag: true,
    access: staffOnly,
    group,
    summary: 'Create or change a pickup slot',
    params,
    body: z.object({ startsAt: isoTime, capacity: integer(0, 10_000) }),
    responses: {
      200: 'Changed',
      201: 'Created',
      404: 'branch-not-found',
      409: 'capacity-below-reserved',
    },
    handle: async (request, deps) => {
      const { branchId, slotId } = request.params;
      if (!(await deps.branches.get(branchId))) {
        throw new HttpProblem(404, 'branch-not-found', `No branch ${branchId}`);
      }
      const startsAt = new Date(request.body.startsAt).toISOString();
      const answer = await runCommand(
        deps.slots,
        slotEntityId(branchId, slotId),
        {
          type: 'DefineSlot',
          data: { branchId, slotId, startsAt, capacity: request.body.capacity },
        },
        request,
        viewOf,
        { what: 'slot', upsert: true },
      );
      const created = answer.events.some((e) => e.type === 'SlotDefined');
      return { status: created ? 201 : 200, body: answer.view, etag: answer.version };
    },
  }),
  route({
    method: 'GET',
    path: '/branches/{branchId}/slots/{slotId}',
    operationId: 'getSlot',
    returns: views.slotView,
    etag: true,
    access: anyCaller,
    group,
    summary: 'A pickup slot, consistent',
    params,
    responses: { 200: 'The slot' },
    handle: async ({ params: { branchId, slotId } }, deps) => {
      const found = await deps.slots.get(slotEntityId(branchId, slotId), { consistent: true });
      if (!found) throw notFound('slot', `${branchId}/${slotId}`);
      return { status: 200, body: viewOf(found.state, found.version), etag: found.version };
    },
  }),
  route({
    method: 'POST',
    path: '/branches/{branchId}/slots/{slotId}/reservations',
    operationId: 'reserveSlot',
    returns: views.reservationView,
    access: ownerOr({ in: 'resource', field: 'holder' }),
    group,
    summary: 'Reserve drinks in a slot',
    idempotent: true,
    params,
    body: z.object({ quantity: integer(1, 50) }),
    responses: { 201: 'Reserved', 409: 'slot-full' },
    handle: async (request, deps) => {
      const { branchId, slotId } = request.params;
      const { quantity } = request.body;
      const answer = await runCommand(
        deps.slots,
        slotEntityId(branchId, slotId),
        // A customer's reservation is theirs to release; staff's belong to no one in particular.
        {
          type: 'ReserveSlot',
          data: { quantity, ...(request.ownedBy === undefined ? {} : { holder: request.ownedBy }) },
        },
        request,
        // The slot numbers reservations: ours is the last one it issued.
        (state) => ({
          reservationId: numberedReservationId(branchId, slotId, state.issued),
          branchId,
          slotId,
          quantity,
          remaining: slotView(state).remaining,
        }),
        { what: 'slot' },
      );
      return { status: 201, body: answer.view };
    },
  }),
  route({
    method: 'DELETE',
    path: '/reservations/{reservationId}',
    operationId: 'releaseReservation',
    returns: views.releaseView,
    access: ownerOr({ in: 'resource', field: 'holder' }),
    group,
    summary: 'Release a reservation (releasing twice frees capacity once)',
    params: z.object({ reservationId: text(1, 200) }),
    responses: { 200: 'Released' },
    handle: async (request, deps) => {
      const { reservationId } = request.params;
      const slot = parseReservationId(reservationId);
      if (!slot) throw notFound('reservation', reservationId);
      await assertHolds(request, deps, slot, reservationId);
      try {
        const answer = await runCommand(
          deps.slots,
          slotEntityId(slot.branchId, slot.slotId),
          { type: 'ReleaseReservation', data: { reservationId } },
          request,
          (state) => ({ reservationId, released: true, remaining: slotView(state).remaining }),
          { what: 'slot' },
        );
        return { status: 200, body: answer.view };
      } catch (error) {
        if (error instanceof HttpProblem || !isUnknownReservation(error)) throw error;
        throw notFound('reservation', reservationId);
      }
    },
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
        slots: await deps.readModels.availability(
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
  let found = await deps.slots.get(id);
  // An eventually consistent read may miss a reservation just made: only a strong one says 404.
  if (statusIn(found) === 'unknown') found = await deps.slots.get(id, { consistent: true });
  if (!found || statusIn(found) === 'unknown') throw notFound('reservation', reservationId);
  const known = reservationStatus(found.state, reservationId);
  if (known.status === 'live') assertOwner(request, known.holder);
}

function isUnknownReservation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    error.code === 'reservation-not-found'
  );
}
