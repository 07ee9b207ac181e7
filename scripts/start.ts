/**
 * `npm start`: the whole system on this machine. DynamoDB Local on DATA_DIR (default `.data/`),
 * the SQS emulator, the declared tables and queues, every route on http://127.0.0.1:PORT (default
 * 3000), and the stream and queue workers (projector, relay, loyalty). Ctrl-C stops it all.
 *
 * Environment: PORT, HOST, DATA_DIR, DYNAMODB_ENDPOINT and SQS_ENDPOINT (use running services
 * instead of starting them), AUTH (`on`: verify JWTs as the deployed stage does; `off`, the
 * default: local development mode, every route open).
 */

// Local tools run on the machine's Node 20; the functions run on the nodejs24.x Lambda runtime.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startLocalRuntime, stopOnSignals } from '@coffee-es/local';
import { system } from '../functions/app/system.ts';
import { authSetting, loadLocalAuth } from './localAuthKey.ts';
import { dataDir, removeLocalEndpoints, saveLocalEndpoints } from './localEndpoints.ts';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number, not "${process.env.PORT}"`);
  process.exit(2);
}

const auth = authSetting();
if (!auth) {
  console.error(`AUTH must be on or off, not "${process.env.AUTH}"`);
  process.exit(2);
}

await mkdir(dataDir(), { recursive: true });
const localAuth = auth === 'on' ? await loadLocalAuth() : undefined;
const runtime = await startLocalRuntime({
  system,
  root,
  port,
  host: process.env.HOST ?? '127.0.0.1',
  dataDir: dataDir(),
  ...(process.env.DYNAMODB_ENDPOINT ? { dynamoEndpoint: process.env.DYNAMODB_ENDPOINT } : {}),
  ...(process.env.SQS_ENDPOINT ? { sqsEndpoint: process.env.SQS_ENDPOINT } : {}),
  ...(localAuth ? { auth: localAuth } : {}),
  log: (message) => console.log(message),
}).catch((error: unknown) => {
  console.error('Could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

// What `npm run rebuild` and `npm run redrive` connect to while this runs.
await saveLocalEndpoints({
  region: runtime.environment.AWS_REGION ?? 'us-east-1',
  ...(runtime.environment.AWS_ACCESS_KEY_ID
    ? { accessKeyId: runtime.environment.AWS_ACCESS_KEY_ID }
    : {}),
  dynamoEndpoint: runtime.dynamoEndpoint,
  ...(runtime.sqsEndpoint ? { sqsEndpoint: runtime.sqsEndpoint } : {}),
  tables: runtime.tableNames,
  queues: runtime.queueUrls?.queues ?? {},
});

const authBanner = localAuth
  ? `Authorization: on. Every route but /health and /openapi.json needs a token, e.g.
  T=$(npm run -s token -- --sub ana --scope coffee/customer)   # or --scope coffee/staff
  curl -s ${runtime.url}/customers/ana -H "authorization: Bearer $T"`
  : 'Authorization: off (local development mode: no token needed; AUTH=on verifies tokens)';

console.log(`
Coffee franchise API listening on ${runtime.url}
${authBanner}
Workers: ${Object.keys(system.streamConsumers).join(', ')} on the journal stream; ${Object.keys(system.queueConsumers).join(', ')} on the events queue

Try it:
  curl -s -X PUT ${runtime.url}/branches/lisbon-1 -H 'content-type: application/json' \\
       -d '{"name":"Baixa","city":"Lisbon"}'
  curl -s -X POST ${runtime.url}/customers -H 'content-type: application/json' \\
       -d '{"name":"Ana","email":"ana@example.com"}'
  curl -s ${runtime.url}/openapi.json

Ctrl-C (or SIGTERM) drains and stops everything; a second Ctrl-C stops at once.`);

const onSignal = stopOnSignals({
  drain: async () => {
    await runtime.stop();
    await removeLocalEndpoints();
  },
  // The exit hook of DynamoDB Local kills it when a stop is cut short.
  exit: (code) => process.exit(code),
  log: (message) => console.log(message),
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => void onSignal(signal));
}
