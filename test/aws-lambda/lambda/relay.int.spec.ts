/**
 * The relay against the SQS emulator, with the fault proxy in front of it: retryable failures
 * report the first unsent record and everything after it (never set aside), what can never be
 * sent is set aside with its stream id and positions, and batches keep within SQS's size limits.
 */
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createRelay, messageBytes, parseFailureNotice } from '@coffee-es/aws-lambda';
import { type SqsEmulator, sqsClientFor, startSqsEmulator } from '@coffee-es/local';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  commitRecord,
  stateRecord,
  thingSchemas,
  thingStream,
} from '../../support/commitRecords.ts';
import { type FaultProxy, startFaultProxy } from '../../support/faultProxy.ts';
import { drainQueue } from '../../support/readSide.ts';

let emulator: SqsEmulator;
let proxy: FaultProxy;
let sqs: SQSClient;
let direct: SQSClient;
let queueUrl: string;
let failureQueueUrl: string;

beforeAll(async () => {
  emulator = await startSqsEmulator();
  proxy = await startFaultProxy(emulator.endpoint);
  sqs = sqsClientFor(proxy.endpoint);
  direct = sqsClientFor(emulator.endpoint);
  const events = await direct.send(
    new CreateQueueCommand({ QueueName: 'events.fifo', Attributes: { FifoQueue: 'true' } }),
  );
  const failures = await direct.send(new CreateQueueCommand({ QueueName: 'relay-failures' }));
  queueUrl = events.QueueUrl as string;
  failureQueueUrl = failures.QueueUrl as string;
});
afterEach(() => proxy.clear());
afterAll(async () => {
  sqs?.destroy();
  direct?.destroy();
  await proxy?.close();
  await emulator?.stop();
});

const seqs = (records: DynamoDBRecord[]) => records.map((r) => r.dynamodb?.SequenceNumber);
const relay = () => createRelay({ client: sqs, queueUrl, failureQueueUrl, schemas: thingSchemas });
const eventIds = async () =>
  (await drainQueue(direct, queueUrl)).map((m) => JSON.parse(m.body).eventId as string);
const notices = async () =>
  (await drainQueue(direct, failureQueueUrl)).map((m) => parseFailureNotice(m.body));

describe('relay', () => {
  for (const fault of ['throttle', 'unavailable', 'reset'] as const) {
    it(`reports every record from the first unsent one on ${fault}, and sets nothing aside`, async () => {
      const { streamId, records } = thingStream(25);
      proxy.inject({ operation: 'SendMessageBatch', resource: 'events.fifo', fault });
      const failed = await relay()({ Records: records });
      expect(failed.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(seqs(records));
      expect(await notices()).toEqual([]);
      proxy.clear();
      // The mapping's retry: every event once, in order.
      expect((await relay()({ Records: records })).batchItemFailures).toEqual([]);
      expect(await eventIds()).toEqual(records.map((_, i) => `${streamId}@${i + 1}`));
      expect(await notices()).toEqual([]);
    });
  }

  it('sets aside an event over 256 KiB with its stream id and position; the others go', async () => {
    const { streamId, records } = thingStream(3, (i) => ({
      text: i === 1 ? 'x'.repeat(300_000) : 'small',
    }));
    expect((await relay()({ Records: records })).batchItemFailures).toEqual([]);
    expect(await eventIds()).toEqual([`${streamId}@1`, `${streamId}@3`]);
    expect(await notices()).toEqual([
      {
        kind: 'positions',
        records: [expect.objectContaining({ streamId: streamId, from: 2, to: 2 })],
      },
    ]);
  });

  it('splits batches so that none exceeds 256 KiB', async () => {
    const { records } = thingStream(10, () => ({ text: 'y'.repeat(60_000) }));
    const calls = await proxy.during(async () => {
      expect((await relay()({ Records: records })).batchItemFailures).toEqual([]);
    });
    const batches = calls.filter((c) => c.operation === 'SendMessageBatch');
    expect(batches.length).toBeGreaterThanOrEqual(3);
    for (const call of batches) {
      const entries = call.input.Entries as { MessageBody: string; MessageAttributes: object }[];
      const bytes = entries.reduce(
        (n, e) =>
          n +
          messageBytes({
            body: e.MessageBody,
            attributes: Object.fromEntries(
              Object.entries(e.MessageAttributes).map(([k, v]) => [k, v.StringValue as string]),
            ),
          }),
        0,
      );
      expect(bytes).toBeLessThanOrEqual(262_144);
      expect(call.status).toBe(200);
    }
    expect(await eventIds()).toHaveLength(10);
  });

  it('sets aside a record it cannot read, naming its stream and position; the rest goes', async () => {
    const { records } = thingStream(3);
    const poison = commitRecord({
      streamId: 'Thing#poison',
      entityType: 'Thing',
      from: 4,
      to: 5,
      events: [
        { type: 'Teleported', schemaVersion: 1, data: {} },
        { type: 'Noted', schemaVersion: 1, data: {} },
      ],
      recordedAt: new Date().toISOString(),
      commandId: 'bad',
    });
    const out = await relay()({
      Records: [records[0], poison, ...records.slice(1)] as DynamoDBRecord[],
    });
    expect(out.batchItemFailures).toEqual([]);
    expect(await eventIds()).toHaveLength(3);
    expect(await notices()).toEqual([
      {
        kind: 'positions',
        records: [
          expect.objectContaining({
            streamId: 'Thing#poison',
            from: 4,
            to: 5,
            sequenceNumber: poison.dynamodb?.SequenceNumber,
            reason: expect.stringMatching(/Teleported/),
          }),
        ],
      },
    ]);
  });

  it('retries a set-aside record whose notice could not be sent', async () => {
    const { streamId, records } = thingStream(2, (i) => ({
      text: i === 0 ? 'z'.repeat(300_000) : 'ok',
    }));
    proxy.inject({ operation: 'SendMessage', resource: 'relay-failures', fault: 'unavailable' });
    const out = await relay()({ Records: records });
    expect(out.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(seqs(records));
    proxy.clear();
    expect((await relay()({ Records: records })).batchItemFailures).toEqual([]);
    expect(await notices()).toHaveLength(1);
    expect(await eventIds()).toEqual([`${streamId}@2`]);
  });

  it('skips durable-state records: no message, no failure', async () => {
    expect((await relay()({ Records: [stateRecord('Branch#b1')] })).batchItemFailures).toEqual([]);
    expect(await eventIds()).toEqual([]);
    expect(await notices()).toEqual([]);
  });
});
