/**
 * Queues whose content must outlive the in-memory SQS emulator (dead-letter queues, stream
 * failure queues) copied to `DATA_DIR/queues/<name>.json`, and put back when `npm start` starts
 * again. Nothing else keeps these messages: they were taken out of the flow on purpose.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueuedMessage } from './sqsEmulator.ts';

export interface QueueMirror {
  /** Sends what the files hold back into their (new, empty) queues; the number of messages. */
  restore(): Promise<number>;
  /** Writes the content of every queue that changed since the last write. */
  save(): Promise<void>;
}

type Kept = Pick<QueuedMessage, 'body' | 'attributes' | 'groupId' | 'deduplicationId'>;

/**
 * @example
 * const mirror = queueMirror({ dir: '.data/queues', client, queues: [dlqUrl],
 *   inspect: (url) => emulator.inspect(url) });
 * await mirror.restore(); // once, before any consumer runs
 * await mirror.save();    // whenever a message may have landed
 */
export function queueMirror(options: {
  readonly dir: string;
  readonly client: SQSClient;
  /** Queue URLs; the file is named after the queue. */
  readonly queues: readonly string[];
  readonly inspect: (queueUrl: string) => readonly QueuedMessage[] | undefined;
}): QueueMirror {
  const fileOf = (url: string) => join(options.dir, `${url.split('/').at(-1)}.json`);
  const written = new Map<string, string>();
  let running: Promise<void> = Promise.resolve();

  const saveOnce = async () => {
    for (const url of options.queues) {
      const messages = options.inspect(url) ?? [];
      const signature = messages.map((m) => m.messageId).join(',');
      if (written.get(url) === signature) continue;
      const kept: Kept[] = messages.map((m) => ({
        body: m.body,
        attributes: m.attributes,
        ...(m.groupId === undefined ? {} : { groupId: m.groupId }),
        ...(m.deduplicationId === undefined ? {} : { deduplicationId: m.deduplicationId }),
      }));
      await mkdir(options.dir, { recursive: true });
      const file = fileOf(url);
      // Write, then rename: a kill in the middle leaves the previous content, not half a file.
      await writeFile(`${file}.tmp`, JSON.stringify(kept));
      await rename(`${file}.tmp`, file);
      written.set(url, signature);
    }
  };

  return {
    restore: async () => {
      let restored = 0;
      for (const url of options.queues) {
        const text = await readFile(fileOf(url), 'utf8').catch(() => '[]');
        const kept = JSON.parse(text) as Kept[];
        for (let i = 0; i < kept.length; i += 10) {
          await sendBatch(options.client, url, kept.slice(i, i + 10));
        }
        restored += kept.length;
      }
      return restored;
    },
    save: () => {
      // One at a time: two overlapping writes of a file could land out of order.
      running = running.then(saveOnce, saveOnce);
      return running;
    },
  };
}

async function sendBatch(client: SQSClient, queueUrl: string, messages: readonly Kept[]) {
  const out = await client.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((m, j) => ({
        Id: String(j),
        MessageBody: m.body,
        ...(Object.keys(m.attributes).length > 0 ? { MessageAttributes: m.attributes } : {}),
        ...(m.groupId === undefined ? {} : { MessageGroupId: m.groupId }),
        ...(m.deduplicationId === undefined ? {} : { MessageDeduplicationId: m.deduplicationId }),
      })),
    }),
  );
  const failed = out.Failed ?? [];
  if (failed.length > 0) {
    throw new Error(
      `Could not restore ${failed.length} message(s) to ${queueUrl}: ${failed[0]?.Message}`,
    );
  }
}
