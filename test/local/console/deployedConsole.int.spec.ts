/**
 * The console as the stack deploys it, in Chromium: one `createOperatorHandler` function serving
 * the page, its scripts and the operator API, behind a small stand-in for API Gateway (each
 * request turned into a payload 2.0 event; a staff token's verified claims attached, as the JWT
 * authorizer does) on the app's tables and queues on the local stack. The page finds an order,
 * and says that the chart is not measured there (no write meter on AWS) without going stale.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientFor, sqsClientFor } from '@coffee-es/local';
import { createOperatorHandler } from '@coffee-es/local/operator';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopes } from '../../../functions/app/routes/access.ts';
import { system } from '../../../functions/app/system.ts';
import type { App } from '../../support/appServer.ts';
import { consoleApp } from './consoleApp.ts';

const executablePath = '/usr/bin/chromium';
const soon = { timeout: 20_000 };

describe.skipIf(!existsSync(executablePath))('the deployed console in Chromium', () => {
  let app: App;
  let orderId: string;
  let gateway: Server;
  let url: string;
  let userDataDir: string;
  let browser: BrowserContext;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    ({ app, orderId } = await consoleApp('deployedConsole'));
    const { runtime } = app;
    const dynamo = clientFor(
      runtime.dynamoEndpoint,
      runtime.environment.AWS_ACCESS_KEY_ID,
      runtime.environment.AWS_REGION,
    );
    const sqs = sqsClientFor(runtime.sqsEndpoint as string);
    closers.push(
      () => dynamo.destroy(),
      () => sqs.destroy(),
    );
    const handler = createOperatorHandler({
      system,
      dynamo,
      sqs,
      env: {
        [system.tables.journal.envVar]: runtime.tableNames.journal,
        [system.tables.readModels.envVar]: runtime.tableNames.readModels,
        OPERATOR_QUEUE_URLS: JSON.stringify(runtime.queueUrls),
        REQUIRE_TOKEN: 'true',
      },
    });
    // The gateway's part: the path and query as they came, the authorizer's verified claims.
    gateway = createServer(async (req, res) => {
      const target = new URL(req.url ?? '/', 'http://gateway');
      const answer = await handler({
        version: '2.0',
        routeKey: '$default',
        rawPath: target.pathname,
        rawQueryString: target.search.slice(1),
        headers: {},
        requestContext: {
          http: { method: req.method ?? 'GET', path: target.pathname },
          requestId: 'gw',
          authorizer: { jwt: { claims: { sub: 'staff-1', scope: scopes.staff }, scopes: null } },
        },
        isBase64Encoded: false,
      } as never);
      res.writeHead(answer.statusCode ?? 200, answer.headers as Record<string, string>);
      res.end(answer.body);
    });
    await new Promise<void>((done) => gateway.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/_console/`;
    userDataDir = await mkdtemp(join(tmpdir(), 'deployed-console-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => gateway?.close(done));
    for (const close of closers) close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    await app?.stop();
  });

  it('opens live, finds an order, and says the chart is not measured there', async () => {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    await expect.poll(() => page.locator('#service').textContent(), soon).toBe('coffee');
    await expect.poll(() => page.locator('#status').textContent(), soon).toMatch(/^Live/);
    expect(await page.locator('#rate-window').textContent()).toMatch(/^not measured here/);
    await expect.poll(() => page.locator('#projections tbody tr').count(), soon).toBe(3);
    await page.getByLabel('Entity type').selectOption('Order');
    await page.getByLabel('Id').fill(orderId);
    await page.getByRole('button', { name: 'Find' }).click();
    const rows = page.locator('#events tbody tr');
    await expect.poll(() => rows.count(), soon).toBe(3);
    // A few refreshes later it is still live: the missing meter does not make the page stale.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await page.locator('#status').textContent()).toMatch(/^Live/);
    expect(errors).toEqual([]);
  });
});
