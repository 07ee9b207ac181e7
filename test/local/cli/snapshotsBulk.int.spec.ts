/**
 * `coffee-es snapshots backfill` over 2,000 order streams written straight into the journal (1 to
 * 3 events each, no snapshots): every one gets its snapshot, a load of each then stops at it
 * with the state its events replay to, and a second run finds them all current. Prints the rate.
 */
import { DynamoJournal, writeCommitsInBatches } from '@coffee-es/dynamodb';
import { clientFor, currentState, stateAt } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderEntity } from '../../../functions/domain/index.ts';
import { type App, startApp } from '../../support/appServer.ts';
import { type QueueCli, queueCli } from './queueCli.ts';

const streams = 2_000;
let app: App;
let cli: QueueCli;
let journal: DynamoJournal;
let close: () => void;
beforeAll(async () => {
  app = await startApp('cliSnapshotsBulk', { workers: false });
  cli = await queueCli(app.runtime);
  const { runtime } = app;
  const client = clientFor(
    runtime.dynamoEndpoint,
    runtime.environment.AWS_ACCESS_KEY_ID ?? '',
    runtime.environment.AWS_REGION,
  );
  const tableName = runtime.tableNames.journal as string;
  journal = new DynamoJournal({ client, tableName });
  close = () => client.destroy();
  const placed = (i: number) => ({
    type: 'OrderPlaced',
    schemaVersion: 1,
    data: {
      orderId: `bulk-${i}`,
      branchId: 'b1',
      customerId: 'c1',
      items: [{ sku: 'beans', quantity: 1, unitPrice: 100 + i }],
      total: 100 + i,
      placedAt: '2026-12-01T10:00:00.000Z',
    },
  });
  const commits = Array.from({ length: streams }, (_, i) => {
    const events = [placed(i), { type: 'OrderPaid', schemaVersion: 1, data: { amount: 100 + i } }];
    const taken = events.slice(0, 1 + (i % 2));
    return {
      streamId: `Order#bulk-${i}`,
      entityType: 'Order',
      from: 1,
      to: taken.length,
      events: taken,
      recordedAt: new Date().toISOString(),
      commandId: `bulk-${i}`,
    };
  });
  await writeCommitsInBatches(client, tableName, commits);
}, 120_000);
afterAll(async () => {
  close?.();
  await cli?.close();
  await app?.stop();
});

describe('coffee-es snapshots backfill, in bulk', () => {
  it('snapshots every stream; loads then stop there and equal the replay', async () => {
    const started = Date.now();
    const run = await cli.run('snapshots', 'backfill', 'Order', '--json');
    const seconds = (Date.now() - started) / 1000;
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ streams, written: streams, current: 0 });
    console.log(`backfill: ${streams} snapshots in ${seconds.toFixed(1)} s (CLI start included)`);
    for (const i of [0, 1, 777, streams - 1]) {
      const streamId = `Order#bulk-${i}`;
      const loaded = await journal.loadLatest(streamId, (s) => s.schemaVersion === 1, {
        pageSize: 1,
        consistent: true,
      });
      expect(loaded.requests).toBe(1);
      expect(loaded.commits[0]?.snapshot?.schemaVersion).toBe(1);
      const replayed = await stateAt(journal, orderEntity, `bulk-${i}`, { position: 1e9 });
      expect((await currentState(journal, orderEntity, `bulk-${i}`))?.state).toEqual(
        replayed.state,
      );
    }
    const again = await cli.run('snapshots', 'backfill', 'Order', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ streams, written: 0, current: streams });
  });
});
