/**
 * `coffee-es events` against the local stack: an order's events, upcast, with positions, times
 * and the command metadata of each commit (the idempotency key of the keyed payment); --from;
 * --json as JSON Lines alone on stdout; --follow printing an event written after it started, and
 * ending with exit 0 on SIGINT; bad input exit 2, an unknown type listing the known ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';
import { driveOrder, openShop } from './orderTrail.ts';
import { type QueueCli, queueCli, waitFor } from './queueCli.ts';

let app: App;
let cli: QueueCli;
let orderId: string;
beforeAll(async () => {
  app = await startApp('cliEvents', { workers: false });
  cli = await queueCli(app.runtime);
  await openShop(app);
  orderId = await driveOrder(app, 'e');
});
afterAll(async () => {
  await cli?.close();
  await app?.stop();
});

interface Line {
  position: number;
  type: string;
  schemaVersion: number;
  storedSchemaVersion: number;
  data: Record<string, unknown>;
  recordedAt: string;
  commit: { from: number; to: number; commandId: string; idempotencyKey?: string };
}
const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);

describe('coffee-es events', () => {
  it('prints the stream, upcast, with positions, times and command metadata (--json: JSON Lines)', async () => {
    const run = await cli.run('events', 'Order', orderId, '--json');
    expect(run.code, run.stderr).toBe(0);
    const events = lines(run.stdout);
    expect(events.map((e) => [e.position, e.type])).toEqual([
      [1, 'OrderPlaced'],
      [2, 'OrderPaid'],
      [3, 'OrderReady'],
      [4, 'OrderCollected'],
      [5, 'OrderRefunded'],
      [6, 'OrderRefunded'],
    ]);
    expect(events[1]?.data).toMatchObject({ amount: 1_000 });
    // The key as the HTTP edge stores it: scoped by the route it was used on.
    expect(events[1]?.commit.idempotencyKey).toBe(`POST /orders/${orderId}/payment pay-e`);
    expect(new Set(events.map((e) => e.commit.commandId)).size).toBe(6);
    for (const e of events) {
      expect(Date.parse(e.recordedAt)).toBeGreaterThan(Date.now() - 120_000);
      expect(e.commit.from).toBe(e.position);
    }
    // The audit trail the app serves is the same stream.
    const trail = await app.call('GET', `/orders/${orderId}/events`);
    expect(trail.body.events.map((e: { type: string }) => e.type)).toEqual(
      events.map((e) => e.type),
    );
  });

  it('upcasts: a newer deployment reads OrderPaid at its schema version 2', async () => {
    const newer = await queueCli(app.runtime, {
      system: 'test/local/cli/fixtures/orderEventsV2.ts',
    });
    try {
      const run = await newer.run('events', 'Order', orderId, '--from', '2', '--json');
      expect(run.code, run.stderr).toBe(0);
      expect(lines(run.stdout)[0]).toMatchObject({
        type: 'OrderPaid',
        schemaVersion: 2,
        storedSchemaVersion: 1,
        data: { amount: 1_000, currency: 'EUR' },
      });
      const human = await newer.run('events', 'Order', orderId, '--from', '2');
      expect(human.stdout).toMatch(/^#2 {2}\S+ {2}OrderPaid \(v2, stored v1\)/);
    } finally {
      await newer.close();
    }
  });

  it('starts at --from, and prints for people without --json', async () => {
    const json = await cli.run('events', 'Order', orderId, '--from', '5', '--json');
    expect(lines(json.stdout).map((e) => e.position)).toEqual([5, 6]);
    const human = await cli.run('events', 'Order', orderId, '--from=4');
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^#4 {2}\S+ {2}OrderCollected \(v1\) {2}command \S+/);
    expect(human.stdout).toContain('"reason":"late"');
    expect(human.stdout).not.toContain('OrderReady');
  });

  it('--follow prints what is written after it started, and ends with exit 0 on SIGINT', async () => {
    const other = await driveOrder(app, 'f');
    const follow = cli.spawn('events', 'Order', other, '--from', '6', '--follow', '--json');
    await waitFor(() => follow.output().includes('"position":6'), 60, 'the first event');
    const refund = await app.call('POST', `/orders/${other}/refunds`, { amount: 10, reason: 'x' });
    expect(refund.status).toBe(200);
    await waitFor(() => follow.output().includes('"position":7'), 30, 'the followed event');
    follow.child.kill('SIGINT');
    const done = await follow.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).not.toMatch(/Error|\n\s+at /);
    expect(lines(done.stdout).map((e) => [e.position, e.type])).toEqual([
      [6, 'OrderRefunded'],
      [7, 'OrderRefunded'],
    ]);
  });

  it('--follow ends with exit 0 on SIGTERM too, on a stream with no events yet', async () => {
    const follow = cli.spawn('events', 'Order', 'not-yet', '--follow');
    await waitFor(() => follow.output().includes('Following Order not-yet'), 60, 'the follow');
    follow.child.kill('SIGTERM');
    const done = await follow.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.signal).toBeNull();
    expect(done.stdout).toBe('');
  });

  it('says when there are no events (exit 1), and refuses bad input (exit 2)', async () => {
    const none = await cli.run('events', 'Order', 'no-such-order');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No events of Order no-such-order');
    const cases: [string[], RegExp][] = [
      [['events', 'Cart', 'x'], /Unknown entity type: Cart Known: Customer, Order, Slot/],
      [['events'], /Which entity type\? Known: /],
      [['events', 'Order'], /Which Order\? Give its id/],
      [['events', 'Order', orderId, '--from', '0'], /--from must be a whole number ≥ 1/],
      [['events', 'Order', orderId, '--to', '3'], /Unknown option: --to/],
      [['events', 'Order', orderId, 'extra'], /Unexpected argument: extra/],
      [['events', 'Order', orderId, '--stack', 'Coffee'], /--region and --stack go together/],
    ];
    for (const [args, message] of cases) {
      const run = await cli.run(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
  });
});
