/**
 * `coffee-es state` against the local stack. The check: for an order driven through six
 * commands over HTTP, the state `--at` each of its positions equals the app's orderEntity.evolve
 * replayed over its audit trail (GET /orders/{id}/events) up to there; `--at <time>` is the
 * state of the events recorded by then; without --at it is the current state. Past the end or
 * before the start: exit 1. Bad input: exit 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderEntity } from '../../../functions/domain/index.ts';
import { type App, startApp } from '../../support/appServer.ts';
import { driveOrder, openShop } from './orderTrail.ts';
import { type QueueCli, queueCli } from './queueCli.ts';

let app: App;
let cli: QueueCli;
let orderId: string;
beforeAll(async () => {
  app = await startApp('cliState', { workers: false });
  cli = await queueCli(app.runtime);
  await openShop(app);
  orderId = await driveOrder(app, 's');
});
afterAll(async () => {
  await cli?.close();
  await app?.stop();
});

interface TrailEvent {
  position: number;
  type: string;
  data: unknown;
  recordedAt: string;
}
const trail = async (): Promise<TrailEvent[]> =>
  (await app.call('GET', `/orders/${orderId}/events`)).body.events;
/** The order's state replayed from its audit trail, up to and with `position`. */
const replayed = (events: readonly TrailEvent[], position: number) =>
  events
    .filter((e) => e.position <= position)
    .reduce(
      (state, e) => orderEntity.evolve(state, { type: e.type, data: e.data } as never),
      orderEntity.initialState(),
    );
const stateJson = async (...args: string[]) => {
  const run = await cli.run('state', 'Order', orderId, '--json', ...args);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as {
    version: number;
    latest?: number;
    recordedAt?: string;
    state: unknown;
  };
};

describe('coffee-es state', () => {
  it('--at each position of an order equals replaying its events up to there', async () => {
    const events = await trail();
    expect(events).toHaveLength(6);
    const seen: unknown[] = [];
    for (const { position, recordedAt } of events) {
      const at = await stateJson('--at', String(position));
      expect(at.version).toBe(position);
      expect(at.latest).toBe(6);
      expect(at.recordedAt).toBe(recordedAt);
      expect(at.state, `position ${position}`).toEqual(replayed(events, position));
      seen.push(at.state);
    }
    // Each position is a state of its own (a fold that ignored --at would repeat one).
    expect(new Set(seen.map((s) => JSON.stringify(s))).size).toBe(6);
  });

  it('--at a time is the state of the events recorded by then; without --at, the state now', async () => {
    const events = await trail();
    const third = events[2] as TrailEvent;
    const byThen = Math.max(
      ...events
        .filter((e) => Date.parse(e.recordedAt) <= Date.parse(third.recordedAt))
        .map((e) => e.position),
    );
    const then = await stateJson('--at', third.recordedAt);
    expect(then.version).toBe(byThen);
    expect(then.state).toEqual(replayed(events, byThen));
    const now = await stateJson();
    expect(now.version).toBe(6);
    expect(now.state).toEqual(replayed(events, 6));
    const human = await cli.run('state', 'Order', orderId, '--at', '2');
    expect(human.stdout).toMatch(new RegExp(`^Order ${orderId} at position 2 of 6 \\(recorded `));
    expect(human.stdout).toContain('"paid": 1000');
  });

  it('says so past the end, before the start and for an unknown order (exit 1)', async () => {
    const cases: [string[], RegExp][] = [
      [['Order', orderId, '--at', '7'], /has 6 events: no position 7/],
      [['Order', orderId, '--at', '2020-01-01T00:00:00Z'], /had no events yet at 2020-01-01/],
      [['Order', 'no-such-order'], /No Order no-such-order: it has no events/],
    ];
    for (const [args, message] of cases) {
      const run = await cli.run('state', ...args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(message);
    }
  });

  it('refuses bad input with exit 2, listing the known entity types', async () => {
    const cases: [string[], RegExp][] = [
      [['Cart', 'x'], /Unknown entity type: Cart Known: Customer, Order, Slot/],
      [['Order', orderId, '--at', 'yesterday'], /neither a position nor an ISO 8601 time/],
      [['Order', orderId, '--at', '0'], /positions start at 1/],
      [['Order', orderId, '--at'], /--at needs a value/],
    ];
    for (const [args, message] of cases) {
      const run = await cli.run('state', ...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
