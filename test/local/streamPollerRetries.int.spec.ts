/**
 * The local stream poller's retries: unbounded at -1 with growing pauses, a stop that does not
 * wait out a pause, and the maximum record age that still gives records up.
 */
import { backoffBounds, type StreamFailure } from '@coffee-es/local';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { range, seqOf, skOf, useStreamTables } from '../support/streamTables.ts';

const { write, start } = useStreamTables('stream-poller-retries', ['forever', 'stop', 'age']);

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
