/**
 * Table shapes as plain data: the local runtime creates tables from them and the CDK stack
 * declares the same shapes, so a table is described once.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/** A key attribute of a table or index. */
export interface KeySpec {
  readonly name: string;
  readonly type: 'S' | 'N';
}

/** A table's shape as plain data: keys, stream, TTL and indexes (local tables and CDK alike). */
export interface TableSpec {
  readonly partitionKey: KeySpec;
  readonly sortKey?: KeySpec;
  readonly stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
  readonly timeToLiveAttribute?: string;
  readonly indexes?: readonly {
    readonly name: string;
    readonly partitionKey: KeySpec;
    readonly sortKey?: KeySpec;
    readonly projection: 'KEYS_ONLY' | 'ALL';
  }[];
}

/**
 * The journal's secondary indexes by role. `streamsByType` holds one key-only item per stream
 * (partition `first`: the entity type; sort `pk`: the stream id): the stream ids of a type, in order.
 */
export const journalIndexes = { streamsByType: 'streamsByType' } as const;

/** The journal: commits and durable-state items, with a stream for projections and the relay. */
export const journalTable: TableSpec = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'N' },
  stream: 'NEW_IMAGE',
  timeToLiveAttribute: 'expiresAt',
  indexes: [
    {
      name: journalIndexes.streamsByType,
      partitionKey: { name: 'first', type: 'S' },
      sortKey: { name: 'pk', type: 'S' },
      projection: 'KEYS_ONLY',
    },
  ],
};

/**
 * Read models: one table, items keyed by the model (`pk`) and an entry within it (`sk`). Markers
 * that make aggregate updates idempotent expire through `expiresAt`.
 */
export const readModelTable: TableSpec = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
};

export function createTableInput(tableName: string, spec: TableSpec): CreateTableCommandInput {
  const keys = [
    spec.partitionKey,
    spec.sortKey,
    ...(spec.indexes ?? []).flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const definitions = new Map<string, KeySpec>();
  for (const key of keys) if (key) definitions.set(key.name, key);
  const keySchema = (pk: KeySpec, sk?: KeySpec) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...definitions.values()].map((k) => ({
      AttributeName: k.name,
      AttributeType: k.type,
    })),
    KeySchema: keySchema(spec.partitionKey, spec.sortKey),
    ...(spec.indexes && spec.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: spec.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: index.projection },
          })),
        }
      : {}),
    ...(spec.stream
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream } }
      : {}),
  };
}

/**
 * Creates each table that does not exist yet and waits until it is active (60 s at most; the
 * SDK's waiter throws past that). Returns the stream ARN of each table that has one. Tables that
 * exist are left as they are, whatever their shape.
 *
 * @example
 * ```ts
 * const arns = await ensureTables(client, { journal: journalTable, readModels: readModelTable });
 * const streamArn = arns.journal?.streamArn;
 * ```
 */
export async function ensureTables(
  client: DynamoDBClient,
  tables: Readonly<Record<string, TableSpec>>,
): Promise<Record<string, { streamArn?: string }>> {
  const result: Record<string, { streamArn?: string }> = {};
  for (const [tableName, spec] of Object.entries(tables)) {
    let streamArn = await describeStreamArn(client, tableName);
    if (streamArn === null) {
      const created = await client.send(new CreateTableCommand(createTableInput(tableName, spec)));
      await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
      if (spec.timeToLiveAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: tableName,
            TimeToLiveSpecification: { Enabled: true, AttributeName: spec.timeToLiveAttribute },
          }),
        );
      }
      streamArn = created.TableDescription?.LatestStreamArn;
    }
    result[tableName] = streamArn === undefined ? {} : { streamArn };
  }
  return result;
}

/** The table's stream ARN, undefined when it has none, null when the table does not exist. */
async function describeStreamArn(
  client: DynamoDBClient,
  tableName: string,
): Promise<string | undefined | null> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return out.Table?.LatestStreamArn;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return null;
    throw error;
  }
}
