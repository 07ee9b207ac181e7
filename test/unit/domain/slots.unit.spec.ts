import { describe, expect, it } from 'vitest';
import {
  parseReservationId,
  reservationIdOf,
  type SlotEvent,
  slotEntity,
  slotEntityId,
  slotView,
} from '../../../functions/domain/index.ts';
import { specification } from '../../../lib/testing/specification.ts';

const spec = specification(slotEntity);
const startsAt = '2026-01-01T09:00:00.000Z';
const slot = { branchId: 'b1', slotId: 's1', startsAt, capacity: 10 };
const defined: SlotEvent = { type: 'SlotDefined', data: slot };
const reserved = (reservationId: string, quantity: number): SlotEvent => ({
  type: 'SlotReserved',
  data: { reservationId, quantity },
});

describe('Slot', () => {
  it('defines a slot', () => {
    spec
      .given()
      .when({ type: 'DefineSlot', data: slot })
      .thenEmits(defined)
      .thenState((state) =>
        expect(slotView(state)).toEqual({ ...slot, reserved: 0, remaining: 10 }),
      );
  });

  it('changes a slot only when something changed', () => {
    spec.given(defined).when({ type: 'DefineSlot', data: slot }).thenEmits();
    spec
      .given(defined)
      .when({ type: 'DefineSlot', data: { ...slot, capacity: 12 } })
      .thenEmits({ type: 'SlotChanged', data: { startsAt, capacity: 12 } });
    spec
      .given(defined)
      .when({ type: 'DefineSlot', data: { ...slot, startsAt: '2026-01-01T10:00:00.000Z' } })
      .thenEmits({
        type: 'SlotChanged',
        data: { startsAt: '2026-01-01T10:00:00.000Z', capacity: 10 },
      });
  });

  it('refuses to lower the capacity below what is reserved', () => {
    spec
      .given(defined, reserved('r1', 6))
      .when({ type: 'DefineSlot', data: { ...slot, capacity: 5 } })
      .thenRejects('capacity-below-reserved', { capacity: 5, reserved: 6 });
    spec
      .given(defined, reserved('r1', 6))
      .when({ type: 'DefineSlot', data: { ...slot, capacity: 6 } })
      .thenEmits({ type: 'SlotChanged', data: { startsAt, capacity: 6 } });
  });

  it('reserves capacity', () => {
    spec
      .given(defined)
      .when({ type: 'ReserveSlot', data: { reservationId: 'r1', quantity: 4 } })
      .thenEmits(reserved('r1', 4))
      .thenState((state) => expect(slotView(state).remaining).toBe(6));
  });

  it('refuses reservations for an unknown slot', () => {
    spec
      .given()
      .when({ type: 'ReserveSlot', data: { reservationId: 'r1', quantity: 1 } })
      .thenRejects('slot-not-found');
  });

  it('never hands out more than the capacity', () => {
    spec
      .given(defined, reserved('r1', 8))
      .when({ type: 'ReserveSlot', data: { reservationId: 'r2', quantity: 3 } })
      .thenRejects('slot-full', { remaining: 2, requested: 3 });
    spec
      .given(defined, reserved('r1', 8))
      .when({ type: 'ReserveSlot', data: { reservationId: 'r2', quantity: 2 } })
      .thenEmits(reserved('r2', 2))
      .thenState((state) => expect(slotView(state).remaining).toBe(0));
  });

  it('reserves the same reservation id once', () => {
    spec
      .given(defined, reserved('r1', 4))
      .when({ type: 'ReserveSlot', data: { reservationId: 'r1', quantity: 4 } })
      .thenEmits();
  });

  it('releases a reservation once', () => {
    const released: SlotEvent = {
      type: 'ReservationReleased',
      data: { reservationId: 'r1', quantity: 4 },
    };
    spec
      .given(defined, reserved('r1', 4))
      .when({ type: 'ReleaseReservation', data: { reservationId: 'r1' } })
      .thenEmits(released)
      .thenState((state) => expect(slotView(state).remaining).toBe(10));
    spec
      .given(defined, reserved('r1', 4), released)
      .when({ type: 'ReleaseReservation', data: { reservationId: 'r1' } })
      .thenEmits();
  });

  it('refuses to release an unknown reservation', () => {
    spec
      .given(defined)
      .when({ type: 'ReleaseReservation', data: { reservationId: 'nope' } })
      .thenRejects('reservation-not-found');
    spec
      .given()
      .when({ type: 'ReleaseReservation', data: { reservationId: 'nope' } })
      .thenRejects('reservation-not-found');
  });

  it('builds and parses ids', () => {
    expect(slotEntityId('b1', 's1')).toBe('b1.s1');
    const id = reservationIdOf('b-1', 's_1', '01JABC');
    expect(id).toBe('b-1.s_1.01JABC');
    expect(parseReservationId(id)).toEqual({ branchId: 'b-1', slotId: 's_1' });
    for (const bad of [
      '',
      'a.b',
      'a.b.c.d',
      'a..c',
      'a.b.',
      'a b.c.d',
      'a.b/c.d',
      `${'x'.repeat(65)}.b.c`,
    ]) {
      expect(parseReservationId(bad)).toBeUndefined();
    }
  });

  it('snapshots every 100 events', () => {
    expect(slotEntity.snapshotEvery).toBe(100);
  });
});
