/**
 * `coffee-es start`: the whole system on this machine. DynamoDB Local on DATA_DIR (default
 * `.data/`), the SQS emulator, the declared tables and queues, every route on
 * http://HOST:PORT (default 127.0.0.1:3000), and the stream and queue workers. Ctrl-C stops it.
 */
import { mkdir } from 'node:fs/promises';
import { type LocalRuntime, startLocalRuntime } from '../runtime.ts';
import { stopOnSignals } from '../stopOnSignals.ts';
import type { AppModule } from './appModule.ts';
import { dataDir, type Endpoints, removeLocalEndpoints, saveLocalEndpoints } from './endpoints.ts';
import { authSetting, loadLocalAuth } from './localAuthKey.ts';

export const startHelp = `Usage: coffee-es start [--system <module>]

Runs the system locally: DynamoDB Local, the SQS emulator, the declared tables and queues, every
route over HTTP, and the stream and queue workers. Ctrl-C (or SIGTERM) drains and stops it all;
a second Ctrl-C stops at once.

Environment:
  PORT, HOST          where the routes listen (default 127.0.0.1:3000; PORT=0 picks a free port)
  DATA_DIR            DynamoDB Local's data and the local state (default .data)
  DYNAMODB_ENDPOINT   use this DynamoDB instead of starting DynamoDB Local
  SQS_ENDPOINT        use this SQS instead of starting the emulator
  AUTH                on: verify JWTs as the deployed stage does; off (default): every route open`;

/** Starts the system; resolves once it listens, and keeps running until a signal stops it. */
export async function start(app: AppModule, root: string): Promise<number | undefined> {
  const { system } = app;
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`PORT must be a port number, not "${process.env.PORT}"`);
    return 2;
  }
  const auth = authSetting();
  if (!auth) {
    console.error(`AUTH must be on or off, not "${process.env.AUTH}"`);
    return 2;
  }
  const dir = dataDir(root);
  await mkdir(dir, { recursive: true });
  const localAuth = auth === 'on' ? await loadLocalAuth(system.service, dir) : undefined;
  const runtime = await startLocalRuntime({
    system,
    root,
    port,
    host: process.env.HOST ?? '127.0.0.1',
    dataDir: dir,
    ...(process.env.DYNAMODB_ENDPOINT ? { dynamoEndpoint: process.env.DYNAMODB_ENDPOINT } : {}),
    ...(process.env.SQS_ENDPOINT ? { sqsEndpoint: process.env.SQS_ENDPOINT } : {}),
    ...(localAuth ? { auth: localAuth } : {}),
    log: (message) => console.log(message),
  }).catch((error: unknown) => {
    console.error('Could not start:', error instanceof Error ? error.message : error);
    // At once: the exit hook of DynamoDB Local kills what the failed start left.
    process.exit(1);
  });

  // What `coffee-es rebuild`, `redrive` and `relay` connect to while this runs.
  await saveLocalEndpoints(root, localEndpointsOf(runtime));

  const authBanner = localAuth
    ? 'Authorization: on. Every route but /health and /openapi.json needs a token.'
    : 'Authorization: off (local development mode: no token needed; AUTH=on verifies tokens)';
  const streams = Object.keys(system.streamConsumers);
  const queues = Object.keys(system.queueConsumers);
  const workers = [
    ...(streams.length > 0 ? [`${streams.join(', ')} on the stream`] : []),
    ...(queues.length > 0 ? [`${queues.join(', ')} on the queues`] : []),
  ];
  const extra = app.startBanner?.(runtime.url, auth);
  console.log(`
${system.service} API listening on ${runtime.url}
${authBanner}${runtime.consoleUrl ? `\nOperator console: ${runtime.consoleUrl} (its JSON API under ${runtime.consoleUrl}api/)` : ''}
Workers: ${workers.length > 0 ? workers.join('; ') : 'none'}
Running on Node.js ${process.version}
${extra ? `\n${extra}\n` : ''}
Ctrl-C (or SIGTERM) drains and stops everything; a second Ctrl-C stops at once.`);

  const onSignal = stopOnSignals({
    drain: async () => {
      await runtime.stop();
      await removeLocalEndpoints(root);
    },
    // The exit hook of DynamoDB Local kills it when a stop is cut short.
    exit: (code) => process.exit(code),
    log: (message) => console.log(message),
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void onSignal(signal));
  }
  return undefined;
}

/** What the operator commands read from DATA_DIR/runtime.json to reach this runtime. */
function localEndpointsOf(runtime: LocalRuntime): Endpoints {
  const urls = runtime.queueUrls;
  return {
    region: runtime.environment.AWS_REGION ?? 'us-east-1',
    ...(runtime.environment.AWS_ACCESS_KEY_ID
      ? { accessKeyId: runtime.environment.AWS_ACCESS_KEY_ID }
      : {}),
    dynamoEndpoint: runtime.dynamoEndpoint,
    ...(runtime.sqsEndpoint ? { sqsEndpoint: runtime.sqsEndpoint } : {}),
    tables: runtime.tableNames,
    queues: urls?.queues ?? {},
    deadLetters: urls?.deadLetters ?? {},
    failures: urls?.failures ?? {},
  };
}
