/**
 * What `coffee-es failures` needs of a stream consumer: its failure queue, its stream, its
 * filter, and its own handler function, loaded here with the configuration its Lambda has (the
 * tables and queues, found like every other command finds them).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { StreamConsumerDeclaration, SystemDeclaration } from '@coffee-es/aws-lambda';
import { localFailureQueueName } from '../../systemQueues.ts';
import { filterOf } from '../../workers.ts';
import type { Endpoints } from '../endpoints.ts';

type Consumer = StreamConsumerDeclaration<string, string>;

/** `<CONSUMER>_FAILURES_QUEUE_URL`: where a deployed consumer's failure queue is named. */
export const failureQueueVariable = (consumer: string) =>
  `${consumer.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_FAILURES_QUEUE_URL`;

/** The consumer's failure queue: named in the environment, or the local one. */
export async function failureQueueUrl(
  system: SystemDeclaration<never>,
  name: string,
  endpoints: Endpoints,
  sqs: SQSClient,
): Promise<string> {
  const consumer = system.streamConsumers[name] as Consumer;
  const named =
    endpoints.failures?.[name] ??
    process.env[failureQueueVariable(name)] ??
    (consumer.failureQueueEnvVar ? process.env[consumer.failureQueueEnvVar] : undefined);
  if (named) return named;
  if (endpoints.source !== 'local') {
    throw new Error(
      `${failureQueueVariable(name)} is needed (the stack's ${name} failure queue; a stack deployed with this version outputs it as ${name[0]?.toUpperCase()}${name.slice(1)}FailureQueueUrl)`,
    );
  }
  const queueName = localFailureQueueName(system.service, name);
  const out = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  if (!out.QueueUrl) throw new Error(`No queue ${queueName}`);
  return out.QueueUrl;
}

/** A DynamoDB Streams client beside the DynamoDB one. */
export const streamsClientOf = (e: Endpoints) =>
  new DynamoDBStreamsClient({
    region: e.region,
    ...(e.dynamoEndpoint ? { endpoint: e.dynamoEndpoint } : {}),
    ...(e.accessKeyId
      ? { credentials: { accessKeyId: e.accessKeyId, secretAccessKey: 'local' } }
      : {}),
  });

/** The consumer's table and its stream. */
export async function consumerTable(
  system: SystemDeclaration<never>,
  name: string,
  endpoints: Endpoints,
  dynamo: DynamoDBClient,
): Promise<{ tableName: string; streamArn: string }> {
  const consumer = system.streamConsumers[name] as Consumer;
  const tableName = endpoints.tables[consumer.table];
  if (!tableName) throw new Error(`No table ${consumer.table} (set its table name)`);
  const out = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  return { tableName, streamArn: out.Table?.LatestStreamArn ?? '' };
}

export const consumerFilter = (system: SystemDeclaration<never>, name: string) =>
  filterOf(system.streamConsumers[name] as Consumer);

/**
 * The consumer's handler, its module loaded after the configuration its Lambda has is set
 * (handlers read it once, when they load); its logs silenced unless LOG_LEVEL says otherwise.
 */
export async function loadConsumerHandler(
  system: SystemDeclaration<never>,
  name: string,
  root: string,
  endpoints: Endpoints,
  failureQueue: string,
): Promise<(event: never) => Promise<unknown>> {
  const consumer = system.streamConsumers[name] as Consumer;
  const env: Record<string, string> = {
    AWS_REGION: endpoints.region,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'SILENT',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    ...(endpoints.dynamoEndpoint ? { DYNAMODB_ENDPOINT: endpoints.dynamoEndpoint } : {}),
    ...(endpoints.sqsEndpoint ? { SQS_ENDPOINT: endpoints.sqsEndpoint } : {}),
    ...(endpoints.accessKeyId
      ? { AWS_ACCESS_KEY_ID: endpoints.accessKeyId, AWS_SECRET_ACCESS_KEY: 'local' }
      : {}),
    ...(consumer.failureQueueEnvVar ? { [consumer.failureQueueEnvVar]: failureQueue } : {}),
  };
  for (const [logical, spec] of Object.entries(system.tables)) {
    const physical = endpoints.tables[logical];
    if (physical) env[spec.envVar] = physical;
  }
  for (const [logical, queue] of Object.entries(system.queues)) {
    const url = endpoints.queues[logical];
    if (url) env[queue.envVar] = url;
  }
  Object.assign(process.env, env);
  const module: Record<string, unknown> = await import(
    pathToFileURL(resolve(root, consumer.entry)).href
  );
  const handler = module[consumer.handler ?? 'handler'];
  if (typeof handler !== 'function') {
    throw new TypeError(`${consumer.entry} exports no function ${consumer.handler ?? 'handler'}`);
  }
  return handler as (event: never) => Promise<unknown>;
}
