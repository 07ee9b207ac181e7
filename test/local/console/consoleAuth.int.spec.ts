/**
 * The console behind the verifying gateway (AUTH=on): its API answers 401 without a valid token,
 * 403 to a token without a scope of the system's declared `operators` (a customer's), 200 to a
 * staff token, and 403 to everyone when the system declares no operators; its static files stay
 * open; and a system declaring a route under /_console does not start, as the console would hide it.
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
  it("refuses the API without a valid token or an operator's scope, answers it to staff", async () => {
    const none = await app.call('GET', '/_console/api/overview');
    expect(none.status).toBe(401);
    expect(none.body.detail).toMatch(/token/i);
    const forged = await app.call('GET', '/_console/api/overview', undefined, {
      authorization: 'Bearer not-a-token',
    });
    expect(forged.status).toBe(401);
    const customer = await app.auth?.sign({ subject: 'ana', scopes: ['coffee/customer'] });
    for (const [method, path] of [
      ['GET', '/_console/api/overview'],
      ['POST', '/_console/api/queues/events/redrive'],
    ] as const) {
      const refused = await app.call(method, path, undefined, {
        authorization: `Bearer ${customer}`,
      });
      expect(refused.status, path).toBe(403);
      expect(refused.body.detail).toContain('coffee/staff');
    }
    const token = await app.auth?.sign({ subject: 'op', scopes: ['coffee/staff'] });
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

describe('a system that declares no operators', () => {
  it('opens the API to nobody with AUTH=on, saying what to declare', async () => {
    const { operators: _, ...undeclared } = system;
    const auth = app.auth;
    if (!auth) throw new Error('the app runs with AUTH=on');
    const runtime = await startLocalRuntime({
      system: undeclared as LocalRuntimeOptions['system'],
      root: resolve(import.meta.dirname, '../../..'),
      port: 0,
      dynamoEndpoint: dynamoEndpoint(),
      accessKeyId: 'consolenoops',
      workers: false,
      logLevel: 'SILENT',
      auth,
    });
    try {
      const staff = await auth.sign({ subject: 'op', scopes: ['coffee/staff'] });
      const answer = await fetch(`${runtime.consoleUrl}api/overview`, {
        headers: { authorization: `Bearer ${staff}` },
      });
      expect(answer.status).toBe(403);
      expect(((await answer.json()) as { detail: string }).detail).toContain('operators');
      expect((await fetch(`${runtime.consoleUrl}api/overview`)).status).toBe(401);
    } finally {
      await runtime.stop();
    }
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
