/**
 * The `coffee-es` bin in a child process, as an operator runs it: from the repository, through
 * tsx, on the app's system module. `runCli` points it at a database of DynamoDB Local through the
 * environment (JOURNAL_TABLE, DYNAMODB_ENDPOINT and an access key id naming the database), as an
 * operator on AWS points it at a stack.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import {
  type ChildResult,
  childEnvironment,
  type WatchedChild,
  watchChild,
} from './childProcess.ts';

const root = resolve(import.meta.dirname, '../..');

/**
 * Spawns `coffee-es <args>`, on `system` (the app's unless given; `null` for none: the args
 * name it), with `env` as the whole environment and `stdin` written to it when given.
 */
export function spawnCoffeeEs(
  args: readonly string[],
  options: {
    readonly env: NodeJS.ProcessEnv;
    readonly stdin?: string;
    readonly system?: string | null;
  },
): WatchedChild {
  const system = options.system === undefined ? 'functions/app/cli.ts' : options.system;
  const child = spawn(
    process.execPath,
    [
      '--conditions=@coffee-es/source',
      '--import',
      'tsx',
      'lib/local/bin/coffee-es.js',
      ...args,
      ...(system === null ? [] : ['--system', system]),
    ],
    {
      cwd: root,
      env: options.env,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    },
  );
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  return watchChild(child);
}

export interface CliTarget {
  readonly endpoint: string;
  /** The access key id of the client whose database the tables are in. */
  readonly accessKeyId: string;
  readonly journalTable: string;
  readonly readModelTable?: string;
}

export function startCli(target: CliTarget, args: readonly string[], stdin?: string): WatchedChild {
  const env = childEnvironment({
    JOURNAL_TABLE: target.journalTable,
    ...(target.readModelTable ? { READ_MODEL_TABLE: target.readModelTable } : {}),
    DYNAMODB_ENDPOINT: target.endpoint,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: target.accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  return spawnCoffeeEs(args, { env, ...(stdin === undefined ? {} : { stdin }) });
}

/** Runs the bin to its end. */
export const runCli = (
  target: CliTarget,
  args: readonly string[],
  stdin?: string,
): Promise<ChildResult> => startCli(target, args, stdin).done;
