/** Helpers for read-side specs: the journal's stream records and the queue's messages, by hand. */

import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, GetRecordsCommand } from '@aws-sdk/client-dynamodb-streams';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { listShards, queueArn, shardIterator, toLambdaRecord, toSqsRecord } from '@coffee-es/local';
import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import type { App } from './appServer.ts';

/** Every commit record of the app's journal stream so far, as Lambda would receive them. */
export async function journalRecords(app: App): Promise<DynamoDBRecord[]> {
  const env = app.runtime.environment;
  const client = new DynamoDBStreamsClient({
    endpoint: app.runtime.dynamoEndpoint,
    region: env.AWS_REGION as string,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID as string, secretAccessKey: 'local' },
  });
  const streamArn = app.runtime.streamArns.journal as string;
  const records: DynamoDBRecord[] = [];
  for (const shard of await listShards(client, streamArn)) {
    let iterator = await shardIterator(client, streamArn, shard, undefined, 'TRIM_HORIZON');
    while (iterator) {
      const out = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
      );
      for (const r of out.Records ?? []) records.push(toLambdaRecord(r, streamArn));
      if ((out.Records ?? []).length === 0) break;
      iterator = out.NextShardIterator;
    }
  }
  client.destroy();
  return records.filter((r) => r.dynamodb?.NewImage?.kind?.S === 'commit');
}

/** Receives (and deletes) everything in a queue, as SQS records. */
export async function drainQueue(client: SQSClient, queueUrl: string): Promise<SQSRecord[]> {
  const arn = await queueArn(client, queueUrl);
  const records: SQSRecord[] = [];
  for (let empty = 0; empty < 2; ) {
    const out = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = out.Messages ?? [];
    empty = messages.length === 0 ? empty + 1 : 0;
    for (const m of messages) {
      records.push(toSqsRecord(m, arn, 'us-east-1'));
      await client.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }),
      );
    }
  }
  return records;
}

/**
 * A deterministic shuffle that keeps each group's own order: groups interleave at random, as
 * deliveries from different shards or message groups may.
 */
export function interleave<T>(items: readonly T[], groupOf: (item: T) => string, seed = 7): T[] {
  const queues = new Map<string, T[]>();
  for (const item of items) {
    const key = groupOf(item);
    queues.set(key, [...(queues.get(key) ?? []), item]);
  }
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const out: T[] = [];
  const open = [...queues.values()];
  while (open.length > 0) {
    const index = Math.floor(random() * open.length);
    const queue = open[index] as T[];
    out.push(queue.shift() as T);
    if (queue.length === 0) open.splice(index, 1);
  }
  return out;
}

/** Every read-model item, keyed, without what differs between equal runs (marker expiry, status). */
export async function readModelItems(client: DynamoDBClient, tableName: string) {
  const items: Record<string, unknown>[] = [];
  let cursor: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ...(cursor ? { ExclusiveStartKey: cursor } : {}) }),
    );
    for (const raw of page.Items ?? []) {
      const { expiresAt: _expiresAt, ...item } = unmarshall(raw);
      if (item.pk !== 'Projection') items.push(item);
    }
    cursor = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (cursor);
  return Object.fromEntries(items.map((i) => [`${i.pk}|${i.sk}`, i]));
}

export const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, i * size + size),
  );
