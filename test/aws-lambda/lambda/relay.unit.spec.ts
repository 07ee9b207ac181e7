/**
 * The relay's answers to what SQS can say of a batch and that the emulator never says: some
 * entries failed while the others went (`SenderFault` false or true), or the batch is too long.
 * A scripted client plays SQS; every other case runs against the emulator (relay.int.spec.ts).
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createRelay, parseFailureNotice } from '@coffee-es/aws-lambda';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { thingSchemas, thingStream } from '../../support/commitRecords.ts';

interface Entry {
  readonly Id: string;
  readonly MessageBody: string;
}
type Answer = (entries: readonly Entry[], call: number) => { Failed?: object[] } | Error;

/** Plays SQS: each SendMessageBatch is answered by `answer`; accepted entries are kept. */
function scriptedSqs(answer: Answer) {
  const accepted: string[] = [];
  const notices: string[] = [];
  let calls = 0;
  const client = {
    send: async (command: { input: { Entries?: Entry[]; MessageBody?: string } }) => {
      const { Entries: entries, MessageBody: body } = command.input;
      if (!entries) {
        notices.push(body ?? '');
        return {};
      }
      const out = answer(entries, ++calls);
      if (out instanceof Error) throw out;
      const failedIds = new Set((out.Failed ?? []).map((f) => (f as { Id: string }).Id));
      for (const e of entries) {
        if (!failedIds.has(e.Id)) accepted.push(JSON.parse(e.MessageBody).eventId);
      }
      return { Successful: [], Failed: out.Failed ?? [] };
    },
  } as unknown as SQSClient;
  const relay = createRelay({ client, queueUrl: 'q', failureQueueUrl: 'f', schemas: thingSchemas });
  return { relay, accepted, notices: () => notices.map(parseFailureNotice) };
}

const seqs = (records: readonly DynamoDBRecord[]) => records.map((r) => r.dynamodb?.SequenceNumber);

describe('relay, entries failed within a batch', () => {
  it('retries from the first entry failed with SenderFault false, whatever went after it', async () => {
    const { streamId, records } = thingStream(25);
    const sqs = scriptedSqs((_, call) =>
      call === 2
        ? {
            Failed: [
              { Id: '3', SenderFault: false, Code: 'InternalError' },
              { Id: '7', SenderFault: false },
            ],
          }
        : {},
    );
    const out = await sqs.relay({ Records: records });
    // The second batch holds records 10..19: entry 3 is record 13.
    expect(out.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(seqs(records.slice(13)));
    expect(sqs.accepted).toContain(`${streamId}@13`);
    expect(sqs.accepted).not.toContain(`${streamId}@14`);
    expect(sqs.accepted).not.toContain(`${streamId}@21`);
    expect(sqs.notices()).toEqual([]);
  });

  it('retries from the first record of a batch whose whole call failed', async () => {
    const { records } = thingStream(25);
    const sqs = scriptedSqs((_, call) =>
      call === 2 ? Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }) : {},
    );
    const out = await sqs.relay({ Records: records });
    expect(out.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(seqs(records.slice(10)));
    expect(sqs.accepted).toHaveLength(10);
  });

  it('sets aside an entry refused as the sender’s fault, and goes on', async () => {
    const { streamId, records } = thingStream(5);
    const sqs = scriptedSqs((entries) =>
      entries.length === 5
        ? {
            Failed: [{ Id: '2', SenderFault: true, Code: 'InvalidMessageContents', Message: 'no' }],
          }
        : {},
    );
    expect((await sqs.relay({ Records: records })).batchItemFailures).toEqual([]);
    expect(sqs.accepted).toEqual([1, 2, 4, 5].map((p) => `${streamId}@${p}`));
    expect(sqs.notices()).toEqual([
      {
        kind: 'positions',
        records: [
          expect.objectContaining({
            streamId,
            from: 3,
            to: 3,
            reason: expect.stringMatching(/InvalidMessageContents/),
          }),
        ],
      },
    ]);
  });

  it('sends one at a time when SQS finds the batch too long, setting aside only the culprit', async () => {
    const { streamId, records } = thingStream(4, (i) => ({ big: i === 1 }));
    const sqs = scriptedSqs((entries) => {
      const tooLong = entries.some((e) => JSON.parse(e.MessageBody).data.big);
      return tooLong ? Object.assign(new Error('too long'), { name: 'BatchRequestTooLong' }) : {};
    });
    expect((await sqs.relay({ Records: records })).batchItemFailures).toEqual([]);
    expect(sqs.accepted).toEqual([1, 3, 4].map((p) => `${streamId}@${p}`));
    expect(sqs.notices()).toHaveLength(1);
  });
});
