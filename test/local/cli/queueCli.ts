/**
 * The `coffee-es` bin in a child process, pointed at a local runtime this spec started in its own
 * process (its endpoints written where `coffee-es start` writes them): the queue specs keep
 * control of the runtime (faults, workers) while the CLI runs exactly as an operator runs it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LocalRuntime } from '@coffee-es/local';

const root = resolve(import.meta.dirname, '../../..');

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface QueueCli {
  /** Runs `coffee-es <args>` to its end. */
  run(...args: string[]): Promise<CliRun>;
  /** Starts `coffee-es <args>`; `done` resolves when it exits. */
  spawn(...args: string[]): { child: ChildProcess; output: () => string; done: Promise<CliRun> };
  close(): Promise<void>;
}

/**
 * A CLI for `runtime`. `dynamoEndpoint` is where the CLI reaches DynamoDB (the runtime's may be a
 * fault proxy the operator does not go through).
 */
export async function queueCli(
  runtime: LocalRuntime,
  options: {
    readonly system?: string;
    readonly dynamoEndpoint?: string;
    /** Where the CLI reaches SQS (a fault proxy in front of the runtime's, say). */
    readonly sqsEndpoint?: string;
  } = {},
): Promise<QueueCli> {
  const dataDir = await mkdtemp(join(tmpdir(), 'coffee-queue-cli-'));
  await writeFile(
    join(dataDir, 'runtime.json'),
    JSON.stringify({
      region: runtime.environment.AWS_REGION,
      accessKeyId: runtime.environment.AWS_ACCESS_KEY_ID,
      dynamoEndpoint: options.dynamoEndpoint ?? runtime.dynamoEndpoint,
      sqsEndpoint: options.sqsEndpoint ?? runtime.sqsEndpoint,
      tables: runtime.tableNames,
      queues: runtime.queueUrls?.queues ?? {},
      deadLetters: runtime.queueUrls?.deadLetters ?? {},
      failures: runtime.queueUrls?.failures ?? {},
    }),
  );
  const system = options.system ?? 'functions/app/cli.ts';
  const start = (args: string[]) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@coffee-es/source',
        '--import',
        'tsx',
        'lib/local/bin/coffee-es.js',
        ...args,
        '--system',
        system,
      ],
      {
        cwd: root,
        env: cleanEnvironment({ DATA_DIR: dataDir }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const done = new Promise<CliRun>((resolveRun, fail) => {
      child.on('error', fail);
      child.on('close', (code, signal) => resolveRun({ code, signal, stdout, stderr }));
    });
    return { child, output: () => stdout + stderr, done };
  };
  return {
    run: (...args) => start(args).done,
    spawn: (...args) => start(args),
    close: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/** The spec's environment minus what would point the CLI elsewhere than runtime.json. */
function cleanEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(AWS_|VITEST|NODE_OPTIONS$|DYNAMODB_ENDPOINT$|SQS_ENDPOINT$)/.test(name)) continue;
    if (/_(TABLE|QUEUE_URL)$/.test(name) || name === 'LOG_LEVEL') continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** Polls `probe` every 100 ms until it holds, for at most `seconds`. */
export async function waitFor(
  probe: () => boolean | Promise<boolean>,
  seconds = 60,
  what = 'the condition',
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
