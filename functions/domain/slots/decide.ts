import type { Decision } from '../../../lib/core/entity.ts';
import { reject } from '../../../lib/core/rejection.ts';
import type {
  DefineSlot,
  ReleaseReservation,
  ReserveSlot,
  SlotCommand,
  SlotEvent,
  SlotState,
} from './events.ts';

type SlotDecision = Decision<SlotEvent>;

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
  if (state.reservations[data.reservationId]) return [];
  const remaining = state.capacity - state.reserved;
  if (data.quantity > remaining) {
    return reject('slot-full', 'The slot has not enough capacity left', {
      remaining,
      requested: data.quantity,
    });
  }
  return {
    type: 'SlotReserved',
    data: { reservationId: data.reservationId, quantity: data.quantity },
  };
}

function release({ data }: ReleaseReservation, state: SlotState): SlotDecision {
  const reservation = state.reservations[data.reservationId];
  if (!reservation) {
    return reject('reservation-not-found', 'No such reservation', {
      reservationId: data.reservationId,
    });
  }
  if (reservation.released) return [];
  return {
    type: 'ReservationReleased',
    data: { reservationId: data.reservationId, quantity: reservation.quantity },
  };
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
