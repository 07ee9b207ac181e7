/**
 * What a stream consumer's failure notice names, resolved to the journal: Lambda's notices (an
 * on-failure destination) give only sequence numbers and arrival times, so the records are read
 * back from the stream while it holds them (24 hours on AWS) for their stream ids and positions,
 * and otherwise the notice stands for every commit recorded in its time window. The relay's own
 * notices name stream ids and positions themselves.
 */
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { Message } from '@aws-sdk/client-sqs';
import { parseFailureNotice } from '@coffee-es/aws-lambda';
import type { DynamoDBRecord } from 'aws-lambda';
import { batchInfoOf, readRange } from '../failureSweep.ts';

/** A journal item a notice names: a commit (positions `from`..`to`) or a durable state. */
export interface NamedItem {
  readonly streamId: string;
  readonly from: number;
  readonly to: number;
  readonly kind: 'commit' | 'state';
  /** The item's key in the journal table (`pk`, `sk`). */
  readonly sk: number;
}

/** A failure notice, as `listFailures` tells it. */
export interface FailureNotice {
  readonly messageId: string;
  /** When the notice was sent (the failure). */
  readonly sentAt: string;
  /** Who set the records aside: the stream's event-source mapping, or the relay itself. */
  readonly source: 'stream' | 'relay' | 'unknown';
  /** Why (the condition and the function's error, or the relay's reasons). */
  readonly reason: string;
  /** The journal items it names; empty when only its window is known. */
  readonly items: readonly NamedItem[];
  /** When the stream no longer holds the records: the commits recorded in this window. */
  readonly window?: { readonly from: string; readonly to: string };
  /** The notice as sent. */
  readonly body: string;
}

interface LambdaNotice {
  requestContext?: { condition?: string; approximateInvokeCount?: number };
  responseContext?: { functionError?: string };
  DDBStreamBatchInfo?: { streamArn?: string };
}

/** Reads a notice, and for a stream's own notice the records it covers from the stream. */
export async function resolveNotice(
  message: Message,
  stream: {
    readonly streams: DynamoDBStreamsClient;
    readonly filter: (record: DynamoDBRecord) => boolean;
  },
): Promise<FailureNotice> {
  const body = message.Body ?? '';
  const sent = Number(message.Attributes?.SentTimestamp);
  const base = {
    messageId: message.MessageId ?? '',
    sentAt: Number.isFinite(sent) ? new Date(sent).toISOString() : '',
    body,
  };
  const request = parseFailureNotice(body);
  if (request.kind === 'unreadable') {
    return { ...base, source: 'unknown', reason: request.reason, items: [] };
  }
  if (request.kind === 'positions') {
    const reasons = [...new Set(request.records.map((r) => r.reason))];
    return {
      ...base,
      source: 'relay',
      reason: `Unsendable: ${reasons.join('; ')}`,
      items: request.records.map((r) => ({
        streamId: r.streamId,
        from: r.from,
        to: r.to,
        kind: 'commit' as const,
        sk: r.from,
      })),
    };
  }
  const lambda = JSON.parse(body) as LambdaNotice;
  const context = lambda.requestContext ?? {};
  const attempts = context.approximateInvokeCount;
  const error = lambda.responseContext?.functionError;
  const reason =
    (context.condition ?? 'Failed') +
    (attempts ? ` after ${attempts} attempt(s)` : '') +
    (error ? `: ${error}` : '');
  const info = batchInfoOf(body);
  const streamArn = lambda.DDBStreamBatchInfo?.streamArn;
  const records =
    info && streamArn
      ? await readRange({ streams: stream.streams, streamArn }, info).catch(() => [])
      : [];
  const items = records.filter(stream.filter).flatMap((r) => namedItem(r) ?? []);
  if (items.length > 0) return { ...base, source: 'stream', reason, items };
  return {
    ...base,
    source: 'stream',
    reason,
    items: [],
    window: { from: request.from.toISOString(), to: request.to.toISOString() },
  };
}

function namedItem(record: DynamoDBRecord): NamedItem | undefined {
  const image = record.dynamodb?.NewImage;
  const streamId = image?.pk?.S;
  const sk = Number(image?.sk?.N);
  if (streamId === undefined || !Number.isFinite(sk)) return undefined;
  if (image?.kind?.S === 'state') return { streamId, from: sk, to: sk, kind: 'state', sk };
  const to = Number(image?.to?.N ?? sk);
  return { streamId, from: sk, to, kind: 'commit', sk };
}
