/** Slot availability per branch, for `POST /availability`: one document per slot. */
import { defineProjection, type ReadModelReader } from '@coffee-es/core';
import { parseSlotStreamId, slotEntity } from '../domain/slots/index.ts';

export interface SlotAvailability extends Record<string, unknown> {
  readonly branchId: string;
  readonly slotId: string;
  readonly startsAt: string;
  readonly capacity: number;
  readonly reserved: number;
  readonly remaining: number;
}

/** Partition: the branch; sort: the slot id. */
export const availability = defineProjection(slotEntity).document<SlotAvailability>({
  name: 'availability',
  keyPrefix: 'Slots#',
  keyOf: (event) => {
    const slot = parseSlotStreamId(event.streamId);
    return slot && { partition: slot.branchId, sort: slot.slotId };
  },
  evolve: (doc, event) => {
    if (event.type === 'SlotDefined') {
      const { branchId, slotId, startsAt, capacity } = event.data;
      return { branchId, slotId, startsAt, capacity, reserved: 0, remaining: capacity };
    }
    if (!doc) throw new Error(`${event.streamId}@${event.position}: slot event before SlotDefined`);
    const next = (reserved: number, capacity = doc.capacity) => ({
      ...doc,
      capacity,
      reserved,
      remaining: Math.max(0, capacity - reserved),
    });
    switch (event.type) {
      case 'SlotChanged':
        return { ...next(doc.reserved, event.data.capacity), startsAt: event.data.startsAt };
      case 'SlotReserved':
        return next(doc.reserved + event.data.quantity);
      case 'ReservationReleased':
        return next(doc.reserved - event.data.quantity);
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
});

/** `POST /availability`: slots of the branches with `quantity` left, `from ≤ startsAt < to`, by time. */
export async function availableSlots(
  reader: ReadModelReader,
  branchIds: readonly string[],
  from: string,
  to: string,
  quantity: number,
) {
  const perBranch = await Promise.all(
    branchIds.map((branchId) => availability.query(reader, branchId)),
  );
  return perBranch
    .flat()
    .filter((s) => s.startsAt >= from && s.startsAt < to && s.remaining >= quantity)
    .map(({ branchId, slotId, startsAt, capacity, remaining }) => ({
      branchId,
      slotId,
      startsAt,
      capacity,
      remaining,
    }))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}
