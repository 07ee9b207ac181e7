/**
 * A function on a declared queue: partial batch responses (only failed messages come back) and a
 * concurrency cap, so that a backlog cannot exhaust the account's concurrency or the tables.
 */

import type { QueueConsumerDeclaration } from '@coffee-es/aws-lambda';
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type { SystemFunction } from './systemFunction.ts';
import type { QueuePair } from './systemQueues.ts';

/** The function, the queue it consumes and the consumer's declaration. */
export interface QueueConsumerProps {
  readonly fn: SystemFunction;
  readonly queue: QueuePair;
  readonly declaration: QueueConsumerDeclaration<string, string>;
}

/** Lambda's advice for SQS sources: a visibility timeout of at least six function timeouts. */
export const visibilityTimeoutFactor = 6;

/**
 * The event-source mapping of a declared queue consumer. Fails the synth when the queue's
 * visibility timeout is too short for the function's timeout and retries.
 *
 * @example
 * ```ts
 * new QueueConsumer(this, 'Loyalty', { fn, queue: queues.get('events'), declaration });
 * ```
 */
export class QueueConsumer extends Construct {
  constructor(scope: Construct, id: string, props: QueueConsumerProps) {
    super(scope, id);
    const timeout = props.fn.function.timeout ?? Duration.seconds(3);
    const visibility = props.queue.declaration.visibilityTimeoutSeconds;
    if (visibility < visibilityTimeoutFactor * timeout.toSeconds()) {
      throw new Error(
        `${id}: the queue's visibility timeout (${visibility} s) must be at least ${visibilityTimeoutFactor} times the function's timeout (${timeout.toSeconds()} s)`,
      );
    }
    props.fn.function.addEventSource(
      new SqsEventSource(props.queue.queue, {
        batchSize: props.declaration.batchSize,
        maxConcurrency: props.declaration.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
  }
}
