/** Durable-state records in the journal table (sort key 0), so they flow through its stream. */
import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { ReadOptions, StateRecord, StateStore } from '@coffee-es/core';
import { RevisionConflictError } from '@coffee-es/core';
import { attr, type Item, itemToState, stateSortKey, stateToItem } from './codec.ts';
import { isConditionalCheckFailed, translateReadError, translateWriteError } from './errors.ts';
import type { JournalRequest } from './journal.ts';

/**
 * The {@link StateStore} of durable-state entities, in the journal table (sort key 0), so their
 * records flow through the same stream as commits. A write over a revision someone else holds
 * throws `RevisionConflictError`; throttling, `StoreUnavailableError`.
 *
 * @example
 * ```ts
 * const store = new DynamoStateStore({ client, tableName: 'journal' });
 * const branches = new DurableStateStore<Branch>({ type: 'Branch' }, { store });
 * ```
 */
export class DynamoStateStore implements StateStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #onRequest: (request: JournalRequest) => void;

  constructor(options: {
    readonly client: DynamoDBClient;
    readonly tableName: string;
    readonly onRequest?: (request: JournalRequest) => void;
  }) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#onRequest = options.onRequest ?? (() => {});
  }

  async get(key: string, options: ReadOptions = {}): Promise<StateRecord | undefined> {
    try {
      const out = await this.#client.send(
        new GetItemCommand({
          TableName: this.#table,
          Key: { [attr.pk]: { S: key }, [attr.sk]: { N: String(stateSortKey) } },
          ConsistentRead: options.consistent ?? false,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.#onRequest({
        operation: 'GetItem',
        capacityUnits: out.ConsumedCapacity?.CapacityUnits ?? 0,
        items: out.Item ? 1 : 0,
      });
      return out.Item ? itemToState(out.Item) : undefined;
    } catch (error) {
      throw translateReadError(error, 'getState');
    }
  }

  async put(record: StateRecord): Promise<void> {
    const isNew = record.revision === 1;
    try {
      const out = await this.#client.send(
        new PutItemCommand({
          TableName: this.#table,
          Item: stateToItem(record),
          ConditionExpression: isNew ? 'attribute_not_exists(#pk)' : '#rev = :previous',
          ExpressionAttributeNames: isNew ? { '#pk': attr.pk } : { '#rev': attr.revision },
          ...(isNew
            ? {}
            : { ExpressionAttributeValues: { ':previous': { N: String(record.revision - 1) } } }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.#onRequest({
        operation: 'PutItem',
        capacityUnits: out.ConsumedCapacity?.CapacityUnits ?? 0,
        items: 1,
      });
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        const existing = (error as { Item?: Item }).Item;
        // The SDK retried a write whose answer was lost: the condition fails on our own write.
        if (record.writeId !== undefined && existing?.[attr.writeId]?.S === record.writeId) {
          return;
        }
        const actual = existing?.[attr.revision]?.N;
        throw new RevisionConflictError(
          record.key,
          record.revision - 1,
          actual === undefined ? undefined : Number(actual),
        );
      }
      throw translateWriteError(error, 'putState');
    }
  }
}
