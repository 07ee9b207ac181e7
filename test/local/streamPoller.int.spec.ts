/**
 * The local stream poller as an event-source mapping: every record once and in order, partial
 * batch failures, bisection, the checkpoint across restarts, filters.
 */
import { isTtlRemoval, type StreamFailure } from '@coffee-es/local';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { range, seqOf, skOf, useStreamTables } from '../support/streamTables.ts';

const { arn, write, start } = useStreamTables('stream-poller', [
  'order',
  'partial',
  'bisect',
  'resume',
  'filter',
]);

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
      eventSourceARN: arn('order'),
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
