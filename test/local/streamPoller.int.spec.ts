import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { ensureTables, journalTable } from '@coffee-es/dynamodb';
import {
  backoffBounds,
  isTtlRemoval,
  type StreamFailure,
  type StreamPoller,
  type StreamPollerOptions,
  startStreamPoller,
} from '@coffee-es/local';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient, dynamoEndpoint } from '../support/localStack.ts';

let dynamo: DynamoDBClient;
let streams: DynamoDBStreamsClient;
const arns: Record<string, string> = {};
const pollers: StreamPoller[] = [];
const tables = [
  'order',
  'partial',
  'bisect',
  'resume',
  'filter',
  'forever',
  'stop',
  'age',
] as const;

beforeAll(async () => {
  dynamo = dynamoClient('stream-poller');
  // The same access key id and region as the table client: DynamoDB Local keeps a database each.
  streams = new DynamoDBStreamsClient({
    endpoint: dynamoEndpoint(),
    region: await dynamo.config.region(),
    credentials: await dynamo.config.credentials(),
  });
  // A table per test, created up front, so each test reads a stream of its own.
  await Promise.all(
    tables.map(async (name) => {
      const out = await ensureTables(dynamo, { [name]: journalTable });
      const arn = out[name]?.streamArn;
      if (!arn) throw new Error(`No stream for ${name}`);
      arns[name] = arn;
    }),
  );
});

afterAll(async () => {
  await Promise.all(pollers.map((p) => p.stop()));
  streams?.destroy();
  dynamo?.destroy();
});

async function write(table: string, from: number, to: number) {
  for (let sk = from; sk < to; sk++) {
    await dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: 'p' }, sk: { N: String(sk) }, bin: { B: new Uint8Array([1, 2, 3]) } },
      }),
    );
  }
}

const skOf = (r: DynamoDBRecord) => Number(r.dynamodb?.NewImage?.sk?.N);
const seqOf = (r: DynamoDBRecord) => r.dynamodb?.SequenceNumber ?? '';
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

function start(table: string, options: Partial<StreamPollerOptions>): StreamPoller {
  const poller = startStreamPoller({
    client: streams,
    streamArn: arns[table] ?? '',
    handler: async () => {},
    idleDelayMs: 20,
    name: table,
    ...options,
  });
  pollers.push(poller);
  return poller;
}

describe('startStreamPoller', () => {
  it('delivers every record once, in order, in Lambda-shaped batches', async () => {
    await write('order', 0, 30);
    const batches: DynamoDBStreamEvent[] = [];
    const poller = start('order', { batchSize: 10, handler: async (e) => void batches.push(e) });
    await poller.idle();
    await poller.stop();
    expect(batches.map((b) => b.Records.length)).toEqual([10, 10, 10]);
    expect(batches.flatMap((b) => b.Records.map(skOf))).toEqual(range(0, 30));
    const first = batches[0]?.Records[0];
    expect(first).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: arns.order,
      dynamodb: {
        Keys: { pk: { S: 'p' }, sk: { N: '0' } },
        NewImage: { bin: { B: 'AQID' } },
        StreamViewType: 'NEW_IMAGE',
      },
    });
    expect(typeof first?.dynamodb?.ApproximateCreationDateTime).toBe('number');
    expect(typeof first?.dynamodb?.SizeBytes).toBe('number');
    expect(poller.stats).toEqual({ delivered: 30, failedBatches: 0, sentToFailure: 0 });
  });

  it('retries from a reported failure, then gives the poison record up and moves on', async () => {
    await write('partial', 0, 30);
    const processed: number[] = [];
    let poisonAttempts = 0;
    const failures: StreamFailure[] = [];
    const poller = start('partial', {
      batchSize: 10,
      maximumRetryAttempts: 2,
      onFailure: async (f) => void failures.push(f),
      handler: async (event) => {
        for (const record of event.Records) {
          if (skOf(record) === 13) {
            poisonAttempts += 1;
            return { batchItemFailures: [{ itemIdentifier: seqOf(record) }] };
          }
          processed.push(skOf(record));
        }
      },
    });
    await poller.idle();
    expect(processed).toEqual(range(0, 30).filter((n) => n !== 13));
    expect(poisonAttempts).toBe(3);
    expect(failures.map((f) => [f.records.map(skOf), f.attempts])).toEqual([[[13], 3]]);
    expect(poller.stats).toMatchObject({ delivered: 29, sentToFailure: 1 });
  });

  it('bisects a throwing batch to isolate the poison record', async () => {
    await write('bisect', 0, 20);
    const processed: number[] = [];
    const failures: StreamFailure[] = [];
    const poller = start('bisect', {
      batchSize: 10,
      maximumRetryAttempts: 1,
      onFailure: async (f) => void failures.push(f),
      handler: async (event) => {
        if (event.Records.some((r) => skOf(r) === 7)) throw new Error('poison');
        processed.push(...event.Records.map(skOf));
      },
    });
    await poller.idle();
    expect(processed).toEqual(range(0, 20).filter((n) => n !== 7));
    expect(failures.map((f) => [f.records.map(skOf), f.error])).toEqual([[[7], 'poison']]);
  });

  it('resumes after the checkpoint: nothing is delivered twice', async () => {
    let saved: string | undefined;
    const checkpoint = {
      load: async () => saved,
      save: async (sequenceNumber: string) => {
        if (saved !== undefined) expect(BigInt(sequenceNumber) > BigInt(saved)).toBe(true);
        saved = sequenceNumber;
      },
    };
    const seen: number[][] = [[], []];
    await write('resume', 0, 10);
    const first = start('resume', {
      checkpoint,
      handler: async (e) => void seen[0]?.push(...e.Records.map(skOf)),
    });
    await first.idle();
    await first.stop();
    await write('resume', 10, 20);
    const second = start('resume', {
      checkpoint,
      handler: async (e) => void seen[1]?.push(...e.Records.map(skOf)),
    });
    await second.idle();
    expect(seen).toEqual([range(0, 10), range(10, 20)]);
  });

  it('skips records the filter rejects', async () => {
    await write('filter', 0, 10);
    const processed: number[] = [];
    const poller = start('filter', {
      filter: (r) => !isTtlRemoval(r) && skOf(r) % 2 === 0,
      handler: async (e) => void processed.push(...e.Records.map(skOf)),
    });
    await poller.idle();
    expect(processed).toEqual([0, 2, 4, 6, 8]);
    expect(poller.stats.delivered).toBe(5);
  });

  it('recognises TTL removals from DynamoDB Local and from AWS', () => {
    expect(isTtlRemoval({ eventName: 'UNKNOWN_TO_SDK_VERSION' as 'REMOVE' })).toBe(true);
    const service = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
    expect(isTtlRemoval({ eventName: 'REMOVE', userIdentity: service })).toBe(true);
    expect(isTtlRemoval({ eventName: 'REMOVE' })).toBe(false);
  });
});

describe('retries', () => {
  it('never gives up with retries at -1, and pauses longer after every failure', async () => {
    await write('forever', 0, 5);
    const delay = { base: 10, max: 80 };
    const attempts: number[] = [];
    const delivered: number[] = [];
    const failures: StreamFailure[] = [];
    const poller = start('forever', {
      maximumRetryAttempts: -1,
      retryDelayMs: delay,
      onFailure: async (f) => void failures.push(f),
      handler: async (event) => {
        const first = event.Records[0] as DynamoDBRecord;
        // Fails 12 times (more than any bounded default) as an SQS outage would, then recovers.
        if (skOf(first) === 0 && attempts.push(performance.now()) <= 12) {
          return { batchItemFailures: [{ itemIdentifier: seqOf(first) }] };
        }
        delivered.push(...event.Records.map(skOf));
      },
    });
    await poller.idle();
    expect(delivered).toEqual(range(0, 5));
    expect(failures).toEqual([]);
    expect(poller.stats.sentToFailure).toBe(0);
    const pauses = attempts.slice(1).map((t, i) => t - (attempts[i] as number));
    pauses.forEach((pause, i) => {
      // Timers never fire early; a millisecond of rounding either way.
      expect(pause).toBeGreaterThanOrEqual(backoffBounds(delay, i + 1).min - 1);
    });
    expect(backoffBounds(delay, 12)).toEqual({ min: 40, max: 80 }); // capped
  });

  it('stops at once while a failing batch waits for its next attempt', async () => {
    await write('stop', 0, 1);
    let attempts = 0;
    const poller = start('stop', {
      maximumRetryAttempts: -1,
      retryDelayMs: { base: 60_000, max: 60_000 },
      handler: async () => {
        attempts += 1;
        throw new Error('down');
      },
    });
    while (attempts === 0) await new Promise((r) => setTimeout(r, 10));
    const started = performance.now();
    await poller.stop();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(attempts).toBe(1);
  });

  it('gives up a record past its maximum age even with retries at -1', async () => {
    await write('age', 0, 3);
    const failures: StreamFailure[] = [];
    const delivered: number[] = [];
    const poller = start('age', {
      maximumRetryAttempts: -1,
      // DynamoDB Local rounds creation times down to the minute: every record is "old" here.
      maximumRecordAgeSeconds: 0.001,
      batchSize: 1,
      onFailure: async (f) => void failures.push(f),
      handler: async (event) => {
        const first = event.Records[0] as DynamoDBRecord;
        if (skOf(first) === 1) throw new Error('down');
        delivered.push(skOf(first));
      },
    });
    await poller.idle();
    expect(delivered).toEqual([0, 2]);
    expect(failures.map((f) => [f.records.map(skOf), f.condition, f.attempts])).toEqual([
      [[1], 'RecordAgeExceeded', 1],
    ]);
  });
});
