/**
 * The stack's outputs: what the operational commands (`coffee-es … --stack`, `npm run rebuild`,
 * `npm run redrive`) read, under the environment variable names they use (each output's
 * description says which), and where the API and the operator console are.
 */
import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import { CfnOutput } from 'aws-cdk-lib';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { SystemQueues } from './systemQueues.ts';
import { pascal, type SystemTables } from './systemTables.ts';

export interface StackOutputsProps {
  readonly system: SystemDeclaration<never>;
  readonly tables: SystemTables;
  readonly queues: SystemQueues;
  /** The failure queue of each stream consumer. */
  readonly failureQueues: ReadonlyMap<string, IQueue>;
  /** The API's base URL (ends with a slash). */
  readonly apiUrl: string;
  /** Whether the operator console is deployed (under `/_console/`). */
  readonly console: boolean;
}

/** Adds the outputs to `stack`. */
export function stackOutputs(stack: Construct, props: StackOutputsProps): void {
  new CfnOutput(stack, 'ApiUrl', { value: props.apiUrl, description: 'Base URL of the HTTP API' });
  if (props.console) {
    new CfnOutput(stack, 'ConsoleUrl', {
      value: `${props.apiUrl}_console/`,
      description: 'The operator console: its page, and its API for the declared operators',
    });
  }
  for (const name of Object.keys(props.system.tables)) {
    const { table, declaration } = props.tables.get(name);
    new CfnOutput(stack, `${pascal(name)}TableName`, {
      value: table.tableName,
      description: `${declaration.envVar}: the ${name} table`,
    });
  }
  for (const [name, pair] of props.queues.entries()) {
    new CfnOutput(stack, `${pascal(name)}QueueUrl`, {
      value: pair.queue.queueUrl,
      description: `${pair.declaration.envVar}: the ${name} queue`,
    });
    new CfnOutput(stack, `${pascal(name)}DeadLetterQueueUrl`, {
      value: pair.deadLetterQueue.queueUrl,
      description: `Dead-letter queue of ${name}: inspect it, then npm run redrive -- ${name}`,
    });
  }
  for (const [name, queue] of props.failureQueues) {
    new CfnOutput(stack, `${pascal(name)}FailureQueueUrl`, {
      value: queue.queueUrl,
      description: `What stream consumer ${name} set aside: coffee-es failures list|redrive ${name}`,
    });
  }
}
