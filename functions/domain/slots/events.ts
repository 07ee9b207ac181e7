import type { DomainCommand, DomainEvent } from '../../../lib/core/entity.ts';

export interface Reservation {
  readonly quantity: number;
  readonly released: boolean;
}

export interface SlotState {
  readonly defined: boolean;
  readonly branchId: string;
  readonly slotId: string;
  readonly startsAt: string;
  readonly capacity: number;
  readonly reserved: number;
  readonly reservations: Readonly<Record<string, Reservation>>;
}

export const initialSlotState = (): SlotState => ({
  defined: false,
  branchId: '',
  slotId: '',
  startsAt: '',
  capacity: 0,
  reserved: 0,
  reservations: {},
});

export type SlotDefined = DomainEvent<
  'SlotDefined',
  { branchId: string; slotId: string; startsAt: string; capacity: number }
>;
export type SlotChanged = DomainEvent<'SlotChanged', { startsAt: string; capacity: number }>;
export type SlotReserved = DomainEvent<'SlotReserved', { reservationId: string; quantity: number }>;
export type ReservationReleased = DomainEvent<
  'ReservationReleased',
  { reservationId: string; quantity: number }
>;

export type SlotEvent = SlotDefined | SlotChanged | SlotReserved | ReservationReleased;

export type DefineSlot = DomainCommand<
  'DefineSlot',
  { branchId: string; slotId: string; startsAt: string; capacity: number }
>;
export type ReserveSlot = DomainCommand<'ReserveSlot', { reservationId: string; quantity: number }>;
export type ReleaseReservation = DomainCommand<'ReleaseReservation', { reservationId: string }>;

export type SlotCommand = DefineSlot | ReserveSlot | ReleaseReservation;

export function evolve(state: SlotState, event: SlotEvent): SlotState {
  switch (event.type) {
    case 'SlotDefined':
      return { ...state, defined: true, ...event.data };
    case 'SlotChanged':
      return { ...state, startsAt: event.data.startsAt, capacity: event.data.capacity };
    case 'SlotReserved': {
      const { reservationId, quantity } = event.data;
      return {
        ...state,
        reserved: state.reserved + quantity,
        reservations: { ...state.reservations, [reservationId]: { quantity, released: false } },
      };
    }
    case 'ReservationReleased': {
      const { reservationId, quantity } = event.data;
      return {
        ...state,
        reserved: state.reserved - quantity,
        reservations: { ...state.reservations, [reservationId]: { quantity, released: true } },
      };
    }
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}
