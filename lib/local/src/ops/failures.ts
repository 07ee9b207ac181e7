/**
 * Operator functions for the stream consumers' failure queues (their on-failure destinations):
 * what the notices there name, and their redrive FROM THE JOURNAL: the consumer is run again on
 * the journal's items each notice names, and the notice deleted once the consumer took them all.
 * Consumers are idempotent on (stream id, position), so an item applied twice counts once.
 */
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DeleteMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { showAgain } from '@coffee-es/aws-lambda';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type FailureNotice, resolveNotice } from './failureNotices.ts';
import { asStreamRecords, itemsOf, type JournalSource } from './journalRecords.ts';
import { receiveHidden } from './queueMessages.ts';

export type { FailureNotice, NamedItem } from './failureNotices.ts';
export type { JournalSource } from './journalRecords.ts';

/** A consumer's failure queue, and how to read what its notices name from the stream. */
export interface FailureQueue {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly streams: DynamoDBStreamsClient;
  /** The consumer's event filter: records it rejects were never its to take. */
  readonly filter: (record: DynamoDBRecord) => boolean;
}

/**
 * The notices of a failure queue (at most `max`, default 100), left in it: each with the stream
 * ids and positions it names (or the time window, once the stream no longer holds its records),
 * the reason and when it was sent.
 *
 * @example
 * ```ts
 * for (const n of await listFailures(queue)) console.log(n.reason, n.items);
 * ```
 */
export async function listFailures(
  queue: FailureQueue,
  options: { readonly max?: number } = {},
): Promise<FailureNotice[]> {
  const messages = await receiveHidden(queue.sqs, queue.queueUrl, options.max ?? 100);
  try {
    const notices: FailureNotice[] = [];
    for (const m of messages) notices.push(await resolveNotice(m, queue));
    return notices;
  } finally {
    await showAgain(queue.sqs, queue.queueUrl, messages);
  }
}

/** What a failure redrive did. */
export interface FailuresRedrive {
  /** Notices taken by the consumer and deleted. */
  readonly redriven: FailureNotice[];
  /** Notices left in the queue, and why. */
  readonly kept: { readonly notice: FailureNotice; readonly problem: string }[];
  /**
   * Notices sent while the redrive ran: the consumer set the items aside again (a consumer that
   * sets aside by itself, as the relay does for what it cannot read). Left for the next run.
   */
  readonly setAsideAgain: FailureNotice[];
  /** Stopped by `signal` before the queue was done with. */
  readonly interrupted: boolean;
}

// biome-ignore lint/suspicious/noConfusingVoidType: Lambda handlers may return nothing.
type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

/** While a redrive works on a notice, it is hidden this long (from a sweep, and from itself). */
const workSeconds = 60;
const batchSize = 100;

/**
 * Re-drives a consumer's failure queue from the journal: for each notice, reads the items it
 * names from the journal table, hands them to `handler` (the consumer's own function) as stream
 * records, and deletes the notice once the consumer took every one. A notice the consumer still
 * refuses, or whose items the journal lacks, is kept and said why. `signal` stops it after the
 * notice it is on; the notices not done are visible again at once.
 *
 * @example
 * ```ts
 * const done = await redriveFailures(queue, journal, handler);
 * console.log(`${done.redriven.length} redriven, ${done.kept.length} kept`);
 * ```
 */
export async function redriveFailures(
  queue: FailureQueue,
  source: JournalSource,
  handler: StreamHandler,
  options: {
    readonly signal?: AbortSignal;
    readonly onNotice?: (notice: FailureNotice, problem: string | undefined) => void;
  } = {},
): Promise<FailuresRedrive> {
  const { signal } = options;
  const done: FailuresRedrive = { redriven: [], kept: [], setAsideAgain: [], interrupted: false };
  const seen = new Set<string>();
  const refused: Message[] = [];
  // Only what was set aside before this run: a notice the run itself caused is not redriven
  // again by it (a poison item would go round for ever).
  const startedAt = Date.now();
  const later: Message[] = [];
  try {
    while (!signal?.aborted) {
      const batch = (await receiveHidden(queue.sqs, queue.queueUrl, 10, workSeconds)).filter(
        (m) => !seen.has(m.MessageId ?? ''),
      );
      if (batch.length === 0) break;
      for (const [i, message] of batch.entries()) {
        if (signal?.aborted) {
          await showAgain(queue.sqs, queue.queueUrl, batch.slice(i));
          break;
        }
        seen.add(message.MessageId ?? '');
        const notice = await resolveNotice(message, queue);
        if (Number(message.Attributes?.SentTimestamp) >= startedAt) {
          later.push(message);
          done.setAsideAgain.push(notice);
          continue;
        }
        const problem = await rerun(queue, source, handler, notice);
        options.onNotice?.(notice, problem);
        if (problem !== undefined) {
          refused.push(message);
          done.kept.push({ notice, problem });
          continue;
        }
        await queue.sqs.send(
          new DeleteMessageCommand({
            QueueUrl: queue.queueUrl,
            ReceiptHandle: message.ReceiptHandle,
          }),
        );
        done.redriven.push(notice);
      }
    }
  } finally {
    // Refused notices stay, visible again for the next redrive or sweep.
    await showAgain(queue.sqs, queue.queueUrl, [...refused, ...later]);
  }
  return { ...done, interrupted: signal?.aborted ?? false };
}

/** Runs the consumer on what a notice names; a problem when it did not take it all. */
async function rerun(
  queue: FailureQueue,
  source: JournalSource,
  handler: StreamHandler,
  notice: FailureNotice,
): Promise<string | undefined> {
  if (notice.source === 'unknown') return notice.reason;
  try {
    const { items, missing } = await itemsOf(source, notice);
    if (missing.length > 0) return `the journal holds none of ${missing.join(', ')}`;
    if (items.length === 0) return 'the journal holds no commit in its time window';
    const records = asStreamRecords(source, items).filter(queue.filter);
    if (records.length === 0) return undefined; // nothing in it was ever the consumer's
    // In batches of a stream mapping's usual size: a window may hold many commits.
    for (let i = 0; i < records.length; i += batchSize) {
      const batch = records.slice(i, i + batchSize);
      const failed = (await handler({ Records: batch }))?.batchItemFailures ?? [];
      if (failed.length > 0) {
        return `the consumer refused ${failed.length} of ${records.length} record(s) again`;
      }
    }
    return undefined;
  } catch (error) {
    return `the consumer failed again: ${error instanceof Error ? error.message : String(error)}`;
  }
}
