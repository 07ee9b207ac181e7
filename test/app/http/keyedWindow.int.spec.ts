/**
 * The 24-hour idempotency window through HTTP, with time passing on a simulated clock (only
 * `Date` is faked, for the whole process: the handlers run in it): a keyed reservation retried
 * after 500 newer keyed reservations on the same slot and 23 h replays its original answer, body
 * and ETag, and reserves nothing; after 25 h the key is forgotten and, as the README says, the
 * repeat is a new request. Against DynamoDB Local, through the local runtime's HTTP server.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';

const hour = 3600 * 1000;
const t0 = Date.parse('2030-06-01T08:00:00Z');
const slot = '/branches/b1/slots/s-window';

let app: App;
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(t0);
  app = await startApp('keyedWindow', { workers: false });
  expect((await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' })).status).toBe(
    201,
  );
  const put = await app.call('PUT', slot, { startsAt: '2030-06-03T09:00:00Z', capacity: 10_000 });
  expect(put.status).toBe(201);
});
afterAll(async () => {
  await app?.stop();
  vi.useRealTimers();
});

const reserve = (key: string, quantity: number) =>
  app.call('POST', `${slot}/reservations`, { quantity }, { 'Idempotency-Key': key });

describe('the idempotency window, through HTTP, on a simulated clock', () => {
  it('replays a keyed reservation after 500 newer keyed ones and 23 h; forgets it after 25 h', async () => {
    const original = await reserve('lost-answer', 5);
    expect(original.status).toBe(201);
    for (let i = 0; i < 500; i++) {
      vi.setSystemTime(t0 + (i + 1) * 1000);
      expect((await reserve(`newer-${i}`, 1)).status).toBe(201);
    }
    const reserved = (await app.call('GET', slot)).body.reserved;
    expect(reserved).toBe(505);

    vi.setSystemTime(t0 + 23 * hour);
    const replay = await reserve('lost-answer', 5);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(original.body);
    expect(replay.headers.get('etag')).toBe(original.headers.get('etag'));
    expect((await app.call('GET', slot)).body.reserved).toBe(505);

    // Past the window the key is forgotten: the repeat is decided again, as a new request.
    vi.setSystemTime(t0 + 25 * hour);
    const late = await reserve('lost-answer', 5);
    expect(late.status).toBe(201);
    expect(late.body.reservationId).not.toBe(original.body.reservationId);
    expect((await app.call('GET', slot)).body.reserved).toBe(510);
  });
});
