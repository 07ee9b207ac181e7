/**
 * The operator console deployed: one Lambda function behind the system's HTTP API that answers
 * the operator API under `/_console/api/` (the same answers `npm start` gives, from the deployed
 * tables and queues) and serves the console's static files under `/_console/`, so that the
 * page and its API share an origin and no CORS is needed. Only callers with a scope of the
 * system's `operators` declaration reach the API; the gateway checks the scopes first, and this
 * handler checks them again, so a route deployed without its authorizer does not run open.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  callerOf,
  checkAccess,
  forbidden,
  HttpProblem,
  operatorQueuesEnvVar,
  type SystemDeclaration,
} from '@coffee-es/aws-lambda';
import { DynamoJournal, DynamoReadModelReader } from '@coffee-es/dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { QueueUrls } from '../systemQueues.ts';
import { consoleFiles, consolePath } from './consoleMount.ts';
import { answerOperator, type OperatorContext } from './operatorApi.ts';
import { journalAndReadModels } from './operatorParts.ts';

/** What the deployed operator console answers from. */
export interface OperatorHandlerOptions {
  /** The system declaration: its tables, queues, read side and `operators`. */
  readonly system: SystemDeclaration<never>;
  /** Where table names and queue URLs are read. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default: a client for the function's region. */
  readonly dynamo?: DynamoDBClient;
  /** Default: a client for the function's region. */
  readonly sqs?: SQSClient;
  /** The console's files. Default: beside the bundle when shipped there, else the package's. */
  readonly consoleFiles?: string;
  /** Logs what a 500 answer leaves out. Default: `console.error`. */
  readonly logError?: (message: string, error: unknown) => void;
}

type Answer = APIGatewayProxyStructuredResultV2;

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The handler of the deployed operator console (`SystemDeclaration.operatorApi` names the
 * module that exports it). Table names come from the tables' declared environment variables,
 * queue URLs from {@link operatorQueuesEnvVar}; `REQUIRE_TOKEN=true` refuses a call without a
 * verified token (behind the JWT authorizer).
 *
 * @example
 * ```ts
 * // functions/handlers/operators.ts
 * export const handler = createOperatorHandler({ system });
 * ```
 */
export function createOperatorHandler(
  options: OperatorHandlerOptions,
): (event: APIGatewayProxyEventV2) => Promise<Answer> {
  const env = options.env ?? process.env;
  const files = options.consoleFiles ?? shippedFiles();
  let context: OperatorContext | undefined;
  let listed: Promise<Set<string>> | undefined;
  return async (event) => {
    if (event.rawPath.startsWith(`${consolePath}/api/`)) {
      try {
        authorize(options.system, event, env.REQUIRE_TOKEN === 'true');
      } catch (error) {
        if (!(error instanceof HttpProblem)) throw error;
        return json(error.status, { error: error.body.type, detail: error.body.detail });
      }
      context ??= operatorContext(options, env);
      return serveApi(context, event, options.logError);
    }
    // Only the files there are served: no path from a request reaches the disk.
    listed ??= readdir(files).then((names) => new Set(names));
    return serveFile(files, await listed, event);
  };
}

async function serveApi(
  context: OperatorContext,
  event: APIGatewayProxyEventV2,
  logError = (message: string, error: unknown) => console.error(message, error),
): Promise<Answer> {
  const answer = await answerOperator(
    context,
    event.requestContext.http.method.toUpperCase(),
    event.rawPath.slice(`${consolePath}/api/`.length),
    new URLSearchParams(event.rawQueryString),
  );
  if (answer.status !== 500) return json(answer.status, answer.body);
  // The detail is an internal error's message: logged, not answered.
  logError('Operator API failed', answer.body);
  const requestId = event.requestContext.requestId;
  return json(500, { error: 'failed', detail: `Internal error (request ${requestId})` });
}

async function serveFile(
  dir: string,
  files: ReadonlySet<string>,
  event: APIGatewayProxyEventV2,
): Promise<Answer> {
  const path = event.rawPath;
  if (path === consolePath) return { statusCode: 301, headers: { location: `${path}/` } };
  const file = path === `${consolePath}/` ? 'index.html' : path.slice(consolePath.length + 1);
  if (event.requestContext.http.method.toUpperCase() !== 'GET' || !files.has(file)) {
    return json(404, { error: 'not-found', detail: `No console file ${file}` });
  }
  return {
    statusCode: 200,
    headers: {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    },
    body: await readFile(join(dir, file), 'utf8'),
  };
}

/** A verified caller with a scope of the declared operators; none declared, nobody. */
function authorize(
  system: SystemDeclaration<never>,
  event: APIGatewayProxyEventV2,
  requireToken: boolean,
): void {
  const caller = callerOf(event);
  const access = system.operators;
  if (!access) {
    throw forbidden(
      'The system declares no `operators`: defineSystem({ operators: <access> }) says who may use the operator API',
    );
  }
  checkAccess(access, caller, requireToken);
}

function operatorContext(
  options: OperatorHandlerOptions,
  env: Readonly<Record<string, string | undefined>>,
): OperatorContext {
  const { system } = options;
  const tableName = (logical: string | undefined) =>
    logical === undefined ? undefined : env[system.tables[logical]?.envVar ?? ''];
  const logical = journalAndReadModels(system);
  const journalTable = tableName(logical.journal);
  const readModelTable = tableName(logical.readModels);
  const dynamo = options.dynamo ?? new DynamoDBClient({});
  const queueUrls = env[operatorQueuesEnvVar]
    ? (JSON.parse(env[operatorQueuesEnvVar] as string) as QueueUrls)
    : undefined;
  return {
    system,
    ...(journalTable
      ? {
          journal: new DynamoJournal({ client: dynamo, tableName: journalTable }),
          journalTable: { client: dynamo, tableName: journalTable },
        }
      : {}),
    ...(readModelTable ? { readModels: new DynamoReadModelReader(dynamo, readModelTable) } : {}),
    ...(queueUrls ? { queueUrls, sqs: options.sqs ?? new SQSClient({}) } : {}),
  };
}

/** The console's files beside the bundle (the stack ships them there), else the package's. */
function shippedFiles(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return existsSync(join(here, 'index.html')) ? here : consoleFiles;
}

function json(status: number, body: unknown): Answer {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}
