/**
 * The reference app served by the local runtime for HTTP specs: the shared DynamoDB Local, a
 * database of the suite's own, a free port. `call` speaks HTTP the way a client would.
 */
import { resolve } from 'node:path';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { system } from '../../functions/app/system.ts';
import { clientFor } from '../../lib/local/dynamoDbLocal.ts';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';
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
  /** How many commits the journal holds for a stream id (`Order#<id>`). */
  commits(streamId: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startApp(suite: string): Promise<App> {
  const accessKeyId = `${suite.replace(/[^A-Za-z0-9]/g, '')}${Math.random().toString(36).slice(2, 8)}`;
  const runtime = await startLocalRuntime({
    system,
    root: resolve(import.meta.dirname, '../..'),
    port: 0,
    dynamoEndpoint: dynamoEndpoint(),
    accessKeyId,
    logLevel: 'SILENT',
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
    call: (method, path, body, headers = {}) =>
      send(method, path, {
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    raw: (method, path, body, contentType = 'application/json') =>
      send(method, path, { headers: { 'content-type': contentType }, body }),
    commits: async (streamId) => {
      const out = await client.send(
        new QueryCommand({
          TableName: runtime.tableNames.journal,
          KeyConditionExpression: 'pk = :pk AND sk > :zero',
          ExpressionAttributeValues: { ':pk': { S: streamId }, ':zero': { N: '0' } },
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
