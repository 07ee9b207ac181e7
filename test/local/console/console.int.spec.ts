/**
 * The operator console in a real headless browser (Debian's Chromium, driven by playwright-core)
 * against the app on the local runtime: it finds an order by id and shows its events and its
 * state at a chosen position, shows a real dead letter (a poison message the loyalty consumer
 * failed five times) and redrives it, and leaves a screenshot in .screenshots/ (gitignored).
 * Without Chromium it is skipped with a message, except in CI, where it fails.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../support/appServer.ts';
import { consoleApp, customerHistory, sendPoison, waitFor, writeCommits } from './consoleApp.ts';

const executablePath = '/usr/bin/chromium';
const present = existsSync(executablePath);
const inCi = Boolean(process.env.CI);
const screenshots = resolve(import.meta.dirname, '../../../.screenshots');
/** Long enough for a loaded machine (the whole suite runs beside this). */
const soon = { timeout: 20_000 };
const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!present && !inCi) {
  console.warn(
    `console.int.spec: skipped, no Chromium at ${executablePath} (apt-get install -y chromium)`,
  );
}

// In CI a missing browser is a failure, not a skip: .ci/run installs it.
describe.skipIf(present || !inCi)('Chromium in CI', () => {
  it(`is at ${executablePath}`, () => {
    expect(existsSync(executablePath), '.ci/run installs it (apt-get install -y chromium)').toBe(
      true,
    );
  });
});

describe.skipIf(!present)('the operator console in Chromium', () => {
  let app: App;
  let orderId: string;
  let userDataDir: string;
  let browser: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ app, orderId } = await consoleApp('consoleBrowser'));
    await sendPoison(app, 'console-browser-poison');
    userDataDir = await mkdtemp(join(tmpdir(), 'console-chromium-'));
    // A fresh profile (--user-data-dir) each run: nothing cached from an earlier one.
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: flags,
      viewport: { width: 1400, height: 1000 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    await app?.stop();
  });

  it('opens on the system it runs', async () => {
    await page.goto(app.runtime.consoleUrl as string);
    await expect.poll(() => page.locator('#service').textContent(), soon).toBe('coffee');
    await expect.poll(() => page.locator('#status').textContent(), soon).toMatch(/^Live/);
    const projections = page.locator('#projections tbody tr');
    await expect.poll(() => projections.count(), soon).toBe(3);
    const names = await projections.locator('td:first-child').allTextContents();
    expect(names.sort()).toEqual(['availability', 'dailySales', 'orderHistory']);
  });

  it('finds an order by id and shows its events and its state at a chosen position', async () => {
    await page.getByLabel('Entity type').selectOption('Order');
    await page.getByLabel('Id').fill(orderId);
    await page.getByRole('button', { name: 'Find' }).click();
    const rows = page.locator('#events tbody tr');
    await expect.poll(() => rows.count(), soon).toBe(3);
    const types = await rows.locator('td:nth-child(2)').allTextContents();
    expect(types).toEqual(['OrderPlaced v1', 'OrderPaid v1', 'OrderRefunded v1']);
    expect(await rows.nth(2).textContent()).toContain('"reason": "cold"');
    expect(await page.locator('#stream-summary').textContent()).toBe(
      `Order ${orderId}: 3 events, version 3`,
    );
    // The latest state, then the state after the first event: placed, nothing paid yet.
    await expect
      .poll(() => page.locator('#state').textContent(), soon)
      .toContain('"refunded": 100');
    await rows.first().click();
    await expect
      .poll(() => page.locator('#state').textContent(), soon)
      .toContain('"status": "placed"');
    expect(await page.locator('#state').textContent()).toContain('"paid": 0');
    expect(await page.locator('#state-position').textContent()).toBe('1 of 3');
    expect(page.url()).toContain(`#/streams/Order/${orderId}`);
  });

  it('shows the dead letter and redrives it', async () => {
    const show = page.getByRole('button', { name: 'Show the dead letters of events' });
    // The poison message needs five failed receives (1 s apart) before it is a dead letter.
    await expect.poll(() => show.isEnabled(), { timeout: 30_000 }).toBe(true);
    await show.click();
    const letters = page.locator('#dead-letters');
    await expect.poll(() => letters.textContent(), soon).toContain('"not": "an event"');
    expect(await letters.textContent()).toContain('group poison');
    await mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'console.png'), fullPage: true });

    const loyalty = app.runtime.workers?.queuePollers.loyalty;
    const received = loyalty?.stats.received ?? 0;
    await page.getByRole('button', { name: 'Redrive the dead letters of events' }).click();
    await expect
      .poll(() => page.locator('#status').textContent(), soon)
      .toBe('events: moved 1 message back');
    expect(await letters.textContent()).toBe('');
    // Back in the events queue, the consumer receives it again.
    await waitFor(async () => ((loyalty?.stats.received ?? 0) > received ? true : undefined));
    expect(pageErrors).toEqual([]);
  });

  it('shows a long stream a thousand events at a time', async () => {
    await writeCommits(app, customerHistory('long', 1001));
    await page.getByLabel('Entity type').selectOption('Customer');
    await page.getByLabel('Id').fill('long');
    await page.getByRole('button', { name: 'Find' }).click();
    const summary = page.locator('#stream-summary');
    await expect
      .poll(() => summary.textContent(), soon)
      .toBe('Customer long: 1002 events, version 1002 (the first 1000 shown)');
    await page.getByRole('button', { name: 'Show more events' }).click();
    await expect.poll(() => page.locator('#events tbody tr').count(), soon).toBe(1002);
    expect(await summary.textContent()).toBe('Customer long: 1002 events, version 1002');
    expect(await page.getByRole('button', { name: 'Show more events' }).isHidden()).toBe(true);
    expect(await page.locator('#state-position').textContent()).toBe('1002 of 1002');
  });
});
