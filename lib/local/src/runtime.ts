/**
 * The local runtime: the declared system on this machine. DynamoDB Local and the SQS emulator
 * (started here, or endpoints already running), the declared tables and queues, the HTTP routes
 * served through the local API Gateway emulation, and the stream and queue workers: all calling
 * the very handler functions Lambda runs.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import { consolePath, type LocalMount } from './console/consoleMount.ts';
import { startConsole } from './console/startConsole.ts';
import { avoidPort } from './freePort.ts';
import {
  type LambdaHttpHandler,
  type LocalHttpServer,
  startLocalHttpServer,
} from './httpServer.ts';
import { gatewayAuthorizer, type LocalAuth } from './localAuth.ts';
import {
  createTables,
  queueVariables,
  type Stops,
  startDynamo,
  startQueues,
} from './runtimeStores.ts';
import { type SqsEmulator, sqsClientFor } from './sqsEmulator.ts';
import { type QueueUrls, startWorkers, type Workers } from './workers.ts';

export { localTableName } from './runtimeStores.ts';

/**
 * What to run locally: the system declaration, the project root its function entries are
 * relative to, where to listen and keep data, endpoints already running, and authorization.
 */
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
  /** Use this SQS endpoint instead of starting the emulator. */
  readonly sqsEndpoint?: string;
  /** Run the stream and queue workers (default true). */
  readonly workers?: boolean;
  /** Overrides every queue's visibility timeout (tests shorten it to see redelivery). */
  readonly visibilityTimeoutSeconds?: number;
  /** Dummy credentials; DynamoDB Local keeps one database per access key id. */
  readonly accessKeyId?: string;
  readonly region?: string;
  /**
   * Verify JWTs in front of every token route, as the deployed JWT authorizer does (see
   * `localAuth`); absent, every route is open (local development).
   */
  readonly auth?: LocalAuth;
  /** The functions' LOG_LEVEL (default INFO). */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** Serve the operator console and its API under `/_console/` (default true). */
  readonly console?: boolean;
  readonly log?: (message: string) => void;
}

/** A running local system: where it listens, its tables, queues and workers, and `stop()`. */
export interface LocalRuntime {
  readonly url: string;
  readonly dynamoEndpoint: string;
  /** Physical table names by logical name. */
  readonly tableNames: Readonly<Record<string, string>>;
  readonly streamArns: Readonly<Record<string, string | undefined>>;
  readonly sqsEndpoint: string | undefined;
  readonly queueUrls: QueueUrls | undefined;
  readonly workers: Workers | undefined;
  /** The operator console's address, unless it is off. */
  readonly consoleUrl: string | undefined;
  /** The environment the functions were given. */
  readonly environment: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Runs a declared system on this machine: starts DynamoDB Local and the SQS emulator (or uses the
 * endpoints given), creates the missing tables and queues, serves every route through the local
 * API Gateway emulation and runs the stream and queue workers, all calling the same handler
 * functions Lambda runs. `stop()` drains and stops everything it started, DynamoDB Local last.
 * Throws when DynamoDB Local does not start (no Java 17+ on the `PATH`, say) or a function entry
 * cannot be loaded; what it had started is stopped first.
 *
 * @example
 * ```ts
 * import { system } from './functions/app/system.ts';
 * const runtime = await startLocalRuntime({ system, root: process.cwd(), port: 3000 });
 * console.log(`Listening on ${runtime.url}`);
 * process.on('SIGINT', () => void runtime.stop());
 * ```
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? (() => {});
  // The emulators pick free ports: never the one the HTTP server is about to bind.
  if (options.port !== undefined) avoidPort(options.port);
  const stops: Stops = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const { system } = options;
    const accessKeyId = options.accessKeyId ?? 'local';
    const region = options.region ?? 'us-east-1';
    const dynamoEndpoint = await startDynamo(options, stops, log);
    const { tableNames, streamArns } = await createTables(
      system,
      dynamoEndpoint,
      accessKeyId,
      region,
    );
    const environment: Record<string, string> = {
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'local',
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      LOG_LEVEL: options.logLevel ?? 'INFO',
      // Behind a verifying gateway, a token route without claims is refused, as on AWS.
      REQUIRE_TOKEN: options.auth ? 'true' : 'false',
      // Embedded metrics are log lines meant for CloudWatch: silent runs leave them out too.
      ...(options.logLevel === 'SILENT' ? { POWERTOOLS_METRICS_DISABLED: 'true' } : {}),
    };
    for (const [logical, spec] of Object.entries(system.tables)) {
      environment[spec.envVar] = tableNames[logical] as string;
    }
    const queues = await startQueues(options, stops, log);
    if (queues) Object.assign(environment, queueVariables(system, queues));
    // Handlers parse their configuration once, when their module loads: set it first.
    Object.assign(process.env, environment);

    let workers: Workers | undefined;
    if (queues && options.workers !== false) {
      const sqs = sqsClientFor(queues.endpoint);
      stops.push(async () => sqs.destroy());
      workers = await startWorkers({
        system,
        loadHandler: (code) => loadHandler(options.root, code),
        sqs,
        queueUrls: queues.urls,
        streams: { endpoint: dynamoEndpoint, region, accessKeyId },
        streamArns,
        ...workerFiles(options.dataDir, queues.emulator),
        log,
      });
      const running = workers;
      stops.push(() => running.stop());
    }

    const mounts =
      options.console === false
        ? []
        : [
            await startConsole(
              {
                system,
                dynamoEndpoint,
                accessKeyId,
                region,
                tableNames,
                streamArns,
                ...(queues ? { sqsEndpoint: queues.endpoint, queueUrls: queues.urls } : {}),
                ...(options.auth ? { auth: options.auth } : {}),
              },
              stops,
            ),
          ];
    const server = await serveRoutes(options, mounts);
    stops.push(() => server.close());
    return {
      url: server.url,
      dynamoEndpoint,
      tableNames,
      streamArns,
      sqsEndpoint: queues?.endpoint,
      queueUrls: queues?.urls,
      workers,
      consoleUrl: mounts.length > 0 ? `${server.url}${consolePath}/` : undefined,
      environment,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * What the workers keep in DATA_DIR: positions, pause switches and, when the queues live in this
 * process's emulator, the queue contents nothing else would keep.
 */
function workerFiles(dataDir: string | undefined, emulator: SqsEmulator | undefined) {
  if (!dataDir) return {};
  return {
    checkpointDir: resolve(dataDir, 'checkpoints'),
    controlDir: resolve(dataDir, 'control'),
    ...(emulator
      ? { memoryQueues: { inspect: emulator.inspect, dir: resolve(dataDir, 'queues') } }
      : {}),
  };
}

async function serveRoutes(
  options: LocalRuntimeOptions,
  mounts: readonly LocalMount[],
): Promise<LocalHttpServer> {
  const { system } = options;
  const handlers = new Map<string, LambdaHttpHandler>();
  for (const group of Object.values(system.routeGroups)) {
    const key = `${group.entry}#${group.handler ?? 'handler'}`;
    if (!handlers.has(key)) handlers.set(key, await loadHandler(options.root, group));
  }
  return startLocalHttpServer({
    ...(options.auth ? { authorize: gatewayAuthorizer(options.auth) } : {}),
    routes: system.routes.map((route) => {
      const group = system.routeGroups[route.group];
      const key = `${group?.entry}#${group?.handler ?? 'handler'}`;
      return { route, handler: handlers.get(key) as LambdaHttpHandler };
    }),
    ...(options.port === undefined ? {} : { port: options.port }),
    host: options.host ?? '127.0.0.1',
    mounts,
  });
}

async function loadHandler<H = LambdaHttpHandler>(
  root: string,
  code: { readonly entry: string; readonly handler?: string },
): Promise<H> {
  const module: Record<string, unknown> = await import(
    pathToFileURL(resolve(root, code.entry)).href
  );
  const handler = module[code.handler ?? 'handler'];
  if (typeof handler !== 'function') {
    throw new TypeError(`${code.entry} exports no function ${code.handler ?? 'handler'}`);
  }
  return handler as H;
}
