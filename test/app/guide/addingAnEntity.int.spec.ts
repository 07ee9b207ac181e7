import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import type { ReadModelReader } from '@coffee-es/core';
import { DynamoReadModelStore } from '@coffee-es/dynamodb';
import { clientFor, type LocalRuntime, startLocalRuntime } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoEndpoint } from '../../support/localStack.ts';
import { addVoucher } from './voucherGuide.ts';

const repo = join(import.meta.dirname, '../../..');
// Inside the repository (so that the copy resolves the packages as the app does), outside the
// folders that specs scan (a copy that vanishes mid-scan would fail them).
const dir = join(repo, `.spec-tmp-voucher-app-${process.pid}`);

interface VoucherProjection {
  get(reader: ReadModelReader, partition: string, sort: string): Promise<unknown>;
}

describe("the README's Adding an entity, applied to a copy of the app", () => {
  let touched: string[];
  let runtime: LocalRuntime;
  let voucherBalances: VoucherProjection;

  beforeAll(async () => {
    touched = addVoucher(repo, dir);
    const load = (file: string) => import(pathToFileURL(join(dir, 'functions', file)).href);
    const { system } = (await load('app/system.ts')) as { system: SystemDeclaration<never> };
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

  it('touches the files the README counts: five new, six edited', () => {
    expect(touched).toHaveLength(11);
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
