import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { redriveByHand } from '@coffee-es/aws-lambda';
import {
  ensureQueues,
  type SqsEmulator,
  type SqsPoller,
  sqsClientFor,
  startSqsEmulator,
  startSqsPoller,
} from '@coffee-es/local';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sqs: SqsEmulator;
let client: SQSClient;
let urls: Record<string, string>;
const pollers: SqsPoller[] = [];

beforeAll(async () => {
  sqs = await startSqsEmulator();
  client = sqsClientFor(sqs.endpoint);
  const dlq = (name: string) => ({ name, maxReceiveCount: 2 });
  urls = await ensureQueues(client, [
    {
      name: 'work.fifo',
      fifo: true,
      visibilityTimeoutSeconds: 1,
      deadLetter: dlq('work-dlq.fifo'),
    },
    {
      name: 'poison.fifo',
      fifo: true,
      visibilityTimeoutSeconds: 1,
      deadLetter: dlq('poison-dlq.fifo'),
    },
  ]);
});

afterAll(async () => {
  await Promise.all(pollers.map((p) => p.stop()));
  client?.destroy();
  await sqs?.stop();
});

const url = (name: string) => urls[name] ?? '';

async function send(queue: string, body: string, group: string) {
  await client.send(
    new SendMessageCommand({
      QueueUrl: url(queue),
      MessageBody: body,
      MessageGroupId: group,
      MessageDeduplicationId: body,
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
    }),
  );
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('Timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('startSqsPoller', () => {
  it('hands Lambda-shaped records over and deletes what succeeded', async () => {
    for (let i = 0; i < 20; i++) await send('work.fifo', `m${i}`, `g${i % 4}`);
    const handled: SQSRecord[] = [];
    const poller = startSqsPoller({
      client,
      queueUrl: url('work.fifo'),
      handler: async (event) => void handled.push(...event.Records),
    });
    pollers.push(poller);
    await poller.idle();
    expect(handled.map((r) => r.body).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `m${i}`).sort(),
    );
    for (let g = 0; g < 4; g++) {
      const bodies = handled
        .filter((r) => r.attributes.MessageGroupId === `g${g}`)
        .map((r) => r.body);
      expect(bodies).toEqual([0, 1, 2, 3, 4].map((n) => `m${n * 4 + g}`));
    }
    expect(handled[0]).toMatchObject({
      eventSource: 'aws:sqs',
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1', MessageDeduplicationId: 'm0' },
      messageAttributes: { kind: { dataType: 'String', stringValue: 'test' } },
    });
    expect(handled[0]?.eventSourceARN).toMatch(/work\.fifo$/);
    expect(handled[0]?.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
    // Deleted, not merely hidden: nothing comes back once the visibility timeout has passed.
    await new Promise((r) => setTimeout(r, 1200));
    await poller.idle();
    expect(handled).toHaveLength(20);
    expect(poller.stats).toEqual({ received: 20, deleted: 20, failed: 0 });
  });

  it('leaves a reported failure to the redrive policy; redriveByHand brings it back', async () => {
    await send('poison.fifo', 'ok-1', 'g2');
    await send('poison.fifo', 'poison', 'g1');
    await send('poison.fifo', 'after-poison', 'g1');
    let fixed = false;
    const handled: string[] = [];
    const poisonReceiveCounts: string[] = [];
    const poller = startSqsPoller({
      client,
      queueUrl: url('poison.fifo'),
      handler: async (event) => {
        const failed = event.Records.filter((r) => r.body === 'poison' && !fixed);
        for (const r of failed) poisonReceiveCounts.push(r.attributes.ApproximateReceiveCount);
        handled.push(...event.Records.filter((r) => !failed.includes(r)).map((r) => r.body));
        return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) };
      },
    });
    pollers.push(poller);
    await eventually(async () => (poisonReceiveCounts.length === 2 ? true : undefined));
    // maxReceiveCount reached: the next receive moves it to the dead-letter queue, so the
    // source queue never delivers it again and the fixed handler only meets the redriven copy.
    fixed = true;
    const moved = await eventually(async () => {
      const n = await redriveByHand({
        client,
        dlqUrl: url('poison-dlq.fifo'),
        sourceUrl: url('poison.fifo'),
      });
      return n > 0 ? n : undefined;
    });
    expect(moved).toBe(1);
    expect(poisonReceiveCounts).toEqual(['1', '2']);
    await eventually(async () => (handled.includes('poison') ? true : undefined));
    await poller.idle();
    expect(handled.filter((b) => b !== 'poison').sort()).toEqual(['after-poison', 'ok-1']);
    expect(handled.filter((b) => b === 'poison')).toHaveLength(1);
    expect(
      await redriveByHand({
        client,
        dlqUrl: url('poison-dlq.fifo'),
        sourceUrl: url('poison.fifo'),
      }),
    ).toBe(0);
  });
});
