import { defineEntity } from '@coffee-es/core';
import { decide } from './decide.ts';
import {
  evolve,
  initialSlotState,
  type SlotCommand,
  type SlotEvent,
  type SlotState,
} from './events.ts';
import { type SlotRejection, slotRejections } from './rejections.ts';

export type {
  DefineSlot,
  ReleaseReservation,
  ReservationReleased,
  ReserveSlot,
  SlotChanged,
  SlotCommand,
  SlotDefined,
  SlotEvent,
  SlotReserved,
  SlotState,
} from './events.ts';
export { initialSlotState } from './events.ts';
export { type SlotRejection, slotRejections } from './rejections.ts';
export {
  type LegacyReservation,
  type LiveReservation,
  numberedReservationId,
  parseReservationId,
  reservationIdOf,
  reservationNumber,
  reservationStatus,
} from './reservations.ts';

export const slotEntity = defineEntity<SlotState, SlotCommand, SlotEvent, SlotRejection>({
  type: 'Slot',
  rejections: slotRejections,
  initialState: initialSlotState,
  decide,
  evolve,
  events: {
    SlotDefined: { version: 1 },
    SlotChanged: { version: 1 },
    SlotReserved: { version: 1 },
    ReservationReleased: { version: 1 },
  },
  // v2: only live reservations (v1 kept every reservation ever made); v1 snapshots are skipped.
  snapshot: { every: 100, schemaVersion: 2 },
});

const idPart = /^[A-Za-z0-9_-]{1,64}$/;

export const slotEntityId = (branchId: string, slotId: string): string => `${branchId}.${slotId}`;

/** The slot a slot stream id (`Slot#<branchId>.<slotId>`) belongs to. */
export function parseSlotStreamId(
  streamId: string,
): { branchId: string; slotId: string } | undefined {
  const prefix = `${slotEntity.type}#`;
  if (!streamId.startsWith(prefix)) return undefined;
  const parts = streamId.slice(prefix.length).split('.');
  if (parts.length !== 2 || !parts.every((part) => idPart.test(part))) return undefined;
  const [branchId, slotId] = parts as [string, string];
  return { branchId, slotId };
}

export interface SlotView {
  readonly branchId: string;
  readonly slotId: string;
  readonly startsAt: string;
  readonly capacity: number;
  readonly reserved: number;
  readonly remaining: number;
}

export function slotView(state: SlotState): SlotView {
  return {
    branchId: state.branchId,
    slotId: state.slotId,
    startsAt: state.startsAt,
    capacity: state.capacity,
    reserved: state.reserved,
    remaining: Math.max(0, state.capacity - state.reserved),
  };
}
