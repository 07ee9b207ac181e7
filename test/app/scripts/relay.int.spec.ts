/**
 * `npm run relay` against a running `npm start`: events the stream no longer offers the relay
 * (here: the relay's position moved past them while it was paused, as a 24-hour expiry would) are
 * re-relayed from the journal, by stream and position or by time, and from the failure queue's
 * notices; a second replay of everything changes nothing (duplicates are harmless).
 */
import { access, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { sendFailureNotice } from '@coffee-es/aws-lambda';
import { freePort, localFailureQueueName, pauseFiles, sqsClientFor } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../../functions/app/system.ts';
import { killLeftovers, type NpmStart, runScript, startNpmStart } from '../../support/npmStart.ts';

let dataDir: string;
let server: NpmStart | undefined;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'coffee-relay-'));
});
afterAll(async () => {
  await server?.stop('SIGTERM').catch(() => undefined);
  killLeftovers();
  await rm(dataDir, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: specs read answers loosely, asserting each field.
async function call(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${server?.url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return text === '' ? undefined : JSON.parse(text);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(150);
  }
}
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );
const relay = (...args: string[]) => runScript('scripts/relay.ts', args, dataDir);
const customer = (id: string) => call('GET', `/customers/${id}`);

describe('npm run relay', () => {
  it('refuses bad arguments precisely, before connecting to anything', async () => {
    const cases: [string[], RegExp][] = [
      [['replay', '--from', '5'], /needs --stream/],
      [['replay', '--from', 'yesterday'], /neither a position nor an ISO 8601 time/],
      [['replay'], /needs --from/],
      [['replay', '--from', '2030-01-01', '--bogus', 'x'], /Unknown option: --bogus/],
      [['nonsense'], /Unknown command: nonsense/],
    ];
    for (const [args, message] of cases) {
      const out = await relay(...args);
      expect(out.code, args.join(' ')).toBe(2);
      expect(out.stderr).toMatch(message);
    }
  });

  it('re-relays from the journal what the relay never sent, by stream, by notice, by time', async () => {
    server = await startNpmStart({ port: await freePort(), dataDir });
    await call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
    for (const id of ['c1', 'c2']) {
      await call('POST', '/customers', { customerId: id, name: id, email: `${id}@x.io` });
    }
    // Pause the relay: the payments below stay in the stream only.
    const control = join(dataDir, 'control');
    await mkdir(control, { recursive: true });
    const pause = pauseFiles(control, 'relay');
    await writeFile(pause.request, 'test');
    await until(() => exists(pause.acknowledged), Boolean);
    const since = new Date(Date.now() - 1_000).toISOString();
    const orders: string[] = [];
    for (const [customerId, cents] of [
      ['c1', 1_000],
      ['c2', 2_000],
    ] as const) {
      const placed = await call('POST', '/branches/b1/orders', {
        customerId,
        items: [{ sku: 'beans', quantity: 1, unitPrice: cents }],
      });
      await call('POST', `/orders/${placed.orderId}/payment`, { amount: cents });
      orders.push(placed.orderId);
    }
    // The projector saw them all (c2's payment is the last event: its order shows paid, not
    // only placed, or the relay would start between the two and send the payment itself); then
    // the relay's position is moved past them, as if they expired.
    const projected = await until(
      () => call('GET', '/customers/c2/orders'),
      (h) => h.orders?.[0]?.status === 'paid',
    );
    expect(projected.orders).toEqual([expect.objectContaining({ status: 'paid' })]);
    await server.stop('SIGTERM');
    const checkpoints = join(dataDir, 'checkpoints');
    await copyFile(
      join(checkpoints, 'projector.checkpoint'),
      join(checkpoints, 'relay.checkpoint'),
    );
    await rm(pause.request, { force: true });
    await rm(pause.acknowledged, { force: true });
    server = await startNpmStart({ port: await freePort(), dataDir });
    await sleep(2_000);
    expect((await customer('c1')).orderCount).toBe(0);
    expect((await customer('c2')).orderCount).toBe(0);

    // By stream and position: only that stream's events.
    const one = await relay('replay', '--from', '1', '--stream', `Order#${orders[0]}`);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/2 event\(s\) of 2 commit\(s\) sent/);
    expect(
      (
        await until(
          () => customer('c1'),
          (c) => c.points > 0,
        )
      ).points,
    ).toBe(10);
    expect((await customer('c2')).orderCount).toBe(0);

    // From a notice in the failure queue, naming a stream id and positions.
    const runtime = JSON.parse(await readFile(join(dataDir, 'runtime.json'), 'utf8'));
    const sqs = sqsClientFor(runtime.sqsEndpoint);
    const { QueueUrl: failures } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: localFailureQueueName(system.service, 'relay') }),
    );
    await sendFailureNotice(sqs, failures as string, [
      { streamId: `Order#${orders[1]}`, from: 1, to: 2, reason: 'set aside by hand' },
    ]);
    const redriven = await relay('failures');
    expect(redriven.code, redriven.stderr).toBe(0);
    expect(redriven.stdout).toMatch(/1 of 1 notice\(s\) re-driven/);
    expect(
      (
        await until(
          () => customer('c2'),
          (c) => c.points > 0,
        )
      ).points,
    ).toBe(20);
    const left = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: failures, VisibilityTimeout: 0 }),
    );
    expect(left.Messages ?? []).toEqual([]);
    sqs.destroy();

    // Everything since then, again: duplicates change nothing.
    const all = await relay('replay', '--from', since);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/Replayed every stream: \d+ event/);
    await sleep(2_000);
    expect(await customer('c1')).toMatchObject({ points: 10, orderCount: 1 });
    expect(await customer('c2')).toMatchObject({ points: 20, orderCount: 1 });
    await server.stop('SIGTERM');
    server = undefined;
  }, 120_000);
});
