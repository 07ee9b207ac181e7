/**
 * The declared queues, each with its dead-letter queue: a message that fails `maxReceiveCount`
 * times moves there instead of blocking its message group forever.
 */

import type { QueueDeclaration } from '@coffee-es/aws-lambda';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  DeduplicationScope,
  FifoThroughputLimit,
  Queue,
  QueueEncryption,
  RedrivePermission,
} from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { pascal } from './systemTables.ts';

/** The declared queues, and whether they (and their dead letters) outlive the stack. */
export interface SystemQueuesProps {
  readonly queues: Readonly<Record<string, QueueDeclaration>>;
  /** Kept in production, so that dead letters outlive the stack. Default DESTROY. */
  readonly removalPolicy?: RemovalPolicy;
  /** One KMS key of this stack for every queue, rotated yearly (prod); else the AWS-managed key. */
  readonly customerManagedKey: boolean;
}

/** A declared queue and the dead-letter queue it redrives to. */
export interface QueuePair {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly declaration: QueueDeclaration;
}

/**
 * One SQS queue (FIFO when declared so) and one dead-letter queue of the same kind per declared
 * queue. Encrypted with KMS (the stack's key, or AWS's for SQS), TLS-only, no physical names.
 *
 * @example
 * ```ts
 * const queues = new SystemQueues(this, 'Queues', { queues: system.queues });
 * queues.get('events').queue.grantSendMessages(fn);
 * ```
 */
export class SystemQueues extends Construct {
  readonly #pairs = new Map<string, QueuePair>();
  /** The key of every queue of the system (failure destinations too), when it has its own. */
  readonly key: Key | undefined;

  constructor(scope: Construct, id: string, props: SystemQueuesProps) {
    super(scope, id);
    this.key = props.customerManagedKey
      ? new Key(this, 'Key', {
          description: 'Encrypts the queues: relayed events, dead letters, stream failures',
          enableKeyRotation: true,
          // Dead letters of a prod stack are kept, and unreadable without it.
          removalPolicy: RemovalPolicy.RETAIN,
        })
      : undefined;
    for (const [name, declaration] of Object.entries(props.queues)) {
      this.#pairs.set(name, this.#pair(name, declaration, props.removalPolicy));
    }
  }

  /** The queue declared under `name`; throws for an undeclared one. */
  get(name: string): QueuePair {
    const pair = this.#pairs.get(name);
    if (!pair) throw new Error(`No queue ${name} is declared`);
    return pair;
  }

  /** Every declared queue, by name. */
  entries(): [string, QueuePair][] {
    return [...this.#pairs.entries()];
  }

  /** Queue encryption props: the stack's key, or the AWS-managed `alias/aws/sqs`. */
  encryption() {
    return this.key
      ? { encryption: QueueEncryption.KMS, encryptionMasterKey: this.key }
      : { encryption: QueueEncryption.KMS_MANAGED };
  }

  #pair(name: string, declaration: QueueDeclaration, removalPolicy?: RemovalPolicy): QueuePair {
    const common = {
      ...this.encryption(),
      enforceSSL: true,
      removalPolicy: removalPolicy ?? RemovalPolicy.DESTROY,
      ...(declaration.fifo ? { fifo: true } : {}),
    };
    const deadLetterQueue = new Queue(this, `${pascal(name)}DeadLetters`, {
      ...common,
      // The longest SQS allows: time to find the bug and redrive.
      retentionPeriod: Duration.days(14),
      // Only the queue it serves should move messages here; a queue ARN cannot be named without a
      // cycle (the source's redrive policy names this queue), so the permission stays open to
      // queues of this account, which is what SQS allows by default.
      redriveAllowPolicy: { redrivePermission: RedrivePermission.ALLOW_ALL },
    });
    const queue = new Queue(this, pascal(name), {
      ...common,
      visibilityTimeout: Duration.seconds(declaration.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: declaration.maxReceiveCount },
      // One message group per entity stream: high-throughput FIFO limits per group, not per queue.
      ...(declaration.fifo
        ? {
            deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
            fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
          }
        : {}),
    });
    return { queue, deadLetterQueue, declaration };
  }
}
