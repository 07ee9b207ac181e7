/** The journal's whole-table reads, for rebuilds: streams of a type (sparse index), parallel scan. */
import { type DynamoDBClient, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { ScanCursor, ScanPage } from '@coffee-es/core';
import { attr, type Item, itemKind, itemToCommit } from './codec.ts';
import { translateReadError } from './errors.ts';
import { journalIndexes } from './tables.ts';

export interface ScanTarget {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly report: (
    operation: 'Query' | 'Scan',
    capacityUnits: number | undefined,
    items: number,
  ) => void;
}

export async function listStreams(
  target: ScanTarget,
  entityType: string,
  cursor?: ScanCursor,
): Promise<{ streamIds: readonly string[]; next?: ScanCursor }> {
  try {
    const out = await target.client.send(
      new QueryCommand({
        TableName: target.table,
        IndexName: journalIndexes.streamsByType,
        KeyConditionExpression: '#first = :type',
        ExpressionAttributeNames: { '#first': attr.firstOfType },
        ExpressionAttributeValues: { ':type': { S: entityType } },
        ReturnConsumedCapacity: 'TOTAL',
        ...(cursor ? { ExclusiveStartKey: cursor as Item } : {}),
      }),
    );
    const items = out.Items ?? [];
    target.report('Query', out.ConsumedCapacity?.CapacityUnits, items.length);
    const streamIds = items.flatMap((item) => (item[attr.pk]?.S ? [item[attr.pk]?.S ?? ''] : []));
    return out.LastEvaluatedKey ? { streamIds, next: out.LastEvaluatedKey } : { streamIds };
  } catch (error) {
    throw translateReadError(error, 'listStreams');
  }
}

export async function scanCommits(
  target: ScanTarget,
  options: {
    readonly segment: number;
    readonly totalSegments: number;
    readonly entityTypes?: readonly string[];
    readonly cursor?: ScanCursor;
  },
): Promise<ScanPage> {
  const types = options.entityTypes ?? [];
  const typeFilter =
    types.length > 0 ? ` AND #et IN (${types.map((_, i) => `:t${i}`).join(', ')})` : '';
  try {
    const out = await target.client.send(
      new ScanCommand({
        TableName: target.table,
        Segment: options.segment,
        TotalSegments: options.totalSegments,
        FilterExpression: `#kind = :commit${typeFilter}`,
        // Rebuilds must see every commit made before they started.
        ConsistentRead: true,
        ExpressionAttributeNames: {
          '#kind': attr.kind,
          ...(types.length > 0 ? { '#et': attr.entityType } : {}),
        },
        ExpressionAttributeValues: {
          ':commit': { S: itemKind.commit },
          ...Object.fromEntries(types.map((t, i) => [`:t${i}`, { S: t }])),
        },
        ReturnConsumedCapacity: 'TOTAL',
        ...(options.cursor ? { ExclusiveStartKey: options.cursor as Item } : {}),
      }),
    );
    const items = out.Items ?? [];
    target.report('Scan', out.ConsumedCapacity?.CapacityUnits, items.length);
    const commits = items.map(itemToCommit);
    return out.LastEvaluatedKey ? { commits, next: out.LastEvaluatedKey } : { commits };
  } catch (error) {
    throw translateReadError(error, 'scan');
  }
}
