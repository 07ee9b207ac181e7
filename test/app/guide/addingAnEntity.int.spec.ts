import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import type { ReadModelReader } from '@coffee-es/core';
import { DynamoJournal, DynamoReadModelStore } from '@coffee-es/dynamodb';
import { clientFor, type LocalRuntime, startLocalRuntime } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../../support/faultProxy.ts';
import { dynamoEndpoint } from '../../support/localStack.ts';
import { addVoucher, type VoucherAdded } from './voucherGuide.ts';

const repo = join(import.meta.dirname, '../../..');
// Inside the repository (so that the copy resolves the packages as the app does), outside the
// folders that specs scan (a copy that vanishes mid-scan would fail them).
const dir = join(repo, `.spec-tmp-voucher-app-${process.pid}`);

interface VoucherProjection {
  get(reader: ReadModelReader, partition: string, sort: string): Promise<unknown>;
}

describe("the README's Adding an entity, applied to a copy of the app", () => {
  let added: VoucherAdded;
  let runtime: LocalRuntime;
  let system: SystemDeclaration<never>;
  let voucherBalances: VoucherProjection;
  // In front of DynamoDB Local: the new entity meets the faults the coffee app's entities meet.
  let proxy: FaultProxy;

  beforeAll(async () => {
    proxy = await startFaultProxy(dynamoEndpoint());
    added = addVoucher(repo, dir);
    const load = (file: string) => import(pathToFileURL(join(dir, 'functions', file)).href);
    ({ system } = (await load('app/system.ts')) as { system: SystemDeclaration<never> });
    ({ voucherBalances } = (await load('projections/vouchers.ts')) as {
      voucherBalances: VoucherProjection;
    });
    runtime = await startLocalRuntime({
      system,
      root: dir,
      port: 0,
      dynamoEndpoint: proxy.endpoint,
      accessKeyId: `guide${process.pid}`,
      logLevel: 'SILENT',
    });
  });

  afterAll(async () => {
    await runtime?.stop();
    await proxy?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes three files by hand; the generator writes the rest, each marked as written by it', () => {
    expect(added.byHand).toHaveLength(3);
    expect(added.generated).toEqual([
      'app/generated/entities.ts',
      'app/generated/projections.ts',
      'app/generated/routes.ts',
      'app/routeTable.ts',
      'app/routes/openapi.json',
      'handlers/http/vouchers.ts',
    ]);
    for (const file of added.generated.filter((f) => f.endsWith('.ts'))) {
      expect(readFileSync(join(dir, 'functions', file), 'utf8')).toMatch(/^\/\*\* Written by/);
    }
  });

  it("gives the new group's function the vouchers' streams and nothing else", () => {
    const group = system.routeGroups.vouchers;
    expect(group?.entry).toBe('functions/handlers/http/vouchers.ts');
    expect(group?.writes).toEqual(['journal']);
    expect(JSON.stringify(group?.items)).toContain('Voucher#');
    expect(JSON.stringify(group?.items)).not.toMatch(/Order#|Customer#|Slot#|Branch#/);
    const projector = JSON.stringify(system.streamConsumers.projector?.items);
    expect(projector).toContain('Voucher#');
  });

  it('serves the command route and runs the projection', async () => {
    const issue = (value: number) =>
      fetch(`${runtime.url}/vouchers/v-1`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value }),
      });
    const first = await issue(2500);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ voucherId: 'v-1', balance: 2500, version: 1 });
    const again = await issue(100);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'voucher-already-issued' });

    await runtime.workers?.settle();
    const client = clientFor(
      runtime.dynamoEndpoint,
      `guide${process.pid}`,
      runtime.environment.AWS_REGION,
    );
    const store = new DynamoReadModelStore(client, runtime.tableNames.readModels ?? '');
    expect(await voucherBalances.get(store, 'all', 'v-1')).toMatchObject({
      voucherId: 'v-1',
      balance: 2500,
    });
    client.destroy();
  });

  it('keeps its promises under faults with no code of its own: a throttled append, a lost answer', async () => {
    const issue = (voucherId: string, key: string) =>
      fetch(`${runtime.url}/vouchers/${voucherId}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ value: 1000 }),
      });
    const writes = /^(PutItem|TransactWriteItems)$/;
    // Throttled twice, then through: the store's retries, the client sees 201.
    const before = proxy.injected();
    const stopThrottle = proxy.inject({ operation: writes, fault: 'throttle', times: 2 });
    const throttled = await issue('v-throttled', 'k-throttled');
    stopThrottle();
    expect(throttled.status).toBe(201);
    expect(await throttled.json()).toMatchObject({ voucherId: 'v-throttled', version: 1 });
    expect(proxy.injected() - before).toBe(2);
    // Applied, then the answer lost: the retry finds its own commit, appends nothing more.
    const stopLost = proxy.inject({ operation: writes, fault: 'lost-answer', times: 1 });
    const lost = await issue('v-lost', 'k-lost');
    stopLost();
    expect(lost.status).toBe(201);
    expect(await lost.json()).toMatchObject({ voucherId: 'v-lost', version: 1 });
    expect(proxy.injected() - before).toBe(3);
    // The client's own retry with the same key: the same answer, still one event.
    const again = await issue('v-lost', 'k-lost');
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ voucherId: 'v-lost', version: 1 });
    // The same key with another body is refused, and appends nothing.
    const reused = await fetch(`${runtime.url}/vouchers/v-lost`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k-lost' },
      body: JSON.stringify({ value: 5 }),
    });
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: 'idempotency-key-reused' });
    const client = clientFor(
      runtime.dynamoEndpoint,
      `guide${process.pid}`,
      runtime.environment.AWS_REGION,
    );
    const journal = new DynamoJournal({ client, tableName: runtime.tableNames.journal ?? '' });
    for (const id of ['v-throttled', 'v-lost']) {
      const commits = await journal.readAfter(`Voucher#${id}`, 0);
      expect(
        commits.flatMap((c) => c.events).map((e) => e.type),
        id,
      ).toEqual(['VoucherIssued']);
    }
    client.destroy();
  });
});
