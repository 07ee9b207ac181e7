/**
 * Growth to the limits: a slot of capacity 10,000 with 64-character branch and slot ids takes
 * 10,000 reservations, releases all of them, then takes 10,000 again, every command answering as
 * the contract says. The commands run through the entity store on the app's own journal (in
 * batches of concurrent commands, for speed); a sample runs through HTTP on the same slot, whose
 * cold load must come from a snapshot of the full slot (well under the 400 KB item limit).
 */

import { CommandRejectedError, EntityStore } from '@coffee-es/core';
import { DynamoJournal, type SnapshotDrop } from '@coffee-es/dynamodb';
import { clientFor } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  numberedReservationId,
  type SlotCommand,
  type SlotEvent,
  type SlotState,
  slotEntity,
  slotEntityId,
  slotView,
} from '../../../functions/domain/index.ts';
import { type App, startApp } from '../../support/appServer.ts';

const capacity = Number(process.env.SLOT_GROWTH_CAPACITY ?? 10_000);
const batch = Number(process.env.SLOT_GROWTH_BATCH ?? 1);
const branchId = `b${'x'.repeat(63)}`;
const slotId = `s${'y'.repeat(63)}`;
const entityId = slotEntityId(branchId, slotId);

let app: App;
let slots: EntityStore<SlotState, SlotCommand, SlotEvent>;
const drops: SnapshotDrop[] = [];
beforeAll(async () => {
  app = await startApp('slotGrowth', { workers: false });
  const env = app.runtime.environment;
  const client = clientFor(app.runtime.dynamoEndpoint, env.AWS_ACCESS_KEY_ID, env.AWS_REGION);
  const journal = new DynamoJournal({
    client,
    tableName: app.runtime.tableNames.journal ?? '',
    onSnapshotDropped: (drop) => drops.push(drop),
  });
  slots = new EntityStore(slotEntity, {
    journal,
    retry: { maxAttempts: 1_000, timeBudgetMs: 60_000, baseDelayMs: 1, maxDelayMs: 20 },
  });
  expect(
    (await app.call('PUT', `/branches/${branchId}`, { name: 'Long', city: 'Ids' })).status,
  ).toBe(201);
  const defined = await app.call('PUT', `/branches/${branchId}/slots/${slotId}`, {
    startsAt: '2030-06-01T08:30:00Z',
    capacity,
  });
  expect(defined.status).toBe(201);
});
afterAll(() => app?.stop());

/** Runs `count` commands, `batch` at a time; returns each one's answer in the route's shape. */
async function run(count: number, command: (i: number) => SlotCommand) {
  const answers: { reservationId?: string; remaining: number; released?: boolean }[] = [];
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    const done = await Promise.all(
      Array.from({ length: size }, async (_, k) => {
        const c = command(start + k);
        const result = await slots.execute(entityId, c);
        const state = result.state;
        return c.type === 'ReserveSlot'
          ? {
              // As the route answers: the slot's last number after our commit is ours.
              reservationId: numberedReservationId(branchId, slotId, state.issued),
              remaining: slotView(state).remaining,
            }
          : { released: true, remaining: slotView(state).remaining };
      }),
    );
    answers.push(...done);
  }
  return answers;
}

const reserve: SlotCommand = { type: 'ReserveSlot', data: { quantity: 1 } };
const release = (reservationId: string): SlotCommand => ({
  type: 'ReleaseReservation',
  data: { reservationId },
});

describe('a slot of capacity 10,000 with 64-character ids', () => {
  it('takes 10,000, releases all, takes 10,000 again; the contract holds throughout', async () => {
    const started = performance.now();
    const first = await run(capacity, () => reserve);
    const ids = first.map((a) => a.reservationId ?? '');
    expect(new Set(ids).size).toBe(capacity);
    expect(ids.sort()).toEqual(
      Array.from({ length: capacity }, (_, i) =>
        numberedReservationId(branchId, slotId, i + 1),
      ).sort(),
    );
    expect(Math.min(...first.map((a) => a.remaining))).toBe(0);

    // Full: HTTP answers 409 slot-full from a cold load of the full slot.
    const full = await app.call('POST', `/branches/${branchId}/slots/${slotId}/reservations`, {
      quantity: 1,
    });
    expect(full.status).toBe(409);
    expect(full.body.code).toBe('slot-full');
    await expect(slots.execute(entityId, reserve)).rejects.toBeInstanceOf(CommandRejectedError);

    // HTTP sample of releases: 200, then 200 again freeing nothing.
    const sample = ids.slice(0, 3);
    for (const id of sample) {
      const once = await app.call('DELETE', `/reservations/${id}`);
      expect(once.status).toBe(200);
      expect(once.body).toMatchObject({ reservationId: id, released: true });
      const twice = await app.call('DELETE', `/reservations/${id}`);
      expect(twice.status).toBe(200);
      expect(twice.body.remaining).toBe(once.body.remaining);
    }
    const released = await run(capacity - sample.length, (i) =>
      release(ids[i + sample.length] ?? ''),
    );
    expect(released.every((a) => a.released)).toBe(true);
    expect(Math.max(...released.map((a) => a.remaining))).toBe(capacity);
    // Releasing again frees nothing; an id never issued is unknown.
    expect((await app.call('DELETE', `/reservations/${ids[capacity / 2]}`)).body.remaining).toBe(
      capacity,
    );
    const unknown = numberedReservationId(branchId, slotId, capacity + 1);
    expect((await app.call('DELETE', `/reservations/${unknown}`)).status).toBe(404);

    const second = await run(capacity - 1, () => reserve);
    expect(Math.min(...second.map((a) => a.remaining))).toBe(1);
    const last = await app.call('POST', `/branches/${branchId}/slots/${slotId}/reservations`, {
      quantity: 1,
    });
    expect(last.status).toBe(201);
    expect(last.body).toMatchObject({ remaining: 0, quantity: 1 });
    expect(last.body.reservationId).toMatch(/\.r\d+$/);

    const view = await app.call('GET', `/branches/${branchId}/slots/${slotId}`);
    expect(view.body).toMatchObject({ capacity, reserved: capacity, remaining: 0 });
    expect(drops).toEqual([]);
    console.info(
      `slot growth: ${3 * capacity} commands in ${Math.round(performance.now() - started)} ms (batches of ${batch})`,
    );
  }, 900_000);
});
