/** Slot availability per branch, for `POST /availability`: one document per slot. */
import { documentProjection, type ProjectedEvent } from '@coffee-es/core';
import { parseSlotStreamId, type SlotEvent } from '../domain/index.ts';
import { readModelKeys, readModelPrefixes } from './keys.ts';

export interface SlotAvailability extends Record<string, unknown> {
  readonly branchId: string;
  readonly slotId: string;
  readonly startsAt: string;
  readonly capacity: number;
  readonly reserved: number;
  readonly remaining: number;
}

export const availability = documentProjection<SlotAvailability>({
  name: 'availability',
  entityTypes: ['Slot'],
  keyPrefix: readModelPrefixes.availability,
  keyOf: (event: ProjectedEvent) => {
    const slot = parseSlotStreamId(event.streamId);
    return slot && { ...readModelKeys.branchSlots(slot.branchId), sk: slot.slotId };
  },
  evolve: (doc, event) => {
    const slot = event as unknown as SlotEvent;
    if (slot.type === 'SlotDefined') {
      const { branchId, slotId, startsAt, capacity } = slot.data;
      return { branchId, slotId, startsAt, capacity, reserved: 0, remaining: capacity };
    }
    if (!doc) throw new Error(`${event.streamId}@${event.position}: slot event before SlotDefined`);
    const next = (reserved: number, capacity = doc.capacity) => ({
      ...doc,
      capacity,
      reserved,
      remaining: Math.max(0, capacity - reserved),
    });
    switch (slot.type) {
      case 'SlotChanged':
        return { ...next(doc.reserved, slot.data.capacity), startsAt: slot.data.startsAt };
      case 'SlotReserved':
        return next(doc.reserved + slot.data.quantity);
      case 'ReservationReleased':
        return next(doc.reserved - slot.data.quantity);
      default: {
        const unknown: never = slot;
        return unknown;
      }
    }
  },
});
