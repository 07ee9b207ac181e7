import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import type { ReadModelReader } from '@coffee-es/core';
import { DynamoReadModelStore } from '@coffee-es/dynamodb';
import { clientFor, type LocalRuntime, startLocalRuntime } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  beforeAll(async () => {
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
      dynamoEndpoint: dynamoEndpoint(),
      accessKeyId: `guide${process.pid}`,
      logLevel: 'SILENT',
    });
  });

  afterAll(async () => {
    await runtime?.stop();
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
});
