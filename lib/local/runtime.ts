/**
 * The local runtime: the declared system on this machine. DynamoDB Local (started here, or an
 * endpoint already running), the declared tables, and the HTTP routes served through the local
 * API Gateway emulation by the very handler functions Lambda runs.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureTables } from '../dynamodb/tables.ts';
import type { SystemDeclaration } from '../system/declaration.ts';
import { clientFor, type DynamoDbLocal, startDynamoDbLocal } from './dynamoDbLocal.ts';
import {
  type LambdaHttpHandler,
  type LocalHttpServer,
  startLocalHttpServer,
} from './httpServer.ts';

export interface LocalRuntimeOptions {
  readonly system: SystemDeclaration<never>;
  /** The project root that function entries are relative to. */
  readonly root: string;
  readonly port?: number;
  readonly host?: string;
  /** Keep DynamoDB Local's data here (survives restarts); in memory when absent. */
  readonly dataDir?: string;
  /** Use this DynamoDB instead of starting one. */
  readonly dynamoEndpoint?: string;
  /** Dummy credentials; DynamoDB Local keeps one database per access key id. */
  readonly accessKeyId?: string;
  readonly region?: string;
  /** The functions' LOG_LEVEL (default INFO). */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  readonly log?: (message: string) => void;
}

export interface LocalRuntime {
  readonly url: string;
  readonly dynamoEndpoint: string;
  /** Physical table names by logical name. */
  readonly tableNames: Readonly<Record<string, string>>;
  readonly streamArns: Readonly<Record<string, string | undefined>>;
  /** The environment the functions were given. */
  readonly environment: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** Physical table name of a logical table, locally. */
export const localTableName = (service: string, table: string) => `${service}-${table}`;

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? (() => {});
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    let dynamo: DynamoDbLocal | undefined;
    if (!options.dynamoEndpoint) {
      dynamo = await startDynamoDbLocal(
        options.dataDir === undefined ? {} : { dataDir: options.dataDir },
      );
      stops.push(() => (dynamo as DynamoDbLocal).stop());
      log(`DynamoDB Local on ${dynamo.endpoint} (${options.dataDir ?? 'in memory'})`);
    }
    const dynamoEndpoint = options.dynamoEndpoint ?? (dynamo as DynamoDbLocal).endpoint;
    const accessKeyId = options.accessKeyId ?? 'local';
    const region = options.region ?? 'us-east-1';
    const client = clientFor(dynamoEndpoint, accessKeyId, region);
    const { system } = options;
    const tableNames: Record<string, string> = {};
    const specs: Record<string, (typeof system.tables)[string]> = {};
    for (const [logical, spec] of Object.entries(system.tables)) {
      tableNames[logical] = localTableName(system.service, logical);
      specs[localTableName(system.service, logical)] = spec;
    }
    const created = await ensureTables(client, specs);
    client.destroy();
    const streamArns: Record<string, string | undefined> = {};
    for (const [logical, physical] of Object.entries(tableNames)) {
      streamArns[logical] = created[physical]?.streamArn;
    }

    const environment: Record<string, string> = {
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'local',
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      LOG_LEVEL: options.logLevel ?? 'INFO',
    };
    for (const [logical, spec] of Object.entries(system.tables)) {
      environment[spec.envVar] = tableNames[logical] as string;
    }
    // Handlers parse their configuration once, when their module loads: set it first.
    Object.assign(process.env, environment);

    const handlers = new Map<string, LambdaHttpHandler>();
    for (const group of Object.values(system.routeGroups)) {
      const key = `${group.entry}#${group.handler ?? 'handler'}`;
      if (!handlers.has(key)) handlers.set(key, await loadHandler(options.root, group));
    }
    const server: LocalHttpServer = await startLocalHttpServer({
      routes: system.routes.map((route) => {
        const group = system.routeGroups[route.group];
        const key = `${group?.entry}#${group?.handler ?? 'handler'}`;
        return { route, handler: handlers.get(key) as LambdaHttpHandler };
      }),
      ...(options.port === undefined ? {} : { port: options.port }),
      host: options.host ?? '127.0.0.1',
    });
    stops.push(() => server.close());
    return { url: server.url, dynamoEndpoint, tableNames, streamArns, environment, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function loadHandler(
  root: string,
  code: { readonly entry: string; readonly handler?: string },
): Promise<LambdaHttpHandler> {
  const module: Record<string, unknown> = await import(
    pathToFileURL(resolve(root, code.entry)).href
  );
  const handler = module[code.handler ?? 'handler'];
  if (typeof handler !== 'function') {
    throw new TypeError(`${code.entry} exports no function ${code.handler ?? 'handler'}`);
  }
  return handler as LambdaHttpHandler;
}
