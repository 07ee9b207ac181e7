/**
 * The reference app served by the local runtime for HTTP specs: the shared DynamoDB Local, a
 * database of the suite's own, a free port. `call` speaks HTTP the way a client would.
 */
import { resolve } from 'node:path';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import {
  clientFor,
  type LocalAuth,
  type LocalRuntime,
  type LocalRuntimeOptions,
  localAuth,
  startLocalRuntime,
} from '@coffee-es/local';
import { system } from '../../functions/app/system.ts';
import { dynamoEndpoint } from './localStack.ts';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: specs read answers loosely, asserting each field.
  readonly body: any;
}

export interface App {
  readonly url: string;
  readonly runtime: LocalRuntime;
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  /** Sends a raw body with the given content type. */
  raw(method: string, path: string, body: string, contentType?: string): Promise<Answer>;
  /** Waits until the stream and queue workers have nothing left to do. */
  settle(): Promise<void>;
  /** The local authorizer, when the app runs with `auth`: `app.auth.sign(...)` makes tokens. */
  readonly auth: LocalAuth | undefined;
  /** How many commits the journal holds for a stream id (`Order#<id>`). */
  commits(streamId: string): Promise<number>;
  stop(): Promise<void>;
}

export interface AppOptions {
  /** Another DynamoDB endpoint than the suite's shared one (e.g. a recording proxy in front of it). */
  readonly dynamoEndpoint?: string;
  /** The functions' log level (default SILENT). */
  readonly logLevel?: LocalRuntimeOptions['logLevel'];
  /** Run the stream and queue workers (default true). */
  readonly workers?: boolean;
  /** Every queue's visibility timeout, shortened to see redelivery in a test. */
  readonly visibilityTimeoutSeconds?: number;
  /** An SQS endpoint instead of an emulator of the app's own (e.g. a fault proxy in front of one). */
  readonly sqsEndpoint?: string;
  /** Verify JWTs as the deployed stage does (a signing key in memory); default off, open. */
  readonly auth?: boolean;
  /**
   * Serve the operator console (default off: its write meter polls the journal's stream, which
   * specs counting a route's requests would count too; a deployed route group has no console).
   */
  readonly console?: boolean;
}

/**
 * Starts the app for one spec file. Handlers read their configuration once, when their module
 * loads: within one file, every app must be started with the same options.
 */
export async function startApp(suite: string, options: AppOptions = {}): Promise<App> {
  const accessKeyId = `${suite.replace(/[^A-Za-z0-9]/g, '')}${Math.random().toString(36).slice(2, 8)}`;
  const auth = options.auth
    ? await localAuth({ issuer: 'urn:spec:issuer', audience: 'spec-api' })
    : undefined;
  const runtime = await startLocalRuntime({
    ...(auth ? { auth } : {}),
    system,
    root: resolve(import.meta.dirname, '../..'),
    port: 0,
    dynamoEndpoint: options.dynamoEndpoint ?? dynamoEndpoint(),
    accessKeyId,
    logLevel: options.logLevel ?? 'SILENT',
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    console: options.console ?? false,
    ...(options.sqsEndpoint === undefined ? {} : { sqsEndpoint: options.sqsEndpoint }),
    ...(options.visibilityTimeoutSeconds === undefined
      ? {}
      : { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }),
  });
  const client = clientFor(runtime.dynamoEndpoint, accessKeyId, runtime.environment.AWS_REGION);
  const send = async (method: string, path: string, init: RequestInit): Promise<Answer> => {
    const response = await fetch(`${runtime.url}${path}`, { method, ...init });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
  };
  return {
    url: runtime.url,
    runtime,
    auth,
    call: (method, path, body, headers = {}) =>
      send(method, path, {
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    raw: (method, path, body, contentType = 'application/json') =>
      send(method, path, { headers: { 'content-type': contentType }, body }),
    settle: async () => {
      if (!runtime.workers) throw new Error('This app runs without workers');
      await runtime.workers.settle();
    },
    commits: async (streamId) => {
      const out = await client.send(
        new QueryCommand({
          TableName: runtime.tableNames.journal,
          KeyConditionExpression: 'pk = :pk AND sk > :zero',
          // Commits only: a note (kept refusals of keyed commands) is not one.
          FilterExpression: 'kind = :commit',
          ExpressionAttributeValues: {
            ':pk': { S: streamId },
            ':zero': { N: '0' },
            ':commit': { S: 'commit' },
          },
          Select: 'COUNT',
          ConsistentRead: true,
        }),
      );
      return out.Count ?? 0;
    },
    stop: async () => {
      client.destroy();
      await runtime.stop();
    },
  };
}
