/**
 * The seed's "power outage": `npm start` (the real start script, in a child process) on a data
 * directory, entities written over HTTP, SIGTERM, and `npm start` again on the same directory.
 * Every entity must read back unchanged, idempotent replays and releases must still hold, and
 * nothing the script started may outlive it.
 */
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isAlive,
  killLeftovers,
  type NpmStart,
  runScript,
  startNpmStart,
} from '../../support/npmStart.ts';

interface Answer {
  readonly status: number;
  readonly etag: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: specs read answers loosely, asserting each field.
  readonly body: any;
}

async function call(
  server: NpmStart,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    body: text === '' ? undefined : JSON.parse(text),
  };
}

/** Polls `read` until `done` holds (for what the stream and queue workers produce). */
async function eventually(
  read: () => Promise<Answer>,
  done: (answer: Answer) => boolean,
  timeoutMs = 20_000,
): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await read();
    if (done(answer) || Date.now() > deadline) return answer;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until a stopped script's processes are gone (the watchdog notices within ~300 ms). */
async function gone(pids: readonly number[], timeoutMs = 5_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((r) => setTimeout(r, 100));
  }
}

let dataDir: string;
let server: NpmStart | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'coffee-restart-'));
});

afterAll(async () => {
  // Whatever happened above: nothing started here survives the spec.
  await server?.stop('SIGKILL').catch(() => {});
  killLeftovers();
  await rm(dataDir, { recursive: true, force: true });
});

/** What the first run wrote, and how it read back. */
const before: { paths: string[]; reads: Map<string, Answer>; ids: Record<string, string> } = {
  paths: [],
  reads: new Map(),
  ids: {},
};
const signup = { customerId: 'cust-outage', name: 'Rosa', email: 'rosa@example.com' };
const signupKey = { 'idempotency-key': 'signup-before-outage' };

async function stopAndCheck(running: NpmStart): Promise<void> {
  expect(await running.stop('SIGTERM')).toBe(0);
  expect(running.output()).toContain('SIGTERM: stopping');
  expect(isAlive(running.pid)).toBe(false);
  expect(await gone(running.children)).toEqual([]);
}

describe('npm start, stopped and started again on the same DATA_DIR', () => {
  it('serves the API from a fresh data directory and stops on SIGTERM with nothing left', async () => {
    server = await startNpmStart({ port: await freePort(), dataDir });
    const s = server;
    expect((await call(s, 'GET', '/health')).body).toEqual({ status: 'ok' });

    expect(
      (await call(s, 'PUT', '/branches/porto-9', { name: 'Ribeira', city: 'Porto' })).status,
    ).toBe(201);
    const registered = await call(s, 'POST', '/customers', signup, signupKey);
    expect(registered.status).toBe(201);
    before.reads.set('signup', registered);
    const slot = await call(s, 'PUT', '/branches/porto-9/slots/s-0830', {
      startsAt: '2030-06-01T08:30:00Z',
      capacity: 10,
    });
    expect(slot.status).toBe(201);
    const kept = await call(s, 'POST', '/branches/porto-9/slots/s-0830/reservations', {
      quantity: 2,
    });
    const dropped = await call(s, 'POST', '/branches/porto-9/slots/s-0830/reservations', {
      quantity: 3,
    });
    expect([kept.status, dropped.status]).toEqual([201, 201]);
    const released = await call(s, 'DELETE', `/reservations/${dropped.body.reservationId}`);
    expect(released.body).toMatchObject({ released: true, remaining: 8 });
    before.reads.set('release', released);
    const order = await call(s, 'POST', '/branches/porto-9/orders', {
      customerId: signup.customerId,
      items: [{ sku: 'galao', quantity: 2, unitPrice: 1250 }],
      reservationId: kept.body.reservationId,
    });
    expect(order.status).toBe(201);
    const orderId = order.body.orderId as string;
    const paid = await call(s, 'POST', `/orders/${orderId}/payment`, { amount: 2500 });
    expect(paid.body.status).toBe('paid');
    before.ids = { orderId, released: dropped.body.reservationId };

    // The paid order's points arrive through the workers: wait for them, so that the state
    // compared after the restart is settled.
    const credited = await eventually(
      () => call(s, 'GET', `/customers/${signup.customerId}`),
      (a) => a.body?.orderCount === 1,
    );
    expect(credited.body).toMatchObject({ points: 25, lifetimePoints: 25, orderCount: 1 });

    before.paths = [
      '/branches/porto-9',
      `/customers/${signup.customerId}`,
      `/customers/${signup.customerId}/events`,
      `/orders/${orderId}`,
      `/orders/${orderId}/events`,
      '/branches/porto-9/slots/s-0830',
    ];
    for (const path of before.paths) {
      const read = await call(s, 'GET', path);
      expect(read.status, path).toBe(200);
      before.reads.set(path, read);
    }
    expect(before.reads.get('/branches/porto-9/slots/s-0830')?.body).toMatchObject({
      capacity: 10,
      reserved: 2,
      remaining: 8,
    });

    await stopAndCheck(s);
  });

  it('reads every entity back unchanged after starting again on another port', async () => {
    expect(before.paths).not.toEqual([]);
    server = await startNpmStart({ port: await freePort(), dataDir });
    const s = server;
    for (const path of before.paths) {
      const read = await call(s, 'GET', path);
      const was = before.reads.get(path) as Answer;
      expect(read.status, path).toBe(200);
      expect(read.body, path).toEqual(was.body);
      expect(read.etag, path).toBe(was.etag);
    }
  });

  it('rebuilds the read models and redrives dead letters with the npm commands', async () => {
    const s = server as NpmStart;
    const date = new Date().toISOString().slice(0, 10);
    const reads = [
      `/customers/${signup.customerId}/orders`,
      `/branches/porto-9/sales?date=${date}`,
    ];
    const was = await Promise.all(reads.map((path) => call(s, 'GET', path)));
    expect(was[0]?.body.orders).toHaveLength(1);
    expect(was[1]?.body).toMatchObject({ paidOrders: 1, revenue: 2500 });

    const rebuild = await runScript('scripts/rebuild.ts', ['all'], dataDir);
    expect(rebuild.stderr.replace(/\r[^\n]*/g, '')).not.toMatch(/failed/i);
    expect(rebuild.code).toBe(0);
    expect(rebuild.stdout).toContain('Projector paused');
    expect(rebuild.stdout).toMatch(/Done: dropped \d+ items, replayed \d+ events/);
    expect(rebuild.stdout).toContain('Projector resumed');
    expect(rebuild.stderr).toContain('100%');
    // The projector is no longer paused, and the read models are what they were.
    await expect(access(join(dataDir, 'control', 'projector.pause'))).rejects.toThrow();
    const now = await Promise.all(reads.map((path) => call(s, 'GET', path)));
    expect(now.map((a) => a.body)).toEqual(was.map((a) => a.body));

    const unknown = await runScript('scripts/rebuild.ts', ['nonsense'], dataDir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown projection: nonsense');

    const redrive = await runScript('scripts/redrive.ts', [], dataDir);
    expect(redrive.code).toBe(0);
    expect(redrive.stdout).toContain('events: moved 0 message(s) back');
  });

  it('still replays the idempotent create and the release, and takes new commands', async () => {
    const s = server as NpmStart;
    const signupAgain = await call(s, 'POST', '/customers', signup, signupKey);
    const registered = before.reads.get('signup') as Answer;
    expect(signupAgain.status).toBe(201);
    expect(signupAgain.body).toEqual(registered.body);
    expect(signupAgain.etag).toBe(registered.etag);

    const releasedAgain = await call(s, 'DELETE', `/reservations/${before.ids.released}`);
    expect(releasedAgain.status).toBe(200);
    expect(releasedAgain.body).toEqual(before.reads.get('release')?.body);
    const slot = await call(s, 'GET', '/branches/porto-9/slots/s-0830');
    expect(slot.body).toEqual(before.reads.get('/branches/porto-9/slots/s-0830')?.body);

    const ready = await call(s, 'POST', `/orders/${before.ids.orderId}/ready`, {});
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', version: 3 });
    expect(ready.etag).toBe('"3"');
    // Nothing the replays did changed the customer (its events are what they were).
    const path = `/customers/${signup.customerId}/events`;
    expect((await call(s, 'GET', path)).body).toEqual(before.reads.get(path)?.body);

    await stopAndCheck(s);
    server = undefined;
  });
});
