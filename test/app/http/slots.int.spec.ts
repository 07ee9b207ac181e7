import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';

let app: App;
beforeAll(async () => {
  app = await startApp('slots');
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
});
afterAll(() => app?.stop());

const at = '2026-12-01T08:00:00.000Z';

describe('pickup slots', () => {
  it('defines (201), changes (200), reads, and refuses capacity below what is reserved', async () => {
    const created = await app.call('PUT', '/branches/b1/slots/s1', { startsAt: at, capacity: 5 });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      branchId: 'b1',
      slotId: 's1',
      startsAt: at,
      capacity: 5,
      reserved: 0,
      remaining: 5,
      version: 1,
    });
    const reserved = await app.call('POST', '/branches/b1/slots/s1/reservations', { quantity: 3 });
    expect(reserved.status).toBe(201);
    expect(reserved.body).toMatchObject({
      branchId: 'b1',
      slotId: 's1',
      quantity: 3,
      remaining: 2,
    });
    const lowered = await app.call('PUT', '/branches/b1/slots/s1', { startsAt: at, capacity: 2 });
    expect(lowered.status).toBe(409);
    expect(lowered.body.code).toBe('capacity-below-reserved');
    const raised = await app.call('PUT', '/branches/b1/slots/s1', { startsAt: at, capacity: 8 });
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({ capacity: 8, reserved: 3, remaining: 5 });
    const read = await app.call('GET', '/branches/b1/slots/s1');
    expect(read.body).toMatchObject({ capacity: 8, reserved: 3, remaining: 5, version: 3 });
    expect((await app.call('GET', '/branches/b1/slots/none')).status).toBe(404);
    const noBranch = await app.call('PUT', '/branches/zz/slots/s1', { startsAt: at, capacity: 1 });
    expect(noBranch.status).toBe(404);
    const badTime = await app.call('PUT', '/branches/b1/slots/s2', {
      startsAt: 'soon',
      capacity: -1,
    });
    expect(badTime.status).toBe(400);
    expect(badTime.body.errors).toHaveLength(2);
  });

  it('50 concurrent single-drink reservations on capacity 10: exactly 10 succeed', async () => {
    await app.call('PUT', '/branches/b1/slots/rush', { startsAt: at, capacity: 10 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        app.call('POST', '/branches/b1/slots/rush/reservations', { quantity: 1 }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body.code).toBe('slot-full');
    }
    const slot = await app.call('GET', '/branches/b1/slots/rush');
    expect(slot.body).toMatchObject({ reserved: 10, remaining: 0 });
  }, 120_000);

  it('releases at once after reserving; releasing twice frees capacity once', async () => {
    await app.call('PUT', '/branches/b1/slots/s3', { startsAt: at, capacity: 4 });
    const reserved = await app.call('POST', '/branches/b1/slots/s3/reservations', { quantity: 4 });
    const id = reserved.body.reservationId;
    const released = await app.call('DELETE', `/reservations/${id}`);
    expect(released.status).toBe(200);
    expect(released.body).toEqual({ reservationId: id, released: true, remaining: 4 });
    const again = await app.call('DELETE', `/reservations/${id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ reservationId: id, released: true, remaining: 4 });
    const other = await app.call('POST', '/branches/b1/slots/s3/reservations', { quantity: 1 });
    expect(other.body.remaining).toBe(3);
    expect((await app.call('GET', '/branches/b1/slots/s3')).body.reserved).toBe(1);
    expect((await app.call('DELETE', '/reservations/unknown')).status).toBe(404);
    expect((await app.call('DELETE', '/reservations/b1.s3.01NOPE')).status).toBe(404);
    expect((await app.call('DELETE', '/reservations/b1.nothere.01NOPE')).status).toBe(404);
  });

  it('reservations on an unknown slot are 404; over capacity is 409 slot-full', async () => {
    const ghost = await app.call('POST', '/branches/b1/slots/ghost/reservations', { quantity: 1 });
    expect(ghost.status).toBe(404);
    expect(ghost.body.code).toBe('not-found');
    await app.call('PUT', '/branches/b1/slots/small', { startsAt: at, capacity: 2 });
    const big = await app.call('POST', '/branches/b1/slots/small/reservations', { quantity: 3 });
    expect(big.status).toBe(409);
    expect(big.body.code).toBe('slot-full');
    expect(await app.commits('Slot#b1.small')).toBe(1);
  });

  it('availability validates its window (to before from is 400)', async () => {
    const bad = await app.call('POST', '/availability', {
      branchIds: ['b1'],
      from: '2026-12-02T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
      quantity: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/to');
    const ok = await app.call('POST', '/availability', {
      branchIds: ['b1'],
      from: '2026-12-01T00:00:00Z',
      to: '2026-12-02T00:00:00Z',
      quantity: 1,
    });
    expect(ok.status).toBe(200);
    expect(Array.isArray(ok.body.slots)).toBe(true);
  });
});
