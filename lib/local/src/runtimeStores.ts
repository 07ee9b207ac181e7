/**
 * What the local runtime stores data in: DynamoDB Local (started here, or an endpoint already
 * running) with the declared tables, the SQS emulator (likewise) with the declared queues, and
 * the environment variables that tell the functions where they are.
 */
import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import { ensureTables } from '@coffee-es/dynamodb';
import { clientFor, type DynamoDbLocal, startDynamoDbLocal } from './dynamoDbLocal.ts';
import { type SqsEmulator, sqsClientFor, startSqsEmulator } from './sqsEmulator.ts';
import { ensureSystemQueues, type QueueUrls } from './workers.ts';

/** What each started piece needs done at stop, pushed in start order (stopped in reverse). */
export type Stops = (() => Promise<void>)[];

/** Where to find or keep the data stores. */
export interface StoreOptions {
  readonly system: SystemDeclaration<never>;
  readonly dataDir?: string;
  readonly dynamoEndpoint?: string;
  readonly sqsEndpoint?: string;
  readonly visibilityTimeoutSeconds?: number;
}

/** Physical table name of a logical table, locally. */
export const localTableName = (service: string, table: string) => `${service}-${table}`;

export async function startDynamo(
  options: StoreOptions,
  stops: Stops,
  log: (message: string) => void,
): Promise<string> {
  if (options.dynamoEndpoint) return options.dynamoEndpoint;
  const dynamo: DynamoDbLocal = await startDynamoDbLocal(
    options.dataDir === undefined ? {} : { dataDir: options.dataDir },
  );
  stops.push(() => dynamo.stop());
  log(`DynamoDB Local on ${dynamo.endpoint} (${options.dataDir ?? 'in memory'})`);
  return dynamo.endpoint;
}

/** Creates the declared tables that are missing, named `<service>-<table>`. */
export async function createTables(
  system: SystemDeclaration<never>,
  endpoint: string,
  accessKeyId: string,
  region: string,
) {
  const client = clientFor(endpoint, accessKeyId, region);
  const tableNames: Record<string, string> = {};
  const specs: Record<string, (typeof system.tables)[string]> = {};
  for (const [logical, spec] of Object.entries(system.tables)) {
    tableNames[logical] = localTableName(system.service, logical);
    specs[localTableName(system.service, logical)] = spec;
  }
  const created = await ensureTables(client, specs).finally(() => client.destroy());
  const streamArns: Record<string, string | undefined> = {};
  for (const [logical, physical] of Object.entries(tableNames)) {
    streamArns[logical] = created[physical]?.streamArn;
  }
  return { tableNames, streamArns };
}

/** The SQS emulator (unless an endpoint is given) and the declared queues, when there are any. */
export async function startQueues(
  options: StoreOptions,
  stops: Stops,
  log: (message: string) => void,
): Promise<{ endpoint: string; urls: QueueUrls; emulator?: SqsEmulator } | undefined> {
  const { system } = options;
  const needed =
    Object.keys(system.queues).length > 0 || Object.keys(system.streamConsumers).length > 0;
  if (!needed) return undefined;
  let endpoint = options.sqsEndpoint;
  let emulator: SqsEmulator | undefined;
  if (!endpoint) {
    const started = await startSqsEmulator();
    emulator = started;
    stops.push(() => started.stop());
    endpoint = emulator.endpoint;
    log(`SQS emulator on ${endpoint}`);
  }
  const sqs = sqsClientFor(endpoint);
  const urls = await ensureSystemQueues(sqs, system, {
    ...(options.visibilityTimeoutSeconds === undefined
      ? {}
      : { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }),
  }).finally(() => sqs.destroy());
  return { endpoint, urls, ...(emulator ? { emulator } : {}) };
}

/** The queues' URLs, and the failure queue's of a stream consumer that sets records aside itself. */
export function queueVariables(
  system: SystemDeclaration<never>,
  queues: { endpoint: string; urls: QueueUrls },
): Record<string, string> {
  const variables: Record<string, string> = { SQS_ENDPOINT: queues.endpoint };
  for (const [logical, queue] of Object.entries(system.queues)) {
    variables[queue.envVar] = queues.urls.queues[logical] as string;
  }
  for (const [name, consumer] of Object.entries(system.streamConsumers)) {
    const url = queues.urls.failures[name];
    if (consumer.failureQueueEnvVar && url) variables[consumer.failureQueueEnvVar] = url;
  }
  return variables;
}
