/**
 * Redrive by hand of a dead letter whose deduplication id is already SQS's longest (128
 * characters, a hashed long stream id or a long one of its own): the copy's new id must still fit.
 * The emulator accepts any length, so the ids are read on the wire, through the fault proxy.
 */
import { CreateQueueCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { maxSqsIdLength, redriveByHand } from '@coffee-es/aws-lambda';
import { type SqsEmulator, sqsClientFor, startSqsEmulator } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../../support/faultProxy.ts';
import { drainQueue } from '../../support/readSide.ts';

let emulator: SqsEmulator;
let proxy: FaultProxy;
let sqs: SQSClient;
beforeAll(async () => {
  emulator = await startSqsEmulator();
  proxy = await startFaultProxy(emulator.endpoint);
  sqs = sqsClientFor(proxy.endpoint);
});
afterAll(async () => {
  sqs?.destroy();
  await proxy?.close();
  await emulator?.stop();
});

describe('redriveByHand', () => {
  it('gives the copy a new deduplication id within 128 characters', async () => {
    const fifo = { FifoQueue: 'true' };
    const source = await sqs.send(
      new CreateQueueCommand({ QueueName: 'src.fifo', Attributes: fifo }),
    );
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'dlq.fifo', Attributes: fifo }));
    const longIds = ['a'.repeat(128), `Order#${'b'.repeat(100)}@7`];
    for (const [i, id] of longIds.entries()) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: dlq.QueueUrl,
          MessageBody: `m${i}`,
          MessageGroupId: `g${i}`,
          MessageDeduplicationId: id,
        }),
      );
    }
    const calls = await proxy.during(async () => {
      const moved = await redriveByHand({
        client: sqs,
        dlqUrl: dlq.QueueUrl as string,
        sourceUrl: source.QueueUrl as string,
      });
      expect(moved).toBe(2);
    });
    const sent = calls.filter((c) => c.operation === 'SendMessage');
    const ids = sent.map((c) => String(c.input.MessageDeduplicationId));
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(maxSqsIdLength);
    expect(new Set(ids).size).toBe(2);
    expect(ids).not.toContain(longIds[0]);
    const back = await drainQueue(sqsClientFor(emulator.endpoint), source.QueueUrl as string);
    expect(back.map((m) => m.body).sort()).toEqual(['m0', 'm1']);
  });
});
