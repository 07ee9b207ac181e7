/**
 * The `coffee-es` bin in a child process, pointed at a database of DynamoDB Local through the
 * environment (JOURNAL_TABLE, DYNAMODB_ENDPOINT and an access key id naming the database), as
 * an operator on AWS points it at a stack.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface CliTarget {
  readonly endpoint: string;
  /** The access key id of the client whose database the tables are in. */
  readonly accessKeyId: string;
  readonly journalTable: string;
  readonly readModelTable?: string;
}

export interface CliRun {
  readonly child: ChildProcess;
  readonly done: Promise<{
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
  }>;
}

export function startCli(target: CliTarget, args: readonly string[], stdin?: string): CliRun {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(AWS_|VITEST|NODE_OPTIONS$)/.test(name) || /_(TABLE|QUEUE_URL|ENDPOINT)$/.test(name))
      continue;
    env[name] = value;
  }
  const child = spawn(
    process.execPath,
    [
      '--conditions=@coffee-es/source',
      '--import',
      'tsx',
      'lib/local/bin/coffee-es.js',
      ...args,
      '--system',
      'functions/app/cli.ts',
    ],
    {
      cwd: root,
      env: {
        ...env,
        JOURNAL_TABLE: target.journalTable,
        ...(target.readModelTable ? { READ_MODEL_TABLE: target.readModelTable } : {}),
        DYNAMODB_ENDPOINT: target.endpoint,
        AWS_REGION: 'local',
        AWS_ACCESS_KEY_ID: target.accessKeyId,
        AWS_SECRET_ACCESS_KEY: 'local',
      },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    },
  );
  if (stdin !== undefined) child.stdin?.end(stdin);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<{
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
  }>((resolveDone, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs the bin to its end. */
export const runCli = (target: CliTarget, args: readonly string[], stdin?: string) =>
  startCli(target, args, stdin).done;
