/**
 * Where the operational commands (`coffee-es rebuild`, `redrive`, `relay`) find the system: on
 * AWS from the environment (the stack's outputs: JOURNAL_TABLE, READ_MODEL_TABLE,
 * EVENTS_QUEUE_URL, AWS_REGION and the usual credentials; JOURNAL_TABLE or EVENTS_QUEUE_URL must
 * be set), locally from the file `coffee-es start` writes in DATA_DIR.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Where a system's tables and queues are: from the environment on AWS, or the running local one.
 */
export interface Endpoints {
  /**
   * Where these came from: the environment (AWS), the running `coffee-es start`, or a deployed
   * stack's outputs (`--region --stack`, see ops/target.ts).
   */
  readonly source?: 'environment' | 'local' | 'stack';
  readonly region: string;
  readonly accessKeyId?: string;
  readonly dynamoEndpoint?: string;
  readonly sqsEndpoint?: string;
  /** Physical names by logical table name. */
  readonly tables: Readonly<Record<string, string>>;
  /** URLs by logical queue name. */
  readonly queues: Readonly<Record<string, string>>;
  /** The dead-letter queues' URLs by logical queue name, when known. */
  readonly deadLetters?: Readonly<Record<string, string>>;
  /** The stream consumers' failure queues (on-failure destinations) by consumer, when known. */
  readonly failures?: Readonly<Record<string, string>>;
}

/**
 * The local data directory: DATA_DIR, relative to the project's root (the working directory of
 * an npm script), `.data` by default.
 *
 * @example
 * ```ts
 * const dir = dataDir(process.cwd()); // <project>/.data unless DATA_DIR says otherwise
 * ```
 */
export const dataDir = (root: string, env: NodeJS.ProcessEnv = process.env) =>
  resolve(root, env.DATA_DIR ?? '.data');
const file = (root: string) => resolve(dataDir(root), 'runtime.json');

export async function saveLocalEndpoints(root: string, endpoints: Endpoints): Promise<void> {
  await writeFile(file(root), `${JSON.stringify(endpoints, null, 2)}\n`);
}

export async function removeLocalEndpoints(root: string): Promise<void> {
  await rm(file(root), { force: true });
}

/** The environment when it names the tables, else the running `coffee-es start`. */
export async function findEndpoints(root: string): Promise<Endpoints> {
  const env = process.env;
  if (env.JOURNAL_TABLE || env.EVENTS_QUEUE_URL) {
    return {
      source: 'environment',
      region: env.AWS_REGION ?? 'us-east-1',
      ...(env.DYNAMODB_ENDPOINT ? { dynamoEndpoint: env.DYNAMODB_ENDPOINT } : {}),
      ...(env.SQS_ENDPOINT ? { sqsEndpoint: env.SQS_ENDPOINT } : {}),
      tables: {
        ...(env.JOURNAL_TABLE ? { journal: env.JOURNAL_TABLE } : {}),
        ...(env.READ_MODEL_TABLE ? { readModels: env.READ_MODEL_TABLE } : {}),
      },
      queues: env.EVENTS_QUEUE_URL ? { events: env.EVENTS_QUEUE_URL } : {},
    };
  }
  const text = await readFile(file(root), 'utf8').catch(() => undefined);
  if (text === undefined) {
    throw new Error(
      `Found neither JOURNAL_TABLE in the environment nor a running \`coffee-es start\` (${file(root)}).`,
    );
  }
  return { ...(JSON.parse(text) as Endpoints), source: 'local' };
}

const credentials = (e: Endpoints) =>
  e.accessKeyId ? { credentials: { accessKeyId: e.accessKeyId, secretAccessKey: 'local' } } : {};

/** A DynamoDB client for these endpoints (the local endpoint and credentials when there are). */
export const dynamoClientOf = (e: Endpoints) =>
  new DynamoDBClient({
    region: e.region,
    ...(e.dynamoEndpoint ? { endpoint: e.dynamoEndpoint } : {}),
    ...credentials(e),
  });

/** An SQS client for these endpoints (the local endpoint and credentials when there are). */
export const sqsClientOf = (e: Endpoints) =>
  new SQSClient({
    region: e.region,
    ...(e.sqsEndpoint ? { endpoint: e.sqsEndpoint } : {}),
    ...credentials(e),
  });
