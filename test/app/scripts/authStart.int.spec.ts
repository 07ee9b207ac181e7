/**
 * `npm start` both ways, as a user runs it: AUTH=on verifies tokens printed by `npm run token`
 * against the signing key in DATA_DIR; without AUTH the same data is served open (local
 * development mode).
 */

import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, localAuth } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killLeftovers, type NpmStart, runScript, startNpmStart } from '../../support/npmStart.ts';

let dataDir: string;
let server: NpmStart | undefined;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'coffee-auth-'));
});
afterAll(async () => {
  await server?.stop('SIGTERM').catch(() => undefined);
  killLeftovers();
  await rm(dataDir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${server?.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: text === '' ? undefined : JSON.parse(text),
  };
}

async function token(...args: string[]): Promise<string> {
  const printed = await runScript('scripts/token.ts', args, dataDir);
  expect(printed.code, printed.stderr).toBe(0);
  return printed.stdout.trim();
}

describe('npm start and npm run token', () => {
  it('refuses a bad AUTH value and bad token arguments precisely', async () => {
    const start = spawnSync(
      process.execPath,
      ['--conditions=@coffee-es/source', '--import', 'tsx', 'scripts/start.ts'],
      {
        env: { ...process.env, AUTH: 'maybe', DATA_DIR: dataDir, PORT: '0' },
        encoding: 'utf8',
      },
    );
    expect(start.status).toBe(2);
    expect(start.stderr).toContain('AUTH must be on or off');
    for (const args of [
      ['--sub', 'ana'],
      ['--sub', 'a', '--scope', 'x', '--ttl', '0'],
      ['--bogus'],
    ]) {
      const refused = await runScript('scripts/token.ts', args, dataDir);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr).toContain('usage: npm run token');
    }
  });

  it('with AUTH=on verifies the tokens it prints, against a key kept in DATA_DIR', async () => {
    server = await startNpmStart({ port: await freePort(), dataDir, env: { AUTH: 'on' } });
    expect(server.output()).toContain('Authorization: on');
    const key = await stat(join(dataDir, 'auth', 'signing-key.json'));
    expect(key.mode & 0o077).toBe(0); // readable by its owner only

    const anonymous = await call('GET', '/customers/ana');
    expect(anonymous).toMatchObject({ status: 401, type: 'application/problem+json' });
    expect(anonymous.body.code).toBe('unauthorized');
    expect((await call('GET', '/health')).status).toBe(200);

    const staff = await token('--sub', 'till-1', '--scope', 'coffee/staff');
    const ana = await token('--sub', 'ana', '--scope', 'coffee/customer');
    expect(
      (await call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' }, staff)).status,
    ).toBe(201);
    const refused = await call('PUT', '/branches/b2', { name: 'X', city: 'Y' }, ana);
    expect(refused).toMatchObject({ status: 403, type: 'application/problem+json' });
    const registered = await call('POST', '/customers', { name: 'Ana', email: 'ana@x.io' }, ana);
    expect(registered.body.customerId).toBe('ana');
    // A token signed by any other key is refused, however well formed.
    const stranger = await localAuth({ issuer: 'urn:coffee:local', audience: 'coffee-api' });
    const forged = await stranger.sign({ subject: 'ana', scopes: ['coffee/staff'] });
    expect((await call('GET', '/customers/ana', undefined, forged)).status).toBe(401);
    expect((await call('GET', '/customers/ana', undefined, ana)).status).toBe(200);
    expect(await server.stop('SIGTERM')).toBe(0);
    server = undefined;
  });

  it('without AUTH serves the same data open, as a local development mode', async () => {
    server = await startNpmStart({ port: await freePort(), dataDir });
    expect(server.output()).toContain('Authorization: off (local development mode');
    expect((await call('GET', '/customers/ana')).body.customerId).toBe('ana');
    expect((await call('PUT', '/branches/b2', { name: 'X', city: 'Y' })).status).toBe(201);
    expect(await server.stop('SIGTERM')).toBe(0);
    server = undefined;
  });
});
