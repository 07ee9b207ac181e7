/**
 * The relay: the journal stream is the outbox. Every event of every commit goes to an SQS FIFO
 * queue, `MessageGroupId` = stream id (order per entity), `MessageDeduplicationId` = stream id +
 * position, in batches within SQS's limits. No dual write anywhere: a command only writes its
 * commit.
 *
 * It never gives up on an error that may pass. Throttling, 5xx, network errors and entries
 * failed with `SenderFault: false` report the first record not sent together with every record
 * after it (a stream's order survives the retry), and the mapping retries with no retry limit:
 * the record's age (the stream's 24 hours) is the only bound. What can never be sent as it is (a
 * record this code cannot read, an event over SQS's size limit, an entry refused as the sender's
 * fault) is set aside by the relay itself: a notice naming its stream id and positions goes to
 * the failure queue, from which `npm run relay -- failures` re-relays it out of the journal.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { EventSchemasByType } from '@coffee-es/core';
import { decodeJournalRecord } from '@coffee-es/dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type SetAsideEvents, sendFailureNotice } from '../sqs/failureNotices.ts';
import { outgoingMessageOf, type RelayedEvent, relayedEvents } from '../sqs/relayedEvents.ts';
import { type SqsLimits, sendInOrder, sqsLimits } from '../sqs/sendInOrder.ts';

export { sqsIdOf } from '../sqs/ids.ts';
export { eventIdOf, type RelayedEvent, relayedEvents } from '../sqs/relayedEvents.ts';

/** The queue the relay sends to, its failure queue, and the event schemas. */
export interface RelayOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** Where the relay sets aside what can never be sent (the mapping's failure queue). */
  readonly failureQueueUrl: string;
  readonly schemas: EventSchemasByType;
  /** SQS's limits; tests lower them. */
  readonly limits?: SqsLimits;
  readonly onError?: (error: unknown, where: string) => void;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
const sequenceOf = (record: DynamoDBRecord | undefined) => record?.dynamodb?.SequenceNumber ?? '';

/**
 * Builds the relay's Lambda handler. Declare its mapping with `maximumRetryAttempts: -1`.
 *
 * @example
 * ```ts
 * export const handler = createRelay({ client: new SQSClient({}), queueUrl, failureQueueUrl, schemas });
 * ```
 */
export function createRelay(options: RelayOptions) {
  return async function relay(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    const records = event.Records;
    const { messages, setAside } = decode(records, options);
    const report = await sendInOrder(
      options.client,
      options.queueUrl,
      messages.map((m) => outgoingMessageOf(m.event)),
      options.limits ?? sqsLimits,
    );
    for (const u of report.unsendable) {
      const m = messages[u.index] as Message;
      options.onError?.(new Error(u.reason), m.event.eventId);
      const { streamId, position } = m.event;
      setAside.push({
        record: m.record,
        events: {
          streamId,
          from: position,
          to: position,
          sequenceNumber: m.sequence,
          reason: u.reason,
        },
      });
    }
    let retryFrom = records.length;
    if (report.retryFrom !== undefined) {
      retryFrom = messages[report.retryFrom]?.record ?? 0;
      options.onError?.(report.error, sequenceOf(records[retryFrom]));
    }
    // Records from `retryFrom` on come again: they will be set aside then, if they must be.
    const notices = setAside.filter((s) => s.record < retryFrom);
    if (notices.length > 0) {
      try {
        await sendFailureNotice(
          options.client,
          options.failureQueueUrl,
          notices.map((s) => s.events),
        );
      } catch (error) {
        // Nothing may be dropped unnoticed: without its notice, the first set-aside record comes again.
        options.onError?.(error, 'failure queue');
        retryFrom = Math.min(retryFrom, ...notices.map((s) => s.record));
      }
    }
    return {
      batchItemFailures: records
        .slice(retryFrom)
        .map((record) => ({ itemIdentifier: sequenceOf(record) })),
    };
  };
}

interface Message {
  readonly record: number;
  readonly sequence: string;
  readonly event: RelayedEvent;
}

/** The events of every commit among the records, and the records this code cannot read. */
function decode(records: readonly DynamoDBRecord[], options: RelayOptions) {
  const messages: Message[] = [];
  const setAside: { record: number; events: SetAsideEvents }[] = [];
  for (const [index, record] of records.entries()) {
    try {
      const change = decodeJournalRecord(record);
      // Durable-state records and anything else that is not a commit carry no event.
      if (change?.kind !== 'commit') continue;
      for (const e of relayedEvents(options.schemas, change.commit)) {
        messages.push({ record: index, sequence: sequenceOf(record), event: e });
      }
    } catch (error) {
      // Unreadable by this code (an unknown event type or version, a corrupt item): retrying
      // cannot help, a deploy that knows it can, so its place is kept for a re-relay.
      options.onError?.(error, sequenceOf(record));
      setAside.push({ record: index, events: unreadable(record, errorText(error)) });
    }
  }
  return { messages, setAside };
}

/** Where an unreadable record is, from its keys alone. */
function unreadable(record: DynamoDBRecord, reason: string): SetAsideEvents {
  const keys = record.dynamodb?.Keys;
  const image = record.dynamodb?.NewImage;
  const from = Number(keys?.sk?.N ?? 0);
  const to = Number(image?.to?.N ?? from);
  return {
    streamId: keys?.pk?.S ?? '?',
    from: Math.max(1, from),
    to: Math.max(1, to, from),
    sequenceNumber: sequenceOf(record),
    reason,
  };
}
