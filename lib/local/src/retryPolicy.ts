/**
 * The local stream poller's retries, as an event-source mapping makes them: the pause between two
 * attempts of a failing batch (exponential with "equal jitter", at least half the ceiling so the
 * delay really grows, capped, cut short only by a stop, never by a caller waiting for idleness),
 * and when to give records up (past their maximum age, or out of retries unless those are -1).
 */
import { type Backoff, backoffCeiling, backoffDelay } from '@coffee-es/core';
import type { DynamoDBRecord } from 'aws-lambda';

/** The backoff between attempts of a failing batch: exponential from `base` ms, capped at `max`. */
export interface RetryDelay {
  /** Ceiling of the first pause, in ms; it doubles with every attempt. */
  readonly base: number;
  /** The largest ceiling, in ms. */
  readonly max: number;
}

export const defaultRetryDelay: RetryDelay = { base: 100, max: 5_000 };

/** The core's backoff for these settings: equal jitter, the first pause under `base`. */
const backoffOf = (delay: RetryDelay): Backoff => ({
  baseDelayMs: delay.base,
  maxDelayMs: delay.max,
  jitter: 'equal',
});

/**
 * Bounds of the pause after the `attempt`-th failure in a row (1-based).
 * @internal
 */
export function backoffBounds(delay: RetryDelay, attempt: number): { min: number; max: number } {
  const ceiling = backoffCeiling(backoffOf(delay), attempt - 1);
  return { min: ceiling / 2, max: ceiling };
}

/**
 * @example
 * const backoff = createBackoff(defaultRetryDelay);
 * await backoff.wait(failures); // elsewhere, on stop: backoff.cancel()
 */
export function createBackoff(delay: RetryDelay, random: () => number = Math.random) {
  let cancel: (() => void) | undefined;
  return {
    wait: (attempt: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, backoffDelay(backoffOf(delay), attempt - 1, random));
        function done() {
          clearTimeout(timer);
          cancel = undefined;
          resolve();
        }
        cancel = done;
      }),
    cancel: () => cancel?.(),
  };
}

/** Why records are given up, in the words of Lambda's on-failure notice. */
export type GiveUpCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/**
 * After a failed attempt (the `failures`-th in a row): the records past their age, or the poison
 * once retries run out (`maxRetries` -1: never); undefined to try again.
 *
 * @example
 * const givenUp = toGiveUp(pending, outcome.thrown, failures, { maxRetries: -1, maxAgeMs });
 */
export function toGiveUp(
  pending: DynamoDBRecord[],
  thrown: boolean,
  failures: number,
  limits: { readonly maxRetries: number; readonly maxAgeMs: number; readonly now?: number },
): { records: DynamoDBRecord[]; condition: GiveUpCondition } | undefined {
  const now = limits.now ?? Date.now();
  const tooOld = (record: DynamoDBRecord) => {
    const created = record.dynamodb?.ApproximateCreationDateTime;
    return created !== undefined && now - created * 1000 > limits.maxAgeMs;
  };
  const expired = pending.filter(tooOld).length; // records are in order: a prefix
  if (expired > 0) return { records: pending.slice(0, expired), condition: 'RecordAgeExceeded' };
  if (limits.maxRetries < 0 || failures <= limits.maxRetries) return undefined;
  // A reported failure names the poison record; a thrown batch can only be given up whole.
  return { records: thrown ? pending : pending.slice(0, 1), condition: 'RetryAttemptsExhausted' };
}
