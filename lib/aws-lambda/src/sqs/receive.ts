/**
 * Receiving as Lambda's poller does (every system and message attribute), and handing received
 * messages back to the queue at once.
 */
import {
  ChangeMessageVisibilityCommand,
  type Message,
  type QueueAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/**
 * A `ReceiveMessage` input asking for every system and message attribute, as Lambda's poller
 * does, so that a local poller hands the same records.
 */
export const receiveInput = (
  QueueUrl: string,
  MaxNumberOfMessages: number,
  WaitTimeSeconds: number,
) => ({
  QueueUrl,
  MaxNumberOfMessages,
  WaitTimeSeconds,
  AttributeNames: ['All' as QueueAttributeName],
  MessageSystemAttributeNames: ['All' as const],
  MessageAttributeNames: ['All'],
});

/**
 * Received messages visible again now, rather than when their visibility timeout ends. Best
 * effort, one by one: a message whose change fails shows again when its timeout ends.
 */
export async function showAgain(
  client: SQSClient,
  queueUrl: string,
  messages: readonly Message[],
): Promise<void> {
  for (const m of messages) {
    await client
      .send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      )
      .catch(() => undefined);
  }
}
