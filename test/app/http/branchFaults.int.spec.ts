/**
 * `PUT /branches/{id}` (durable state) under store faults injected on the wire: a lost answer is
 * recognised as our own write (one write, 201, revision 1, one stream record); throttling and an
 * unavailable store answer 503 with Retry-After and write nothing.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appServer.ts';
import { type FaultProxy, startFaultProxy } from '../../support/faultProxy.ts';
import { dynamoEndpoint } from '../../support/localStack.ts';

let proxy: FaultProxy;
let app: App;
beforeAll(async () => {
  proxy = await startFaultProxy(dynamoEndpoint());
  app = await startApp('branchFaults', { dynamoEndpoint: proxy.endpoint, workers: false });
});
afterAll(async () => {
  await app?.stop();
  await proxy?.close();
});
const journal = () => app.runtime.tableNames.journal ?? '';

/** Every stream record of the journal for one key, read from DynamoDB Streams itself. */
async function streamRecordsOf(pk: string): Promise<number> {
  const env = app.runtime.environment;
  const client = new DynamoDBStreamsClient({
    endpoint: dynamoEndpoint(),
    region: env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: 'local' },
  });
  try {
    const arn = app.runtime.streamArns.journal;
    const stream = await client.send(new DescribeStreamCommand({ StreamArn: arn }));
    let count = 0;
    for (const shard of stream.StreamDescription?.Shards ?? []) {
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({
          StreamArn: arn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      let iterator = ShardIterator;
      for (let page = 0; iterator && page < 20; page++) {
        const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
        const records = out.Records ?? [];
        count += records.filter((r) => r.dynamodb?.Keys?.pk?.S === pk).length;
        if (records.length === 0) break;
        iterator = out.NextShardIterator;
      }
    }
    return count;
  } finally {
    client.destroy();
  }
}

const putBranch = (id: string, name = 'Baixa') =>
  app.call('PUT', `/branches/${id}`, { name, city: 'Lisbon' });

describe('PUT /branches/{id} under store faults', () => {
  it('a lost answer: the SDK retry meets our own write, 201 revision 1, one stream record', async () => {
    const off = proxy.inject({
      operation: 'PutItem',
      resource: journal(),
      fault: 'lost-answer',
      times: 1,
    });
    const calls = await proxy.during(async () => {
      const answer = await putBranch('lost1');
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ branchId: 'lost1', revision: 1 });
    });
    off();
    expect(calls.filter((c) => c.fault === 'lost-answer')).toHaveLength(1);
    expect((await app.call('GET', '/branches/lost1')).body.revision).toBe(1);
    expect(await streamRecordsOf('Branch#lost1')).toBe(1);
  });

  it('every answer lost: the re-read finds our write, 201 revision 1, one stream record', async () => {
    const off = proxy.inject({ operation: 'PutItem', resource: journal(), fault: 'lost-answer' });
    const answer = await putBranch('lost2');
    off();
    expect(answer.status).toBe(201);
    expect(answer.body.revision).toBe(1);
    expect((await app.call('GET', '/branches/lost2')).body.revision).toBe(1);
    expect(await streamRecordsOf('Branch#lost2')).toBe(1);
  });

  it('a lost answer on an update: 200 revision 2, not 3', async () => {
    expect((await putBranch('lost3')).status).toBe(201);
    const off = proxy.inject({
      operation: 'PutItem',
      resource: journal(),
      fault: 'lost-answer',
      times: 1,
    });
    const answer = await putBranch('lost3', 'Chiado');
    off();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ name: 'Chiado', revision: 2 });
    expect(await streamRecordsOf('Branch#lost3')).toBe(2);
  });

  it.each(['throttle', 'unavailable'] as const)(
    '%s on the write: 503 unavailable with Retry-After, nothing written',
    async (fault) => {
      const id = `down-${fault}`;
      const off = proxy.inject({ operation: 'PutItem', resource: journal(), fault });
      const answer = await putBranch(id);
      off();
      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('unavailable');
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await app.call('GET', `/branches/${id}`)).status).toBe(404);
      expect(await streamRecordsOf(`Branch#${id}`)).toBe(0);
    },
  );

  it('the read unavailable: 503 with Retry-After', async () => {
    const off = proxy.inject({ operation: 'GetItem', resource: journal(), fault: 'throttle' });
    const answer = await putBranch('readDown');
    off();
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
