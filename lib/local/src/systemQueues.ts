/**
 * The declared queues on the SQS emulator: each queue with its dead-letter queue, and a failure
 * queue (the on-failure destination) per stream consumer.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import { ensureQueues, type QueueSpec } from './sqsEmulator.ts';

/** Physical queue names locally. */
export const localQueueNames = (service: string, queue: string, fifo: boolean) => {
  const suffix = fifo ? '.fifo' : '';
  return { queue: `${service}-${queue}${suffix}`, deadLetter: `${service}-${queue}-dlq${suffix}` };
};
/** Physical name of a stream consumer's failure queue (its on-failure destination), locally. */
export const localFailureQueueName = (service: string, consumer: string) =>
  `${service}-${consumer}-failures`;

/** The URLs of the declared queues, their dead-letter queues and the failure queues, locally. */
export interface QueueUrls {
  /** By logical queue name. */
  readonly queues: Readonly<Record<string, string>>;
  readonly deadLetters: Readonly<Record<string, string>>;
  /** The on-failure destination of each stream consumer. */
  readonly failures: Readonly<Record<string, string>>;
}

/** Creates the declared queues, their dead-letter queues and the stream failure queues. */
export async function ensureSystemQueues(
  client: SQSClient,
  system: SystemDeclaration<never>,
  options: { readonly visibilityTimeoutSeconds?: number } = {},
): Promise<QueueUrls> {
  const specs: QueueSpec[] = [];
  const names: Record<string, { queue: string; deadLetter: string }> = {};
  for (const [logical, queue] of Object.entries(system.queues)) {
    const fifo = queue.fifo ?? false;
    names[logical] = localQueueNames(system.service, logical, fifo);
    specs.push({
      name: names[logical].queue,
      fifo,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? queue.visibilityTimeoutSeconds,
      deadLetter: { name: names[logical].deadLetter, maxReceiveCount: queue.maxReceiveCount },
    });
  }
  for (const consumer of Object.keys(system.streamConsumers)) {
    specs.push({ name: localFailureQueueName(system.service, consumer), fifo: false });
  }
  const urls = await ensureQueues(client, specs);
  const pick = (name: string) => urls[name] as string;
  return {
    queues: Object.fromEntries(Object.entries(names).map(([l, n]) => [l, pick(n.queue)])),
    deadLetters: Object.fromEntries(Object.entries(names).map(([l, n]) => [l, pick(n.deadLetter)])),
    failures: Object.fromEntries(
      Object.keys(system.streamConsumers).map((c) => [
        c,
        pick(localFailureQueueName(system.service, c)),
      ]),
    ),
  };
}
