/**
 * The `coffee-es` bin in a child process, pointed at a local runtime this spec started in its own
 * process (its endpoints written where `coffee-es start` writes them): the queue specs keep
 * control of the runtime (faults, workers) while the CLI runs exactly as an operator runs it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalRuntime } from '@coffee-es/local';
import {
  type ChildResult,
  childEnvironment,
  type WatchedChild,
} from '../../support/childProcess.ts';
import { spawnCoffeeEs } from '../../support/coffeeEsCli.ts';

export type CliRun = ChildResult;

export interface QueueCli {
  /** Runs `coffee-es <args>` to its end. */
  run(...args: string[]): Promise<CliRun>;
  /** Starts `coffee-es <args>`; `done` resolves when it exits. */
  spawn(...args: string[]): WatchedChild;
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
  const env = childEnvironment({ DATA_DIR: dataDir });
  const start = (args: string[]) =>
    spawnCoffeeEs(args, { env, ...(options.system ? { system: options.system } : {}) });
  return {
    run: (...args) => start(args).done,
    spawn: (...args) => start(args),
    close: () => rm(dataDir, { recursive: true, force: true }),
  };
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
