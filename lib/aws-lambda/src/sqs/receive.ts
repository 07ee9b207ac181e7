/** A ReceiveMessage request asking for every system and message attribute, as Lambda's poller does. */
import type { QueueAttributeName } from '@aws-sdk/client-sqs';

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
