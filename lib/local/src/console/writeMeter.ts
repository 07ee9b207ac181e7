/**
 * The write rate and the conflicts of a running local system, for the operator console: commits
 * counted off the journal's stream (a stream poller of its own, from the latest record on, so
 * it neither delays nor depends on the consumers), conflicts heard from every EntityStore in
 * this process (the handlers run here).
 */
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { listenToEntityStores } from '@coffee-es/core';
import { decodeJournalRecord } from '@coffee-es/dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { type StreamPoller, startStreamPoller } from '../streamPoller.ts';
import { type RateSeries, RateWindow } from './rateWindow.ts';

/** A running meter: the counts of the last minutes, and `stop()`. */
export interface WriteMeter {
  series(): RateSeries;
  /** Resolves once every stream record written before the call has been counted. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface WriteMeterOptions {
  readonly client: DynamoDBStreamsClient;
  /** The streams of the tables whose commits count (the journal's). */
  readonly streamArns: readonly string[];
  readonly bucketSeconds?: number;
  readonly minutes?: number;
  readonly now?: () => number;
}

export function startWriteMeter(options: WriteMeterOptions): WriteMeter {
  const window = new RateWindow({
    ...(options.bucketSeconds === undefined ? {} : { bucketSeconds: options.bucketSeconds }),
    ...(options.minutes === undefined ? {} : { minutes: options.minutes }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const count = (record: DynamoDBRecord) => {
    let change: ReturnType<typeof decodeJournalRecord>;
    try {
      change = decodeJournalRecord(record);
    } catch {
      return; // a corrupt item is the consumers' concern; the chart skips it
    }
    if (!change) return;
    // Counted when read (a quarter of a second after the write at most: this poller never
    // waits on a consumer); the records' creation times are too coarse locally to chart by.
    window.add('commits');
    if (change.kind === 'commit') window.add('events', change.commit.events.length);
  };
  const pollers: StreamPoller[] = options.streamArns.map((streamArn) =>
    startStreamPoller({
      client: options.client,
      streamArn,
      name: 'console meter',
      startingPosition: 'LATEST',
      // Counting cannot fail; a huge batch is fine.
      batchSize: 1000,
      idleDelayMs: 250,
      handler: async (event) => {
        for (const record of event.Records) count(record);
      },
    }),
  );
  const stopListening = listenToEntityStores((signal) => {
    if (signal.kind === 'conflict') window.add('conflicts');
  });
  return {
    series: () => window.series(),
    idle: async () => {
      await Promise.all(pollers.map((p) => p.idle()));
    },
    stop: async () => {
      stopListening();
      await Promise.all(pollers.map((p) => p.stop()));
    },
  };
}
