/**
 * SQS for local runs and integration tests: fauxqs started in-process (its CLI logs every request
 * and binds 0.0.0.0), bound to 127.0.0.1 on a free port, plus the queues the app declares.
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type QueueAttributeName,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { freePort } from './freePort.ts';

/** A message as the emulator holds it, whether ready, delayed or in flight. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, { DataType: string; StringValue?: string }>>;
  /** Epoch milliseconds, by this process's clock (the emulator runs in-process). */
  readonly sentTimestamp: number;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

/** A running SQS emulator: its endpoint, a look into its queues, and `stop()`. */
export interface SqsEmulator {
  readonly endpoint: string;
  readonly port: number;
  /**
   * Everything a queue holds (by URL or name) without touching it: ready, delayed and in flight
   * (received, not yet deleted); undefined when there is no such queue.
   */
  inspect(queue: string): QueuedMessage[] | undefined;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs on 127.0.0.1.
 *
 * @example
 * ```ts
 * const sqs = await startSqsEmulator();
 * const client = sqsClientFor(sqs.endpoint);
 * // ...
 * await sqs.stop();
 * ```
 */
export async function startSqsEmulator(options: { port?: number } = {}): Promise<SqsEmulator> {
  const port = options.port ?? (await freePort());
  const server = await startFauxqs({ port, host: '127.0.0.1', logger: false });
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    port: server.port,
    inspect: (queue) => {
      const state = server.inspectQueue(queue.split('/').at(-1) ?? queue);
      if (!state) return undefined;
      const { ready, delayed, inflight } = state.messages;
      return [...ready, ...delayed, ...inflight.map((entry) => entry.message)].map((m) => ({
        messageId: m.messageId,
        body: m.body,
        attributes: Object.fromEntries(
          Object.entries(m.messageAttributes).flatMap(([name, value]) =>
            // Binary attributes do not survive a copy to disk; nothing here sends any.
            value.StringValue === undefined
              ? []
              : [[name, { DataType: value.DataType, StringValue: value.StringValue }]],
          ),
        ),
        sentTimestamp: m.sentTimestamp,
        ...(m.messageGroupId === undefined ? {} : { groupId: m.messageGroupId }),
        ...(m.messageDeduplicationId === undefined
          ? {}
          : { deduplicationId: m.messageDeduplicationId }),
      }));
    },
    // Idempotent, so an afterAll and a process-exit hook can both call it.
    stop: () => {
      stopped ??= server.stop();
      return stopped;
    },
  };
}

/**
 * An SQS client for a local endpoint; fauxqs accepts any credentials.
 *
 * @example
 * const client = sqsClientFor('http://127.0.0.1:4566');
 */
export function sqsClientFor(endpoint: string): SQSClient {
  return new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
}

/** A queue to create on the emulator: its name, FIFO or not, and its dead-letter policy. */
export interface QueueSpec {
  /** FIFO queue names end in `.fifo`. */
  readonly name: string;
  readonly fifo?: boolean;
  readonly visibilityTimeoutSeconds?: number;
  readonly deadLetter?: { readonly name: string; readonly maxReceiveCount: number };
}

/**
 * Creates each queue (its dead-letter queue first, so the redrive policy can name its ARN) and
 * returns the URL of every queue created, dead-letter queues included. CreateQueue with the same
 * attributes is idempotent, so calling this twice is harmless.
 *
 * @example
 * const urls = await ensureQueues(client, [
 *   { name: 'relay.fifo', fifo: true, deadLetter: { name: 'relay-dlq.fifo', maxReceiveCount: 5 } },
 * ]);
 */
export async function ensureQueues(
  client: SQSClient,
  specs: readonly QueueSpec[],
): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  const create = async (name: string, fifo: boolean, extra: Record<string, string>) => {
    const attributes: Record<string, string> = { ...extra };
    if (fifo) {
      attributes.FifoQueue = 'true';
      // Producers always pass a deduplication id: content-based dedup would drop equal bodies.
      attributes.ContentBasedDeduplication = 'false';
    }
    const out = await client.send(
      new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
    );
    if (!out.QueueUrl) throw new Error(`CreateQueue ${name} returned no URL`);
    urls[name] = out.QueueUrl;
    return out.QueueUrl;
  };
  for (const spec of specs) {
    const fifo = spec.fifo ?? spec.name.endsWith('.fifo');
    const attributes: Record<string, string> = {};
    if (spec.visibilityTimeoutSeconds !== undefined) {
      attributes.VisibilityTimeout = String(spec.visibilityTimeoutSeconds);
    }
    if (spec.deadLetter) {
      // A FIFO queue needs a FIFO dead-letter queue on AWS (fauxqs does not check this).
      const dlqUrl = await create(spec.deadLetter.name, fifo, {});
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: await queueArn(client, dlqUrl),
        maxReceiveCount: spec.deadLetter.maxReceiveCount,
      });
    }
    await create(spec.name, fifo, attributes);
  }
  return urls;
}

/**
 * The ARN of a queue, for redrive policies and `eventSourceARN`.
 *
 * @example
 * const arn = await queueArn(client, urls['relay.fifo']);
 * @internal
 */
export async function queueArn(client: SQSClient, queueUrl: string): Promise<string> {
  const out = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['QueueArn' as QueueAttributeName],
    }),
  );
  const arn = out.Attributes?.QueueArn;
  if (!arn) throw new Error(`No QueueArn for ${queueUrl}`);
  return arn;
}
