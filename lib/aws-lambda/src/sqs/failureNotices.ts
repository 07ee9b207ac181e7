/**
 * The relay's failure queue holds two kinds of notices, and both say what to re-relay:
 *
 * - the relay's own, for records it set aside because they can never be sent as they are
 *   (unreadable by this code, or an event over SQS's size limit): stream ids and positions;
 * - Lambda's, for records the event-source mapping discarded (their age passed the limit):
 *   shard and sequence numbers only, and the time the records arrived.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from '../schema.ts';

/** Events the relay set aside: positions `from`..`to` of one stream. */
export interface SetAsideEvents {
  readonly streamId: string;
  readonly from: number;
  readonly to: number;
  readonly sequenceNumber?: string;
  readonly reason: string;
}

/** The body of the relay's own notice. */
export interface RelayFailureNotice {
  readonly source: 'relay';
  readonly condition: 'Unsendable';
  readonly timestamp: string;
  readonly records: readonly SetAsideEvents[];
}

/** What a notice asks for. */
export type RedriveRequest =
  | { readonly kind: 'positions'; readonly records: readonly SetAsideEvents[] }
  /** Commits recorded in this window (any stream): what Lambda's notice allows to find again. */
  | { readonly kind: 'window'; readonly from: Date; readonly to: Date }
  | { readonly kind: 'unreadable'; readonly reason: string };

/**
 * Sends one notice naming the events set aside.
 *
 * @example
 * ```ts
 * await sendFailureNotice(client, failureQueueUrl, [{ streamId, from: 3, to: 3, reason }]);
 * ```
 * @internal
 */
export async function sendFailureNotice(
  client: SQSClient,
  queueUrl: string,
  records: readonly SetAsideEvents[],
  now: Date = new Date(),
): Promise<void> {
  const notice: RelayFailureNotice = {
    source: 'relay',
    condition: 'Unsendable',
    timestamp: now.toISOString(),
    records,
  };
  await client.send(
    new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(notice) }),
  );
}

const position = z.int().check(z.positive());
const relayNotice = z.object({
  source: z.literal('relay'),
  records: z.array(
    z.object({
      streamId: z.string().check(z.minLength(1)),
      from: position,
      to: position,
      sequenceNumber: z.optional(z.string()),
      reason: z.string(),
    }),
  ),
});
const lambdaNotice = z.object({
  DDBStreamBatchInfo: z.object({
    approximateArrivalOfFirstRecord: z.string(),
    approximateArrivalOfLastRecord: z.string(),
  }),
});

/**
 * Commits are stamped before they are written, and DynamoDB Local rounds arrival times down to
 * the minute: the window reaches two minutes before the first arrival and one after the last.
 */
const windowBeforeMs = 120_000;
const windowAfterMs = 60_000;

/**
 * Reads a failure-queue message.
 *
 * @example
 * ```ts
 * const request = parseFailureNotice(message.Body ?? '');
 * if (request.kind === 'positions') for (const r of request.records) await replay(r);
 * ```
 * @internal
 */
export function parseFailureNotice(body: string): RedriveRequest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'unreadable', reason: 'the body is not JSON' };
  }
  const ours = relayNotice.safeParse(json);
  if (ours.success) {
    return {
      kind: 'positions',
      records: ours.data.records.map(({ sequenceNumber, ...rest }) => ({
        ...rest,
        ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
      })),
    };
  }
  const lambda = lambdaNotice.safeParse(json);
  if (lambda.success) {
    const info = lambda.data.DDBStreamBatchInfo;
    const first = Date.parse(info.approximateArrivalOfFirstRecord);
    const last = Date.parse(info.approximateArrivalOfLastRecord);
    if (Number.isFinite(first) && Number.isFinite(last)) {
      return {
        kind: 'window',
        from: new Date(first - windowBeforeMs),
        to: new Date(last + windowAfterMs),
      };
    }
  }
  return { kind: 'unreadable', reason: 'neither a relay notice nor a stream batch notice' };
}
