/**
 * Re-relays commits out of the journal (the system of record) to the events queue: for records
 * the stream no longer holds (it keeps 24 hours) or that the relay set aside. The messages are
 * the relay's own, with the same deduplication ids, so a copy of a message SQS took in the last
 * 5 minutes is dropped, and any later copy is absorbed by the consumers' idempotency.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  type Backoff,
  backoffDelay,
  type Commit,
  type EventSchemasByType,
  type Journal,
  type ScanCursor,
  sleep,
} from '@coffee-es/core';
import { outgoingMessageOf, type RelayedEvent, relayedEvents } from './relayedEvents.ts';
import { type SqsLimits, sendInOrder, sqsLimits } from './sendInOrder.ts';

/** Where a replay sends: the events queue, the event schemas, and SQS's limits. */
export interface ReplayTarget {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly schemas: EventSchemasByType;
  readonly limits?: SqsLimits;
  /** Tries of a send that fails for a reason that may pass, before giving up. Default 8. */
  readonly attempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What a replay sent, and what it could not read or SQS could never accept. */
export interface ReplayResult {
  commits: number;
  events: number;
  /** Commits this code cannot read (`streamId@from`), with the reason. */
  readonly unreadable: { where: string; reason: string }[];
  /** Events SQS can never accept as they are. */
  readonly unsendable: { eventId: string; reason: string }[];
}

/** Which events of a stream: positions from..to, or those recorded from a time on. */
export interface StreamRange {
  readonly fromPosition?: number;
  readonly toPosition?: number;
  readonly fromTime?: Date;
  readonly toTime?: Date;
}

export const emptyResult = (): ReplayResult => ({
  commits: 0,
  events: 0,
  unreadable: [],
  unsendable: [],
});

const inTime = (range: StreamRange, recordedAt: string) => {
  const at = Date.parse(recordedAt);
  return (
    (range.fromTime === undefined || at >= range.fromTime.getTime()) &&
    (range.toTime === undefined || at <= range.toTime.getTime())
  );
};

/**
 * Re-relays one stream's events in the range, in order (strongly consistent reads).
 *
 * @example
 * ```ts
 * await replayStream(journal, target, 'Order#o1', { fromPosition: 3 });
 * ```
 */
export async function replayStream(
  journal: Journal,
  target: ReplayTarget,
  streamId: string,
  range: StreamRange,
  result: ReplayResult = emptyResult(),
): Promise<ReplayResult> {
  const fromPosition = range.fromPosition ?? 1;
  const first = await journal.readContaining(streamId, fromPosition, { consistent: true });
  let after = (first?.from ?? fromPosition) - 1;
  for (;;) {
    const page = await journal.readAfter(streamId, after, { consistent: true, limit: 100 });
    const wanted = page.filter((c) => range.toPosition === undefined || c.from <= range.toPosition);
    await relayCommits(target, wanted, result, (e) => {
      const inPositions =
        e.position >= fromPosition &&
        (range.toPosition === undefined || e.position <= range.toPosition);
      return inPositions && inTime(range, e.recordedAt);
    });
    const last = page.at(-1);
    if (!last || wanted.length < page.length || page.length < 100) return result;
    after = last.from;
  }
}

/**
 * Re-relays the events of every stream recorded in the window: a consistent parallel scan of the
 * journal, each segment in order, so each stream's events keep their order.
 *
 * @example
 * ```ts
 * await replayJournal(journal, target, { fromTime: new Date(Date.now() - 86_400_000) });
 * ```
 */
export async function replayJournal(
  journal: Journal,
  target: ReplayTarget,
  range: Pick<StreamRange, 'fromTime' | 'toTime'>,
  options: { readonly segments?: number; readonly onProgress?: (r: ReplayResult) => void } = {},
  result: ReplayResult = emptyResult(),
): Promise<ReplayResult> {
  const segments = options.segments ?? 4;
  const entityTypes = Object.keys(target.schemas);
  const replaySegment = async (segment: number) => {
    let cursor: ScanCursor | undefined;
    do {
      const page = await journal.scan({
        segment,
        totalSegments: segments,
        entityTypes,
        ...(cursor ? { cursor } : {}),
      });
      const wanted = page.commits.filter((c) => inTime(range, c.recordedAt));
      await relayCommits(target, wanted, result, () => true);
      options.onProgress?.(result);
      cursor = page.next;
    } while (cursor);
  };
  await Promise.all(Array.from({ length: segments }, (_, segment) => replaySegment(segment)));
  return result;
}

async function relayCommits(
  target: ReplayTarget,
  commits: readonly Commit[],
  result: ReplayResult,
  wanted: (event: RelayedEvent) => boolean,
): Promise<void> {
  const events: RelayedEvent[] = [];
  for (const commit of commits) {
    try {
      const chosen = relayedEvents(target.schemas, commit).filter(wanted);
      if (chosen.length === 0) continue;
      events.push(...chosen);
      result.commits += 1;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      result.unreadable.push({ where: `${commit.streamId}@${commit.from}`, reason });
    }
  }
  await sendAll(target, events, result);
}

/** Between two sends of what SQS did not take: 200 ms, 400 ms, … up to 5 s. */
const sendBackoff: Backoff = { baseDelayMs: 100, maxDelayMs: 5_000, jitter: 'none' };

/** Sends in order, retrying what may pass with backoff; throws once the tries are spent. */
async function sendAll(target: ReplayTarget, events: RelayedEvent[], result: ReplayResult) {
  const wait = target.sleep ?? sleep;
  let pending = events;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const report = await sendInOrder(
      target.client,
      target.queueUrl,
      pending.map(outgoingMessageOf),
      target.limits ?? sqsLimits,
    );
    for (const u of report.unsendable) {
      result.unsendable.push({ eventId: pending[u.index]?.eventId ?? '?', reason: u.reason });
    }
    const sent = report.retryFrom ?? pending.length;
    result.events += pending
      .slice(0, sent)
      .filter((_, i) => report.unsendable.every((u) => u.index !== i)).length;
    if (report.retryFrom === undefined) return;
    if (attempt >= (target.attempts ?? 8)) {
      throw new Error(`SQS kept failing: ${String(report.error)}`, { cause: report.error });
    }
    pending = pending.slice(report.retryFrom);
    await wait(backoffDelay(sendBackoff, attempt));
  }
}
