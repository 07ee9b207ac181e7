/**
 * A function on a table's stream with the safe defaults the declaration spells out: filter on the
 * new image, bisect on error, retries (bounded, or -1: until the record's age runs out) and
 * record age, partial batch responses, and an SQS on-failure destination so that one poison
 * record never blocks its shard. A consumer with unlimited retries sets its poison aside itself:
 * it gets the failure queue's URL and the right to send to it.
 */

import type { StreamConsumerDeclaration } from '@coffee-es/aws-lambda';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import {
  type DlqDestinationConfig,
  FilterCriteria,
  FilterRule,
  type IEventSourceDlq,
  StartingPosition,
} from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type IQueue, Queue, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantSend, type SystemFunction } from './systemFunction.ts';

/** The function, the table whose stream drives it and the consumer's declaration. */
export interface StreamConsumerProps {
  readonly fn: SystemFunction;
  readonly table: Table;
  readonly declaration: StreamConsumerDeclaration<string, string>;
  /** Kept in production, so that parked failures outlive the stack. Default DESTROY. */
  readonly removalPolicy?: RemovalPolicy;
  /** How the failure destination is encrypted: the system's queues' encryption. */
  readonly encryption: Pick<QueueProps, 'encryption' | 'encryptionMasterKey'>;
}

/**
 * The event-source mapping of a declared stream consumer and its failure destination.
 *
 * @example
 * ```ts
 * new StreamConsumer(this, 'Projector', { fn, table: journal, declaration: consumers.projector });
 * ```
 */
export class StreamConsumer extends Construct {
  /** Where Lambda records a batch it gave up on (its shard, sequence numbers, the error). */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    const { declaration } = props;
    this.failures = new Queue(this, 'Failures', {
      ...props.encryption,
      enforceSSL: true,
      // The longest SQS allows; the records themselves stay in the stream for only 24 hours.
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of a stream mapping; nothing consumes it automatically, so a dead-letter queue behind it would never receive anything.',
    });
    if (declaration.failureQueueEnvVar) {
      // The relay sets aside what can never be sent itself: its retries have no limit.
      props.fn.bindQueue(
        declaration.failureQueueEnvVar,
        this.failures,
        'send',
        props.encryption.encryptionMasterKey,
      );
    }
    props.fn.function.addEventSource(
      // jsii declares `tableStreamArn?: string` on ITable but `string | undefined` on Table, which
      // exactOptionalPropertyTypes tells apart; they are the same property.
      new DynamoEventSource(props.table as ITable, {
        // Projections and the relay must see every commit still in the stream, not only new ones.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: declaration.batchSize,
        bisectBatchOnError: declaration.bisectBatchOnFunctionError,
        retryAttempts: declaration.maximumRetryAttempts,
        maxRecordAge: Duration.seconds(declaration.maximumRecordAgeSeconds),
        reportBatchItemFailures: true,
        ...(declaration.parallelizationFactor === undefined
          ? {}
          : { parallelizationFactor: declaration.parallelizationFactor }),
        onFailure: new FailureDestination(
          props.fn,
          this.failures,
          props.encryption.encryptionMasterKey,
        ),
        ...(declaration.filter
          ? {
              filters: [
                FilterCriteria.filter({
                  dynamodb: {
                    NewImage: {
                      [declaration.filter.attribute]: {
                        S: declaration.filter.equals.flatMap((value) => FilterRule.isEqual(value)),
                      },
                    },
                  },
                }),
              ],
            }
          : {}),
      }),
    );
  }
}

/**
 * The mapping's on-failure queue, granting SendMessage alone (Lambda's `SqsDlq` adds
 * GetQueueAttributes and GetQueueUrl, and KMS action wildcards when the queue has a key).
 */
class FailureDestination implements IEventSourceDlq {
  constructor(
    private readonly fn: SystemFunction,
    private readonly queue: IQueue,
    private readonly key: QueueProps['encryptionMasterKey'],
  ) {}

  bind(): DlqDestinationConfig {
    grantSend(this.fn.role, this.queue, this.key);
    return { destination: this.queue.queueArn };
  }
}
