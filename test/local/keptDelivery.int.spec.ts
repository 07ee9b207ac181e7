/**
 * Local delivery kept through any stop, against the real SQS emulator: the relay's saved position
 * stays behind every message still queued or in flight, moves once the consumer deleted it or it
 * was dead-lettered (and the dead letter is on disk), and dead letters and failure notices come
 * back in a new emulator, as after a restart of `npm start`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import type { QueueUrls } from '@coffee-es/local';
import {
  type Checkpoint,
  ensureQueues,
  fileCheckpoint,
  type KeptDelivery,
  keptDelivery,
  type SqsEmulator,
  sqsClientFor,
  startSqsEmulator,
} from '@coffee-es/local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// Only what keptDelivery reads: which stream consumer sends to which queue.
const system = {
  streamConsumers: { relay: { sendsTo: ['events'] }, projector: {} },
} as unknown as SystemDeclaration<never>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Stack {
  emulator: SqsEmulator;
  sqs: SQSClient;
  urls: QueueUrls;
  kept: KeptDelivery;
  relay: Checkpoint;
}

let dir: string;
const running: Stack[] = [];

/** An emulator with the queues `npm start` makes, and the keeper on `dir`, as at a start. */
async function start(): Promise<Stack> {
  const emulator = await startSqsEmulator();
  const sqs = sqsClientFor(emulator.endpoint);
  const made = await ensureQueues(sqs, [
    {
      name: 'app-events.fifo',
      fifo: true,
      deadLetter: { name: 'app-events-dlq.fifo', maxReceiveCount: 1 },
    },
    { name: 'app-relay-failures', fifo: false },
  ]);
  const urls: QueueUrls = {
    queues: { events: made['app-events.fifo'] as string },
    deadLetters: { events: made['app-events-dlq.fifo'] as string },
    failures: { relay: made['app-relay-failures'] as string },
  };
  const kept = keptDelivery({
    system,
    queueUrls: urls,
    sqs,
    memory: { inspect: emulator.inspect, dir: join(dir, 'queues') },
  });
  const relay = kept.checkpointFor('relay', fileCheckpoint(join(dir, 'checkpoints'), 'relay'));
  const stack = { emulator, sqs, urls, kept, relay };
  running.push(stack);
  return stack;
}

async function stop(stack: Stack) {
  await stack.kept.stop();
  stack.sqs.destroy();
  await stack.emulator.stop();
  running.splice(running.indexOf(stack), 1);
}

const saved = () => fileCheckpoint(join(dir, 'checkpoints'), 'relay').load();

async function sendEvent(s: Stack, id: string) {
  await s.sqs.send(
    new SendMessageCommand({
      QueueUrl: s.urls.queues.events,
      MessageBody: JSON.stringify({ eventId: id }),
      MessageGroupId: `group-${id}`,
      MessageDeduplicationId: id,
      MessageAttributes: { eventType: { DataType: 'String', StringValue: 'OrderPaid' } },
    }),
  );
}

async function receive(s: Stack, url: string) {
  const out = await s.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
    }),
  );
  return out.Messages ?? [];
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coffee-kept-'));
});
afterEach(async () => {
  for (const s of [...running]) await stop(s);
  await rm(dir, { recursive: true, force: true });
});

describe('kept delivery on the in-memory SQS emulator', () => {
  it('holds the relay position while its message is queued or in flight; writes it once deleted', async () => {
    const s = await start();
    s.kept.start(20);
    await sendEvent(s, 'order-1@2');
    await s.relay.save('200'); // the relay reports record 200 sent
    await sleep(150);
    expect(await saved()).toBeUndefined();

    const [message] = await receive(s, s.urls.queues.events as string); // in flight now
    await sleep(150);
    expect(await saved()).toBeUndefined();

    await s.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: s.urls.queues.events,
        ReceiptHandle: message?.ReceiptHandle,
      }),
    );
    await sleep(150);
    expect(await saved()).toBe('200');
  });

  it('moves past a dead-lettered message only once the dead letter is on disk, and restores it', async () => {
    const first = await start();
    first.kept.start(20);
    await sendEvent(first, 'order-2@2');
    await first.relay.save('300');
    // Received and given back without a delete: the next receive moves it to the DLQ.
    const [message] = await receive(first, first.urls.queues.events as string);
    await first.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: first.urls.queues.events,
        ReceiptHandle: message?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    expect(await receive(first, first.urls.queues.events as string)).toEqual([]);
    expect(first.emulator.inspect(first.urls.deadLetters.events as string)).toHaveLength(1);
    await sleep(150);
    expect(await saved()).toBe('300');
    const file = JSON.parse(
      await readFile(join(dir, 'queues', 'app-events-dlq.fifo.json'), 'utf8'),
    );
    expect(file).toEqual([
      expect.objectContaining({
        body: JSON.stringify({ eventId: 'order-2@2' }),
        groupId: 'group-order-2@2',
      }),
    ]);

    // The emulator goes away with the process and what it held with it; a new one starts.
    await stop(first);
    const second = await start();
    expect(await second.kept.restore()).toBe(1);
    const [back] = await receive(second, second.urls.deadLetters.events as string);
    expect(back?.Body).toBe(JSON.stringify({ eventId: 'order-2@2' }));
    expect(back?.Attributes?.MessageGroupId).toBe('group-order-2@2');
    expect(back?.MessageAttributes?.eventType?.StringValue).toBe('OrderPaid');
  });

  it('keeps a failure notice as soon as it is sent, and restores it into a new emulator', async () => {
    const first = await start();
    const notice = JSON.stringify({ DDBStreamBatchInfo: { startSequenceNumber: '400' } });
    await first.sqs.send(
      new SendMessageCommand({ QueueUrl: first.urls.failures.relay, MessageBody: notice }),
    );
    await first.kept.keep();
    await stop(first);
    const second = await start();
    expect(await second.kept.restore()).toBe(1);
    const [back] = await receive(second, second.urls.failures.relay as string);
    expect(back?.Body).toBe(notice);
    // Restored content stays kept: the next look writes it again, not an empty file.
    await second.kept.keep();
    const file = JSON.parse(await readFile(join(dir, 'queues', 'app-relay-failures.json'), 'utf8'));
    expect(file).toHaveLength(1);
  });

  it('passes the position straight through for a consumer that sends to no queue', async () => {
    const s = await start();
    const projector = s.kept.checkpointFor(
      'projector',
      fileCheckpoint(join(dir, 'checkpoints'), 'projector'),
    );
    await sendEvent(s, 'order-3@2'); // queued, but not the projector's business
    await projector.save('500');
    expect(await fileCheckpoint(join(dir, 'checkpoints'), 'projector').load()).toBe('500');
  });
});
