/**
 * Starts what the operator console needs in a local runtime: clients on its tables and queues,
 * the write meter on the journal's stream, and the mount the HTTP server serves it from.
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { forbidden, type SystemDeclaration } from '@coffee-es/aws-lambda';
import { DynamoJournal, DynamoReadModelReader } from '@coffee-es/dynamodb';
import { clientFor } from '../dynamoDbLocal.ts';
import { gatewayAuthorizer, type LocalAuth } from '../localAuth.ts';
import type { Stops } from '../runtimeStores.ts';
import { sqsClientFor } from '../sqsEmulator.ts';
import type { QueueUrls } from '../systemQueues.ts';
import { consoleMount, consolePath, type LocalMount } from './consoleMount.ts';
import { journalAndReadModels } from './operatorParts.ts';
import { startWriteMeter } from './writeMeter.ts';

export interface ConsoleSetting {
  readonly system: SystemDeclaration<never>;
  readonly dynamoEndpoint: string;
  readonly accessKeyId: string;
  readonly region: string;
  readonly tableNames: Readonly<Record<string, string>>;
  readonly streamArns: Readonly<Record<string, string | undefined>>;
  readonly sqsEndpoint?: string;
  readonly queueUrls?: QueueUrls;
  readonly auth?: LocalAuth;
}

export async function startConsole(setting: ConsoleSetting, stops: Stops): Promise<LocalMount> {
  for (const route of setting.system.routes) {
    if (route.path === consolePath || route.path.startsWith(`${consolePath}/`)) {
      throw new Error(`Route ${route.method} ${route.path} is under the console's ${consolePath}`);
    }
  }
  const dynamo = clientFor(setting.dynamoEndpoint, setting.accessKeyId, setting.region);
  stops.push(async () => dynamo.destroy());
  const logical = journalAndReadModels(setting.system);
  const journalTable = logical.journal ? setting.tableNames[logical.journal] : undefined;
  const readModelTable = logical.readModels ? setting.tableNames[logical.readModels] : undefined;
  const streamArn = logical.journal ? setting.streamArns[logical.journal] : undefined;

  const streams = new DynamoDBStreamsClient({
    endpoint: setting.dynamoEndpoint,
    region: setting.region,
    credentials: { accessKeyId: setting.accessKeyId, secretAccessKey: 'local' },
  });
  stops.push(async () => streams.destroy());
  const meter = startWriteMeter({ client: streams, streamArns: streamArn ? [streamArn] : [] });
  stops.push(() => meter.stop());

  const sqs = setting.sqsEndpoint ? sqsClientFor(setting.sqsEndpoint) : undefined;
  if (sqs) stops.push(async () => sqs.destroy());
  const authorize = setting.auth ? gatewayAuthorizer(setting.auth) : undefined;
  return consoleMount(
    {
      system: setting.system,
      ...(journalTable
        ? {
            journal: new DynamoJournal({ client: dynamo, tableName: journalTable }),
            journalTable: { client: dynamo, tableName: journalTable },
          }
        : {}),
      ...(readModelTable ? { readModels: new DynamoReadModelReader(dynamo, readModelTable) } : {}),
      ...(sqs ? { sqs } : {}),
      ...(setting.queueUrls ? { queueUrls: setting.queueUrls } : {}),
      meter,
    },
    // A valid token with a scope of the system's declared operators; no declaration, nobody.
    authorize && ((authorization) => authorizeOperator(setting.system, authorize, authorization)),
  );
}

async function authorizeOperator(
  system: SystemDeclaration<never>,
  authorize: ReturnType<typeof gatewayAuthorizer>,
  authorization: string | undefined,
): Promise<unknown> {
  const access = system.operators;
  if (!access) {
    await authorize({}, authorization); // a missing or bad token is still 401
    throw forbidden(
      'The system declares no `operators`: defineSystem({ operators: <access> }) says who may use the operator API',
    );
  }
  return authorize({ access }, authorization);
}
