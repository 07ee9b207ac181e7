import type { Decision } from '@coffee-es/core';
import { reject } from '@coffee-es/core';
import type {
  DefineSlot,
  ReleaseReservation,
  ReserveSlot,
  SlotCommand,
  SlotEvent,
  SlotState,
} from './events.ts';
import type { SlotRejection } from './rejections.ts';
import { findLive, numberedReservationId, reservationNumber, uniquePart } from './reservations.ts';

type SlotDecision = Decision<SlotEvent, SlotRejection>;

function define({ data }: DefineSlot, state: SlotState): SlotDecision {
  if (data.capacity < state.reserved) {
    return reject('capacity-below-reserved', 'The capacity is below what is reserved', {
      capacity: data.capacity,
      reserved: state.reserved,
    });
  }
  if (!state.defined) return { type: 'SlotDefined', data };
  const { startsAt, capacity } = data;
  if (startsAt === state.startsAt && capacity === state.capacity) return [];
  return { type: 'SlotChanged', data: { startsAt, capacity } };
}

function reserve({ data }: ReserveSlot, state: SlotState): SlotDecision {
  if (!state.defined) return reject('slot-not-found', 'The slot does not exist');
  const remaining = state.capacity - state.reserved;
  if (data.quantity > remaining) {
    return reject('slot-full', 'The slot has not enough capacity left', {
      remaining,
      requested: data.quantity,
    });
  }
  const reservationId = numberedReservationId(state.branchId, state.slotId, state.issued + 1);
  const { quantity, holder } = data;
  return {
    type: 'SlotReserved',
    data: { reservationId, quantity, ...(holder === undefined ? {} : { holder }) },
  };
}

/** Releasing twice frees capacity once: a number issued but no longer live was released. */
function release({ data: { reservationId } }: ReleaseReservation, state: SlotState): SlotDecision {
  const n = reservationNumber(reservationId);
  const live = n === undefined ? undefined : findLive(state.live, n);
  const legacy =
    n === undefined ? state.legacy.find((r) => r.id === uniquePart(reservationId)) : undefined;
  const quantity = live?.[1] ?? (legacy?.released === false ? legacy.quantity : undefined);
  if (quantity !== undefined) {
    return { type: 'ReservationReleased', data: { reservationId, quantity } };
  }
  const releasedBefore = (n !== undefined && n <= state.issued) || legacy?.released === true;
  if (releasedBefore) return [];
  return reject('reservation-not-found', 'No such reservation', { reservationId });
}

export function decide(command: SlotCommand, state: SlotState): SlotDecision {
  switch (command.type) {
    case 'DefineSlot':
      return define(command, state);
    case 'ReserveSlot':
      return reserve(command, state);
    case 'ReleaseReservation':
      return release(command, state);
    default: {
      const unknownCommand: never = command;
      return unknownCommand;
    }
  }
}
