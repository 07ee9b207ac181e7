/**
 * The console behind the verifying gateway (AUTH=on): its API answers 401 without a valid token
 * and 200 with one (any scope), its static files stay open; and a system declaring a route
 * under /_console does not start, as the console would hide it.
 */
import { resolve } from 'node:path';
import { type LocalRuntimeOptions, startLocalRuntime } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../../functions/app/system.ts';
import { type App, startApp } from '../../support/appServer.ts';
import { dynamoEndpoint } from '../../support/localStack.ts';

let app: App;
beforeAll(async () => {
  app = await startApp('consoleAuth', { auth: true, workers: false, console: true });
});
afterAll(() => app?.stop());

describe('the console with AUTH=on', () => {
  it('refuses the API without a valid token, answers it with one', async () => {
    const none = await app.call('GET', '/_console/api/overview');
    expect(none.status).toBe(401);
    expect(none.body.detail).toMatch(/token/i);
    const forged = await app.call('GET', '/_console/api/overview', undefined, {
      authorization: 'Bearer not-a-token',
    });
    expect(forged.status).toBe(401);
    const token = await app.auth?.sign({ subject: 'op', scopes: ['coffee/customer'] });
    const signed = await app.call('GET', '/_console/api/overview', undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(signed.status).toBe(200);
    expect(signed.body.service).toBe('coffee');
  });

  it('serves the page itself without a token', async () => {
    const page = await fetch(app.runtime.consoleUrl as string);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>Operator console</title>');
    // Only the files that were there at start: an escaped path reaches nothing on disk.
    const outside = await fetch(`${app.runtime.consoleUrl}..%2f..%2fpackage.json`);
    expect(outside.status).toBe(404);
    expect(((await outside.json()) as { detail: string }).detail).toBe(
      'No console file /..%2f..%2fpackage.json',
    );
  });
});

describe('a route under /_console', () => {
  it('stops the system from starting, saying why', async () => {
    const clashing = {
      ...system,
      routes: [...system.routes, { ...system.routes[0], method: 'GET', path: '/_console/x' }],
    } as LocalRuntimeOptions['system'];
    await expect(
      startLocalRuntime({
        system: clashing,
        root: resolve(import.meta.dirname, '../../..'),
        port: 0,
        dynamoEndpoint: dynamoEndpoint(),
        accessKeyId: 'consoleclash',
        workers: false,
        logLevel: 'SILENT',
      }),
    ).rejects.toThrow('Route GET /_console/x is under the console');
  });
});
