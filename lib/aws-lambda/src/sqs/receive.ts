/** A ReceiveMessage request asking for every system and message attribute, as Lambda's poller does. */
import type { QueueAttributeName } from '@aws-sdk/client-sqs';

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
