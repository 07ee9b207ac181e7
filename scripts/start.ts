/**
 * `npm start`: the whole system on this machine. DynamoDB Local on DATA_DIR (default `.data/`),
 * the declared tables, every route on http://127.0.0.1:PORT (default 3000). Ctrl-C stops it all.
 *
 * Environment: PORT, HOST, DATA_DIR, DYNAMODB_ENDPOINT (use a running DynamoDB instead).
 */
import { resolve } from 'node:path';
import { system } from '../functions/app/system.ts';
import { startLocalRuntime } from '../lib/local/runtime.ts';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number, not "${process.env.PORT}"`);
  process.exit(2);
}

const runtime = await startLocalRuntime({
  system,
  root,
  port,
  host: process.env.HOST ?? '127.0.0.1',
  dataDir: resolve(root, process.env.DATA_DIR ?? '.data'),
  ...(process.env.DYNAMODB_ENDPOINT ? { dynamoEndpoint: process.env.DYNAMODB_ENDPOINT } : {}),
  log: (message) => console.log(message),
}).catch((error: unknown) => {
  console.error('Could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

console.log(`
Coffee franchise API listening on ${runtime.url}

Try it:
  curl -s -X PUT ${runtime.url}/branches/lisbon-1 -H 'content-type: application/json' \\
       -d '{"name":"Baixa","city":"Lisbon"}'
  curl -s -X POST ${runtime.url}/customers -H 'content-type: application/json' \\
       -d '{"name":"Ana","email":"ana@example.com"}'
  curl -s ${runtime.url}/openapi.json

Ctrl-C stops everything.`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping`);
  await runtime.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
