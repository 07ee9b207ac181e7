/**
 * One batch of a stream poller, as an event-source mapping handles it: invoke, checkpoint what
 * succeeded, retry the rest with backoff, bisect a batch that threw, and give records up to the
 * on-failure destination once their retries or their age run out.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { type GiveUpCondition, toGiveUp } from './retryPolicy.ts';
import { invokeOnce, type StreamHandler, seq } from './streamInvocation.ts';

/** Records given up after their retries, as an on-failure destination receives them. */
export interface StreamFailure {
  readonly records: DynamoDBRecord[];
  readonly error: string;
  /** Invocations that failed for these records (1 + retries). */
  readonly attempts: number;
  /** Why they were given up, in the words of Lambda's on-failure notice. */
  readonly condition: GiveUpCondition;
}

/** Counts of what a stream poller invoked, processed and sent to its failure destination. */
export interface StreamPollerStats {
  delivered: number;
  failedBatches: number;
  sentToFailure: number;
}

/** Thrown out of a batch when the poller stops between two invocations. */
export class Stopped extends Error {}

export interface BatchSettings {
  readonly handler: StreamHandler;
  readonly bisect: boolean;
  readonly maxRetries: number;
  readonly maxAgeMs: number;
  readonly stats: StreamPollerStats;
  /** Waits before the `failures`-th retry in a row. */
  readonly backoff: (failures: number) => Promise<void>;
  /** Saves the checkpoint at a processed record's sequence number. */
  readonly commit: (sequenceNumber: string) => Promise<void>;
  readonly onFailure?: (failure: StreamFailure) => Promise<void>;
  readonly stopping: () => boolean;
  readonly log: (message: string) => void;
}

/** Processes every record of the batch: delivered, or given up to `onFailure`. */
export async function runBatch(settings: BatchSettings, records: DynamoDBRecord[]): Promise<void> {
  const { stats, commit, log } = settings;
  let pending = records;
  let failures = 0; // failed invocations in a row that started at pending[0]
  while (pending.length > 0) {
    if (settings.stopping()) throw new Stopped();
    const outcome = await invokeOnce(settings.handler, pending);
    if (outcome.ok) {
      stats.delivered += pending.length;
      await commit(seq(pending.at(-1)));
      return;
    }
    stats.failedBatches += 1;
    if (outcome.failedAt > 0) {
      // Records before the lowest failure succeeded: checkpoint them, retry from the failure.
      stats.delivered += outcome.failedAt;
      await commit(seq(pending[outcome.failedAt - 1]));
      pending = pending.slice(outcome.failedAt);
      failures = 1;
    } else {
      failures += 1;
    }
    if (outcome.thrown && settings.bisect && pending.length > 1) {
      const half = Math.ceil(pending.length / 2);
      log(`bisecting ${pending.length} records after: ${outcome.error}`);
      await runBatch(settings, pending.slice(0, half));
      await runBatch(settings, pending.slice(half));
      return;
    }
    const { maxRetries, maxAgeMs } = settings;
    const givenUp = toGiveUp(pending, outcome.thrown, failures, { maxRetries, maxAgeMs });
    if (!givenUp) {
      await settings.backoff(failures);
      continue;
    }
    stats.sentToFailure += givenUp.records.length;
    log(
      `giving up ${givenUp.records.length} record(s) after ${failures} attempts: ${outcome.error}`,
    );
    await settings.onFailure?.({ ...givenUp, error: outcome.error, attempts: failures });
    await commit(seq(givenUp.records.at(-1)));
    pending = pending.slice(givenUp.records.length);
    failures = 0;
  }
}
