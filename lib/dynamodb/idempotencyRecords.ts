/** HTTP idempotency records as items of the journal table (`Idem#<scope>`, sort key 0, TTL). */
import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { IdempotencyRecord, IdempotencyRecords, StoredAnswer } from '../http/idempotency.ts';
import { attr, type Item } from './codec.ts';
import { isConditionalCheckFailed, translateReadError, translateWriteError } from './errors.ts';

export const idempotencyKind = 'idem';

/** Partition keys of idempotency records start with this; deployed roles are scoped by it. */
export const idempotencyKeyPrefix = 'Idem#';

export class DynamoIdempotencyRecords implements IdempotencyRecords {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #ttlSeconds: number;
  readonly #clock: () => Date;

  constructor(options: {
    readonly client: DynamoDBClient;
    readonly tableName: string;
    /** How long answers are kept. Default 7 days. */
    readonly ttlSeconds?: number;
    readonly clock?: () => Date;
  }) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#ttlSeconds = options.ttlSeconds ?? 7 * 24 * 3600;
    this.#clock = options.clock ?? (() => new Date());
  }

  async get(scope: string): Promise<IdempotencyRecord | undefined> {
    try {
      const out = await this.#client.send(
        new GetItemCommand({ TableName: this.#table, Key: this.#key(scope), ConsistentRead: true }),
      );
      return out.Item ? toRecord(scope, out.Item) : undefined;
    } catch (error) {
      throw translateReadError(error, 'getIdempotencyRecord');
    }
  }

  async claim(record: IdempotencyRecord): Promise<IdempotencyRecord> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#table,
          Item: {
            ...this.#key(record.scope),
            [attr.kind]: { S: idempotencyKind },
            [attr.fingerprint]: { S: record.fingerprint },
            ...(record.entityId ? { entityId: { S: record.entityId } } : {}),
            [attr.expiresAt]: { N: String(this.#expiry()) },
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': attr.pk },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return record;
    } catch (error) {
      const existing = (error as { Item?: Item }).Item;
      if (isConditionalCheckFailed(error) && existing) return toRecord(record.scope, existing);
      throw translateWriteError(error, 'claimIdempotencyKey');
    }
  }

  async saveAnswer(scope: string, fingerprint: string, answer: StoredAnswer): Promise<void> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: this.#key(scope),
          UpdateExpression: 'SET #kind = :kind, #fp = :fp, #answer = :answer, #exp = :exp',
          ExpressionAttributeNames: {
            '#kind': attr.kind,
            '#fp': attr.fingerprint,
            '#answer': 'answer',
            '#exp': attr.expiresAt,
          },
          ExpressionAttributeValues: {
            ':kind': { S: idempotencyKind },
            ':fp': { S: fingerprint },
            ':answer': { S: JSON.stringify(answer) },
            ':exp': { N: String(this.#expiry()) },
          },
        }),
      );
    } catch (error) {
      throw translateWriteError(error, 'saveIdempotentAnswer');
    }
  }

  #key(scope: string): Item {
    return { [attr.pk]: { S: `${idempotencyKeyPrefix}${scope}` }, [attr.sk]: { N: '0' } };
  }

  #expiry(): number {
    return Math.floor(this.#clock().getTime() / 1000) + this.#ttlSeconds;
  }
}

function toRecord(scope: string, item: Item): IdempotencyRecord {
  const answer = item.answer?.S;
  const entityId = item.entityId?.S;
  return {
    scope,
    fingerprint: item[attr.fingerprint]?.S ?? '',
    ...(entityId === undefined ? {} : { entityId }),
    ...(answer === undefined ? {} : { answer: JSON.parse(answer) as StoredAnswer }),
  };
}
