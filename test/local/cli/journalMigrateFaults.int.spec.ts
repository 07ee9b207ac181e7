/**
 * `journal migrate` under throttling on every path it reads and writes: the source's scan, the
 * copy's batch writes, and the stream reads of the catch-up (DescribeStream, GetShardIterator,
 * GetRecords, which DynamoDB Streams throttles with its own error). Each client makes a single
 * attempt per call, so only the tool's own waiting gets it through; the copy still ends level,
 * the report clean, while commands keep arriving over HTTP.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { clientFor, migrateJournal } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parity } from '../../../functions/app/cli.ts';
import { type App, startApp } from '../../support/appServer.ts';
import { type FaultProxy, startFaultProxy } from '../../support/faultProxy.ts';
import { seedOrders } from '../../support/journalSeed.ts';
import { allItems, ensureCopyTables } from '../../support/journalTables.ts';

let app: App;
let proxy: FaultProxy;
beforeAll(async () => {
  app = await startApp('journalMigrateFaults');
  proxy = await startFaultProxy(app.runtime.dynamoEndpoint);
  await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' });
}, 120_000);
afterAll(async () => {
  await app?.stop();
  await proxy?.close();
});

describe('journal migrate under throttling', () => {
  it('waits out throttled scans, batch writes and stream reads, and still reports parity', async () => {
    const env = app.runtime.environment;
    const accessKeyId = env.AWS_ACCESS_KEY_ID as string;
    const region = env.AWS_REGION as string;
    const direct = clientFor(app.runtime.dynamoEndpoint, accessKeyId, region);
    const journal = app.runtime.tableNames.journal as string;
    await seedOrders(direct, journal, { events: 2_000, branchId: 'b1', day: '2026-11-30' });
    await ensureCopyTables(direct, ['journal-throttled']);
    // One attempt per call: the SDK's own retries would hide a tool that gives up at once.
    const viaProxy = {
      endpoint: proxy.endpoint,
      region,
      credentials: { accessKeyId, secretAccessKey: 'local' },
      maxAttempts: 1,
    };
    const client = new DynamoDBClient(viaProxy);
    const streams = new DynamoDBStreamsClient(viaProxy);
    const rules = [
      { operation: 'Scan', fault: 'throttle', times: 3 },
      { operation: 'BatchWriteItem', fault: 'throttle', times: 4 },
      { operation: 'DescribeStream', fault: 'throttle', times: 2 },
      { operation: 'GetShardIterator', fault: 'throttle', times: 2 },
      { operation: 'GetRecords', fault: 'throttle', times: 5 },
    ] as const;
    for (const rule of rules) proxy.inject(rule);

    let stopped = false;
    let commands = 0;
    const load = (async () => {
      for (let n = 1; !stopped; n++) {
        const answer = await app.call('POST', '/customers', {
          customerId: `during-${n}`,
          name: 'During',
          email: `during-${n}@x.io`,
        });
        if (answer.status !== 201) throw new Error(`command answered ${answer.status}`);
        commands++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      const result = await migrateJournal({
        client,
        streams,
        source: journal,
        target: 'journal-throttled',
        parity,
        beforeReport: async () => {
          stopped = true;
          await load;
        },
      });
      expect(commands).toBeGreaterThan(0);
      expect(result.caughtUp).toBeGreaterThan(0);
      expect(result.report.differences).toEqual([]);
      expect(result.report.clean).toBe(true);
      expect(result.report.types.Order?.source.events).toBeGreaterThanOrEqual(2_000);
      expect(result.report.types.Customer?.target).toEqual(result.report.types.Customer?.source);
    } finally {
      stopped = true;
      await load;
      proxy.clear();
      streams.destroy();
      client.destroy();
    }
    // Every throttle was met and waited out, none of them skipped.
    const throttled = proxy.calls.filter((call) => call.fault === 'throttle');
    for (const rule of rules) {
      expect(
        throttled.filter((call) => call.operation === rule.operation),
        rule.operation,
      ).toHaveLength(rule.times);
    }
    expect(await allItems(direct, 'journal-throttled')).toEqual(await allItems(direct, journal));
    direct.destroy();
  }, 600_000);
});
