/**
 * `coffee-es dlq redrive` cut short by SIGTERM, then run again, loses nothing and duplicates
 * nothing: the first signal lets it finish the message it is moving and shows the ones it held
 * again at once, so the second run moves exactly the rest. The CLI reaches SQS through a proxy
 * that slows each send, so that the signal lands mid-way; the runtime runs no consumers, so
 * every message can be counted where it ends.
 */
import { resolve } from 'node:path';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type LocalRuntime, sqsClientFor, startLocalRuntime } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../../functions/app/system.ts';
import { type FaultProxy, startFaultProxy } from '../../support/faultProxy.ts';
import { dynamoEndpoint } from '../../support/localStack.ts';
import { type QueueCli, queueCli, waitFor } from './queueCli.ts';

const count = 200;
let runtime: LocalRuntime;
let proxy: FaultProxy;
let sqs: SQSClient;
let cli: QueueCli;
beforeAll(async () => {
  runtime = await startLocalRuntime({
    system,
    root: resolve(import.meta.dirname, '../../..'),
    port: 0,
    dynamoEndpoint: dynamoEndpoint(),
    accessKeyId: `cliDlqCut${Math.random().toString(36).slice(2, 8)}`,
    logLevel: 'SILENT',
    workers: false,
  });
  sqs = sqsClientFor(runtime.sqsEndpoint as string);
  proxy = await startFaultProxy(runtime.sqsEndpoint as string);
  cli = await queueCli(runtime, { sqsEndpoint: proxy.endpoint });
});
afterAll(async () => {
  sqs?.destroy();
  await cli?.close();
  await proxy?.close();
  await runtime?.stop();
});

const urls = () => ({
  queue: runtime.queueUrls?.queues.events as string,
  deadLetters: runtime.queueUrls?.deadLetters.events as string,
});

/** Takes every message of a queue; their bodies. */
async function drain(queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((m) => m.Body ?? ''));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

interface Redriven {
  redriven: { queue: string; method: string; messages: number }[];
  interrupted: boolean;
}

describe('coffee-es dlq redrive, interrupted', { timeout: 240_000 }, () => {
  it('stops after the message it is moving at SIGTERM; run again, it moves exactly the rest', async () => {
    for (let i = 0; i < count; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: urls().deadLetters,
          Entries: Array.from({ length: 10 }, (_, j) => ({
            Id: String(j),
            MessageBody: JSON.stringify({ n: i + j }),
            // One group each: a FIFO receive hands out one message per group.
            MessageGroupId: `g${i + j}`,
            MessageDeduplicationId: `d${i + j}`,
          })),
        }),
      );
    }
    // Peeks see up to --max (default 100) different messages, and take none of them: the
    // redrives below move all of them.
    // One after the other: a peek hides what it has seen from another until it is done.
    const few = await cli.run('dlq', 'peek', 'events', '--max', '15', '--json');
    const many = await cli.run('dlq', 'peek', 'events', '--json');
    const ids = (run: { stdout: string }) =>
      new Set(
        (JSON.parse(run.stdout) as { messages: { messageId: string }[] }).messages.map(
          (m) => m.messageId,
        ),
      );
    expect(ids(few).size).toBe(15);
    expect(ids(many).size).toBe(100);

    proxy.inject({ operation: 'SendMessage', fault: 'delay', delayMs: 40 });
    const sends = () => proxy.calls.filter((c) => c.operation === 'SendMessage').length;

    const cut = cli.spawn('dlq', 'redrive', 'events', '--json');
    await waitFor(() => sends() >= 20, 120, 'the redrive under way');
    cut.child.kill('SIGTERM');
    const first = await cut.done;
    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toContain('Stopping after the current item');
    const moved = (JSON.parse(first.stdout) as Redriven).redriven[0]?.messages ?? 0;
    expect(first.stdout).toContain('"interrupted": true');
    expect(moved).toBeGreaterThanOrEqual(20);
    expect(moved).toBeLessThan(count);

    const rest = await cli.run('dlq', 'redrive', 'events', '--json');
    expect(rest.code, rest.stderr).toBe(0);
    expect((JSON.parse(rest.stdout) as Redriven).redriven[0]?.messages).toBe(count - moved);

    const bodies = await drain(urls().queue);
    expect(bodies).toHaveLength(count);
    expect(new Set(bodies).size).toBe(count);
    expect(await drain(urls().deadLetters)).toEqual([]);
  });
});
