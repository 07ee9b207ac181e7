import type { DomainCommand, DomainEvent } from '@coffee-es/core';
import {
  type LegacyReservation,
  type LiveReservation,
  reservationNumber,
  uniquePart,
  withLive,
  withoutLive,
} from './reservations.ts';

/**
 * Bounded whatever the history: only live reservations are kept (at most `capacity` of them),
 * plus the legacy ones made before numbering, a set that no longer grows.
 */
export interface SlotState {
  readonly defined: boolean;
  readonly branchId: string;
  readonly slotId: string;
  readonly startsAt: string;
  readonly capacity: number;
  readonly reserved: number;
  /** How many numbered reservations were ever made: `r1` … `r<issued>` exist or were released. */
  readonly issued: number;
  /** Live numbered reservations, by number. */
  readonly live: readonly LiveReservation[];
  readonly legacy: readonly LegacyReservation[];
}

export const initialSlotState = (): SlotState => ({
  defined: false,
  branchId: '',
  slotId: '',
  startsAt: '',
  capacity: 0,
  reserved: 0,
  issued: 0,
  live: [],
  legacy: [],
});

export type SlotDefined = DomainEvent<
  'SlotDefined',
  { branchId: string; slotId: string; startsAt: string; capacity: number }
>;
export type SlotChanged = DomainEvent<'SlotChanged', { startsAt: string; capacity: number }>;
export type SlotReserved = DomainEvent<
  'SlotReserved',
  { reservationId: string; quantity: number; holder?: string }
>;
export type ReservationReleased = DomainEvent<
  'ReservationReleased',
  { reservationId: string; quantity: number }
>;

export type SlotEvent = SlotDefined | SlotChanged | SlotReserved | ReservationReleased;

export type DefineSlot = DomainCommand<
  'DefineSlot',
  { branchId: string; slotId: string; startsAt: string; capacity: number }
>;
/** The slot numbers the reservation: its id is in the `SlotReserved` event (and the state). */
export type ReserveSlot = DomainCommand<'ReserveSlot', { quantity: number; holder?: string }>;
export type ReleaseReservation = DomainCommand<'ReleaseReservation', { reservationId: string }>;

export type SlotCommand = DefineSlot | ReserveSlot | ReleaseReservation;

export function evolve(state: SlotState, event: SlotEvent): SlotState {
  switch (event.type) {
    case 'SlotDefined':
      return { ...state, defined: true, ...event.data };
    case 'SlotChanged':
      return { ...state, startsAt: event.data.startsAt, capacity: event.data.capacity };
    case 'SlotReserved':
      return reserved(state, event.data.reservationId, event.data.quantity, event.data.holder);
    case 'ReservationReleased':
      return released(state, event.data.reservationId, event.data.quantity);
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}

function reserved(
  state: SlotState,
  reservationId: string,
  quantity: number,
  holder: string | undefined,
): SlotState {
  const n = reservationNumber(reservationId);
  const reserved = state.reserved + quantity;
  if (n === undefined) {
    const legacy = { id: uniquePart(reservationId), quantity, released: false };
    return { ...state, reserved, legacy: [...state.legacy, legacy] };
  }
  return {
    ...state,
    reserved,
    issued: Math.max(state.issued, n),
    live: withLive(state.live, holder === undefined ? [n, quantity] : [n, quantity, holder]),
  };
}

function released(state: SlotState, reservationId: string, quantity: number): SlotState {
  const n = reservationNumber(reservationId);
  const reserved = state.reserved - quantity;
  if (n !== undefined) return { ...state, reserved, live: withoutLive(state.live, n) };
  const id = uniquePart(reservationId);
  const legacy = state.legacy.map((r) => (r.id === id ? { ...r, released: true } : r));
  return { ...state, reserved, legacy };
}
