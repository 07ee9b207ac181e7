/**
 * Waiting out throttling past the SDK's own retries: whole-table tools run for minutes and meet
 * throttling that outlasts the SDK's few attempts, where a command handler would rather fail.
 */
import { type Backoff, backoffDelay, sleep } from '@coffee-es/core';

const throttled = new Set([
  'ProvisionedThroughputExceededException',
  // DynamoDB Streams: too many GetRecords or DescribeStream calls on a shard or a stream.
  'LimitExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
]);

/** 0.1 s doubling up to 5 s, 12 times. */
const throttleBackoff: Backoff = { baseDelayMs: 100, maxDelayMs: 5_000, jitter: 'equal' };

/** `send`, again after a backoff while DynamoDB throttles it (12 times at most). */
export async function withThrottleRetry<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (!throttled.has(name) || attempt > 12) throw error;
      await sleep(backoffDelay(throttleBackoff, attempt));
    }
  }
}
