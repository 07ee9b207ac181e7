/**
 * Stream poller specs' fixture: a DynamoDB Local database of the suite's own with one table per
 * test (each test reads a stream of its own), a streams client on the same database, writes of
 * numbered items, and pollers that are all stopped after the suite.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { ensureTables, journalTable } from '@coffee-es/dynamodb';
import { type StreamPoller, type StreamPollerOptions, startStreamPoller } from '@coffee-es/local';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll } from 'vitest';
import { dynamoClient, dynamoEndpoint } from './localStack.ts';

export const skOf = (r: DynamoDBRecord) => Number(r.dynamodb?.NewImage?.sk?.N);
export const seqOf = (r: DynamoDBRecord) => r.dynamodb?.SequenceNumber ?? '';
export const range = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => from + i);

export interface StreamTables<T extends string> {
  /** Writes items with sort keys `from` up to (not including) `to`. */
  write(table: T, from: number, to: number): Promise<void>;
  /** The table's stream ARN. */
  arn(table: T): string;
  /** Starts a poller on the table's stream (stopped after the suite). */
  start(table: T, options: Partial<StreamPollerOptions>): StreamPoller;
}

/** Registers the suite's hooks: the tables are created before its tests, all dropped after. */
export function useStreamTables<T extends string>(
  suite: string,
  tables: readonly T[],
): StreamTables<T> {
  const dynamo = dynamoClient(suite);
  let streams: DynamoDBStreamsClient | undefined;
  const arns: Record<string, string> = {};
  const pollers: StreamPoller[] = [];

  beforeAll(async () => {
    // The same access key id and region as the table client: DynamoDB Local keeps a database each.
    streams = new DynamoDBStreamsClient({
      endpoint: dynamoEndpoint(),
      region: await dynamo.config.region(),
      credentials: await dynamo.config.credentials(),
    });
    await Promise.all(
      tables.map(async (name) => {
        const out = await ensureTables(dynamo, { [name]: journalTable });
        const arn = out[name]?.streamArn;
        if (!arn) throw new Error(`No stream for ${name}`);
        arns[name] = arn;
      }),
    );
  });

  afterAll(async () => {
    await Promise.all(pollers.map((p) => p.stop()));
    streams?.destroy();
    dynamo.destroy();
  });

  return {
    arn: (table) => arns[table] ?? '',
    async write(table, from, to) {
      for (let sk = from; sk < to; sk++) {
        await dynamo.send(
          new PutItemCommand({
            TableName: table,
            Item: { pk: { S: 'p' }, sk: { N: String(sk) }, bin: { B: new Uint8Array([1, 2, 3]) } },
          }),
        );
      }
    },
    start(table, options) {
      if (!streams) throw new Error('start() before the suite set up its tables');
      const poller = startStreamPoller({
        client: streams,
        streamArn: arns[table] ?? '',
        handler: async () => {},
        idleDelayMs: 20,
        name: table,
        ...options,
      });
      pollers.push(poller);
      return poller;
    },
  };
}
