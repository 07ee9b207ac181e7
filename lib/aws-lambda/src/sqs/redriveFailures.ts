/**
 * Re-drives the relay's failure queue from the journal: each notice names what to re-relay
 * (stream ids and positions, or for Lambda's own notices a time window), the events are sent
 * again, and the notice is deleted only once everything it names went out. A notice whose events
 * still cannot be sent (this code cannot read them, or they are too large) stays, and is reported.
 */
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Journal } from '@coffee-es/core';
import { parseFailureNotice } from './failureNotices.ts';
import { receiveInput } from './receive.ts';
import {
  emptyResult,
  type ReplayResult,
  type ReplayTarget,
  replayJournal,
  replayStream,
} from './replay.ts';

/**
 * What a redrive of the relay's failure notices did: notices read, done with, kept, and the replay.
 */
export interface FailuresRedriven {
  /** Notices read. */
  notices: number;
  /** Notices done with and deleted. */
  redriven: number;
  /** Notices left in the queue, and why. */
  readonly kept: string[];
  readonly replay: ReplayResult;
}

/** How long a kept notice stays out of sight, so that one run reads each notice once. */
const keptForSeconds = 300;

/**
 * Re-drives what the relay set aside: reads the notices of its failure queue (stream ids and
 * positions), replays those events from the journal to the events queue, and deletes each notice
 * once done; a notice it cannot act on is kept, and said why. SQS errors end the run (run it
 * again: FIFO de-duplication and idempotent consumers absorb the repeats).
 *
 * @example
 * ```ts
 * const done = await redriveFailures({ journal, target, failureQueueUrl });
 * console.log(`${done.redriven} of ${done.notices} notices re-driven`);
 * ```
 */
export async function redriveFailures(options: {
  readonly journal: Journal;
  readonly target: ReplayTarget;
  readonly failureQueueUrl: string;
}): Promise<FailuresRedriven> {
  const { journal, target, failureQueueUrl } = options;
  const done: FailuresRedriven = { notices: 0, redriven: 0, kept: [], replay: emptyResult() };
  for (;;) {
    const out = await target.client.send(
      new ReceiveMessageCommand({
        ...receiveInput(failureQueueUrl, 10, 0),
        VisibilityTimeout: keptForSeconds,
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return done;
    for (const message of messages) {
      done.notices += 1;
      const problem = await redriveOne(journal, target, message.Body ?? '', done.replay);
      if (problem !== undefined) {
        done.kept.push(`${message.MessageId}: ${problem}`);
        continue;
      }
      await target.client.send(
        new DeleteMessageCommand({
          QueueUrl: failureQueueUrl,
          ReceiptHandle: message.ReceiptHandle,
        }),
      );
      done.redriven += 1;
    }
  }
}

/** Re-relays what one notice names; a reason when something of it is still not sent. */
async function redriveOne(
  journal: Journal,
  target: ReplayTarget,
  body: string,
  total: ReplayResult,
): Promise<string | undefined> {
  const request = parseFailureNotice(body);
  if (request.kind === 'unreadable') return request.reason;
  const result = emptyResult();
  if (request.kind === 'window') {
    await replayJournal(
      journal,
      target,
      { fromTime: request.from, toTime: request.to },
      {},
      result,
    );
  } else {
    for (const r of request.records) {
      await replayStream(
        journal,
        target,
        r.streamId,
        { fromPosition: r.from, toPosition: r.to },
        result,
      );
    }
  }
  total.commits += result.commits;
  total.events += result.events;
  total.unreadable.push(...result.unreadable);
  total.unsendable.push(...result.unsendable);
  const left = [
    ...result.unreadable.map((u) => `${u.where} unreadable (${u.reason})`),
    ...result.unsendable.map((u) => `${u.eventId} unsendable (${u.reason})`),
  ];
  if (request.kind === 'positions' && result.events === 0 && left.length === 0) {
    return 'the journal holds none of the events it names';
  }
  return left.length > 0 ? left.join('; ') : undefined;
}
