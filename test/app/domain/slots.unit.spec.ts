import { specification } from '@coffee-es/core/testing';
import { describe, expect, it } from 'vitest';
import {
  numberedReservationId,
  parseReservationId,
  reservationIdOf,
  reservationNumber,
  type SlotEvent,
  slotEntity,
  slotEntityId,
  slotView,
} from '../../../functions/domain/index.ts';

const spec = specification(slotEntity);
const startsAt = '2026-01-01T09:00:00.000Z';
const slot = { branchId: 'b1', slotId: 's1', startsAt, capacity: 10 };
const defined: SlotEvent = { type: 'SlotDefined', data: slot };
const reserved = (reservationId: string, quantity: number): SlotEvent => ({
  type: 'SlotReserved',
  data: { reservationId, quantity },
});
const released = (reservationId: string, quantity: number): SlotEvent => ({
  type: 'ReservationReleased',
  data: { reservationId, quantity },
});
const r = (n: number) => numberedReservationId('b1', 's1', n);

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
      .given(defined, reserved(r(1), 6))
      .when({ type: 'DefineSlot', data: { ...slot, capacity: 5 } })
      .thenRejects('capacity-below-reserved', { capacity: 5, reserved: 6 });
    spec
      .given(defined, reserved(r(1), 6))
      .when({ type: 'DefineSlot', data: { ...slot, capacity: 6 } })
      .thenEmits({ type: 'SlotChanged', data: { startsAt, capacity: 6 } });
  });

  it('reserves capacity under the next number of the slot', () => {
    spec
      .given(defined)
      .when({ type: 'ReserveSlot', data: { quantity: 4 } })
      .thenEmits(reserved(r(1), 4))
      .thenState((state) => {
        expect(slotView(state).remaining).toBe(6);
        expect(state.issued).toBe(1);
      });
    spec
      .given(defined, reserved(r(1), 4), released(r(1), 4))
      .when({ type: 'ReserveSlot', data: { quantity: 1 } })
      .thenEmits(reserved(r(2), 1));
  });

  it('refuses reservations for an unknown slot', () => {
    spec
      .given()
      .when({ type: 'ReserveSlot', data: { quantity: 1 } })
      .thenRejects('slot-not-found');
  });

  it('never hands out more than the capacity', () => {
    spec
      .given(defined, reserved(r(1), 8))
      .when({ type: 'ReserveSlot', data: { quantity: 3 } })
      .thenRejects('slot-full', { remaining: 2, requested: 3 });
    spec
      .given(defined, reserved(r(1), 8))
      .when({ type: 'ReserveSlot', data: { quantity: 2 } })
      .thenEmits(reserved(r(2), 2))
      .thenState((state) => expect(slotView(state).remaining).toBe(0));
  });

  it('releases a reservation once; a second release answers without an event', () => {
    spec
      .given(defined, reserved(r(1), 4))
      .when({ type: 'ReleaseReservation', data: { reservationId: r(1) } })
      .thenEmits(released(r(1), 4))
      .thenState((state) => expect(slotView(state).remaining).toBe(10));
    spec
      .given(defined, reserved(r(1), 4), released(r(1), 4))
      .when({ type: 'ReleaseReservation', data: { reservationId: r(1) } })
      .thenEmits();
  });

  it('keeps only live reservations: the state does not grow with churn', () => {
    const churn: SlotEvent[] = [defined];
    for (let n = 1; n <= 1000; n++) churn.push(reserved(r(n), 1), released(r(n), 1));
    spec
      .given(...churn, reserved(r(1001), 2))
      .when({ type: 'ReleaseReservation', data: { reservationId: r(500) } })
      .thenEmits()
      .thenState((state) => {
        expect(state.live).toEqual([[1001, 2]]);
        expect(state.issued).toBe(1001);
        expect(JSON.stringify(state).length).toBeLessThan(200);
      });
  });

  it('refuses to release an unknown reservation: never issued, malformed, or not of this slot', () => {
    for (const reservationId of [r(2), 'b1.s1.r0', 'b1.s1.r01', 'b1.s1.01JNOPE', 'nope']) {
      spec
        .given(defined, reserved(r(1), 1))
        .when({ type: 'ReleaseReservation', data: { reservationId } })
        .thenRejects('reservation-not-found');
    }
    spec
      .given()
      .when({ type: 'ReleaseReservation', data: { reservationId: 'nope' } })
      .thenRejects('reservation-not-found');
  });

  it('still loads v1 events: reservations under ULID ids release once, and numbering starts at 1', () => {
    const legacy = 'b1.s1.01JABCDEFGHJKMNPQRSTVWXYZ';
    spec
      .given(defined, reserved(legacy, 3))
      .when({ type: 'ReleaseReservation', data: { reservationId: legacy } })
      .thenEmits(released(legacy, 3))
      .thenState((state) => expect(state.reserved).toBe(0));
    spec
      .given(defined, reserved(legacy, 3), released(legacy, 3))
      .when({ type: 'ReleaseReservation', data: { reservationId: legacy } })
      .thenEmits();
    spec
      .given(defined, reserved(legacy, 3))
      .when({ type: 'ReserveSlot', data: { quantity: 7 } })
      .thenEmits(reserved(r(1), 7))
      .thenState((state) => expect(slotView(state).remaining).toBe(0));
  });

  it('builds and parses ids', () => {
    expect(slotEntityId('b1', 's1')).toBe('b1.s1');
    const id = reservationIdOf('b-1', 's_1', '01JABC');
    expect(id).toBe('b-1.s_1.01JABC');
    expect(parseReservationId(id)).toEqual({ branchId: 'b-1', slotId: 's_1', unique: '01JABC' });
    expect(numberedReservationId('b-1', 's_1', 42)).toBe('b-1.s_1.r42');
    expect(reservationNumber('b-1.s_1.r42')).toBe(42);
    expect(reservationNumber('b-1.s_1.01JABC')).toBeUndefined();
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

  it('snapshots every 100 events, in state schema v2 (v1 snapshots are skipped)', () => {
    expect(slotEntity.snapshotEvery).toBe(100);
    expect(slotEntity.stateSchemaVersion).toBe(2);
  });
});
