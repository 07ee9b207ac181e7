/**
 * The read-model store port over one DynamoDB table: documents by a condition on the position
 * they hold, counters by a marker written in the same transaction as the addition. The live
 * projector and rebuilds go through the same writes, so they can run side by side without
 * double counting. Its reads are `DynamoReadModelReader`'s.
 */
import { type DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  type CounterEntry,
  type DocumentWrite,
  documentMeta,
  type ProjectionStatusUpdate,
  type ReadModelKey,
  type ReadModelStore,
} from '@coffee-es/core';
import { addCountersOnce } from './counterWrites.ts';
import { isConditionalCheckFailed, translateReadError } from './errors.ts';
import { dropByPrefix } from './readModelDrop.ts';
import { DynamoReadModelReader } from './readModelReader.ts';

/**
 * The {@link ReadModelStore} on a DynamoDB table: a document is written under a condition on the
 * position it holds, a counter addition in one transaction with its marker, so redeliveries and a
 * rebuild running beside the projector count nothing twice. Throttling or an unreachable table
 * throws `StoreUnavailableError`.
 *
 * @example
 * ```ts
 * const store = new DynamoReadModelStore(client, 'coffee-read-models');
 * await projectCommit(store, projections, schemas, commit);
 * const entries = await orderHistory.query(store, 'c1', { newestFirst: true });
 * ```
 */
export class DynamoReadModelStore extends DynamoReadModelReader implements ReadModelStore {
  constructor(
    client: DynamoDBClient,
    tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    super(client, tableName);
  }

  async putDocument(key: ReadModelKey, write: DocumentWrite): Promise<boolean> {
    const item = {
      ...write.document,
      ...key,
      [documentMeta.stream]: write.streamId,
      [documentMeta.position]: write.position,
    };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(item, { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(#pk) OR #pos = :pos',
          ExpressionAttributeNames: { '#pk': 'pk', '#pos': documentMeta.position },
          ExpressionAttributeValues: { ':pos': { N: String(write.expectedPosition) } },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw translateReadError(error, 'PutItem');
    }
  }

  addCounters(markerPrefix: string, entries: readonly CounterEntry[]): Promise<number> {
    return addCountersOnce(this.client, this.tableName, markerPrefix, entries, this.now());
  }

  async recordStatus(statusKey: string, name: string, update: ProjectionStatusUpdate) {
    const names: Record<string, string> = {
      '#processed': 'processed',
      '#failed': 'failed',
      '#updatedAt': 'updatedAt',
    };
    const values: Record<string, unknown> = {
      ':processed': update.processed,
      ':failed': update.failed,
      ':updatedAt': this.now().toISOString(),
    };
    const sets = ['#updatedAt = :updatedAt'];
    for (const field of ['position', 'lastEventAt', 'lagMs'] as const) {
      if (update[field] === undefined) continue;
      // Every name goes through a placeholder: `position` is a reserved word.
      names[`#${field}`] = field;
      sets.push(`#${field} = :${field}`);
      values[`:${field}`] = update[field];
    }
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ pk: statusKey, sk: name }),
          UpdateExpression: `SET ${sets.join(', ')} ADD #processed :processed, #failed :failed`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: marshall(values),
        }),
      );
    } catch (error) {
      throw translateReadError(error, 'UpdateItem');
    }
  }

  dropPrefixes(prefixes: readonly string[]): Promise<number> {
    return dropByPrefix(this.client, this.tableName, prefixes);
  }
}
