/**
 * Writes projections into a DynamoDB read-model table, idempotently on (stream id, position):
 * documents by a condition on the position they hold, counters by a marker written in the same
 * transaction as the addition. Live projector and rebuilds use the same writes, so they can run
 * side by side without double counting.
 */
import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type CounterChange,
  type CounterProjection,
  type Document,
  type DocumentProjection,
  documentKeyOf,
  documentStep,
  type ProjectedEvent,
  ProjectionGapError,
} from '../core/projection.ts';
import { isConditionalCheckFailed, translateReadError } from './errors.ts';

/** Reserved document attributes: the source stream and the last position applied. */
const meta = { stream: '_stream', position: '_position' } as const;

/** How long a counter's de-duplication marker lives: far beyond the stream's 24-hour retention. */
const markerTtlSeconds = 14 * 24 * 3600;

export interface ProjectionStatusUpdate {
  readonly position?: string;
  readonly lastEventAt?: string;
  readonly lagMs?: number;
  readonly processed: number;
  readonly failed: number;
}

export class DynamoReadModelWriter {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Applies one commit's events to the document they change. Returns what happened.
   * @throws ProjectionGapError when earlier commits of the stream are missing from the document
   */
  async applyDocument(
    projection: DocumentProjection,
    commit: { streamId: string; from: number; to: number },
    events: readonly ProjectedEvent[],
  ): Promise<'applied' | 'already-applied' | 'ignored'> {
    const key = documentKeyOf(projection, events);
    if (!key) return 'ignored';
    for (let attempt = 0; ; attempt++) {
      const stored = await this.#get(key);
      const position = Number(stored?.[meta.position] ?? 0);
      const step = documentStep(position, commit);
      if (step === 'already-applied') return step;
      if (step === 'gap') {
        throw new ProjectionGapError(projection.name, commit.streamId, position, commit.from);
      }
      let document = stored === undefined ? undefined : withoutMeta(stored);
      for (const event of events) document = projection.evolve(document, event);
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: marshall(
              { ...document, ...key, [meta.stream]: commit.streamId, [meta.position]: commit.to },
              { removeUndefinedValues: true },
            ),
            ConditionExpression: 'attribute_not_exists(#pk) OR #pos = :pos',
            ExpressionAttributeNames: { '#pk': 'pk', '#pos': meta.position },
            ExpressionAttributeValues: { ':pos': { N: String(position) } },
          }),
        );
        return 'applied';
      } catch (error) {
        // Someone else (a rebuild, a concurrent retry) moved the document: look again.
        if (!isConditionalCheckFailed(error) || attempt >= 3) {
          throw translateReadError(error, 'PutItem');
        }
      }
    }
  }

  /** Adds an event's changes to their aggregates once: false when it had been added before. */
  async applyCounter(projection: CounterProjection, event: ProjectedEvent): Promise<boolean> {
    const changes = projection.changesOf(event);
    if (changes.length === 0) return false;
    const marker = {
      pk: `${projection.keyPrefix}Applied#${event.streamId}`,
      sk: String(event.position),
      expiresAt: Math.floor(this.now().getTime() / 1000) + markerTtlSeconds,
    };
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: marshall(marker),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...changes.map((change) => ({ Update: this.#counterUpdate(change) })),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isMarkerPresent(error)) return false;
      throw translateReadError(error, 'TransactWriteItems');
    }
  }

  /** Records a batch's progress for `GET /projections`. */
  async recordStatus(pk: string, name: string, update: ProjectionStatusUpdate): Promise<void> {
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
          Key: marshall({ pk, sk: name }),
          UpdateExpression: `SET ${sets.join(', ')} ADD #processed :processed, #failed :failed`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: marshall(values),
        }),
      );
    } catch (error) {
      throw translateReadError(error, 'UpdateItem');
    }
  }

  /** Deletes every item whose partition key starts with one of `prefixes` (for rebuilds). */
  async dropPrefixes(prefixes: readonly string[]): Promise<number> {
    let deleted = 0;
    let cursor: Record<string, never> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          ProjectionExpression: 'pk, sk',
          ...(cursor ? { ExclusiveStartKey: cursor } : {}),
        }),
      );
      const keys = (page.Items ?? []).filter((item) =>
        prefixes.some((prefix) => item.pk?.S?.startsWith(prefix)),
      );
      for (let i = 0; i < keys.length; i += 25) {
        await this.#deleteBatch(keys.slice(i, i + 25));
      }
      deleted += keys.length;
      cursor = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (cursor);
    return deleted;
  }

  async #deleteBatch(keys: Record<string, unknown>[]): Promise<void> {
    let requests = keys.map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      const out = await this.client.send(
        new BatchWriteItemCommand({
          RequestItems: { [this.tableName]: requests as never },
        }),
      );
      requests = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      if (requests.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }

  #counterUpdate(change: CounterChange) {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const adds: string[] = [];
    const sets: string[] = [];
    Object.entries(change.add).forEach(([field, amount], i) => {
      names[`#a${i}`] = field;
      values[`:a${i}`] = amount;
      adds.push(`#a${i} :a${i}`);
    });
    Object.entries(change.set ?? {}).forEach(([field, value], i) => {
      names[`#s${i}`] = field;
      values[`:s${i}`] = value;
      sets.push(`#s${i} = :s${i}`);
    });
    return {
      TableName: this.tableName,
      Key: marshall(change.key),
      UpdateExpression: [
        sets.length > 0 ? `SET ${sets.join(', ')}` : '',
        adds.length > 0 ? `ADD ${adds.join(', ')}` : '',
      ].join(' '),
      ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
      ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: marshall(values) } : {}),
    };
  }

  async #get(key: { pk: string; sk: string }): Promise<Document | undefined> {
    try {
      const out = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: marshall(key), ConsistentRead: true }),
      );
      return out.Item ? unmarshall(out.Item) : undefined;
    } catch (error) {
      throw translateReadError(error, 'GetItem');
    }
  }
}

function withoutMeta(stored: Document): Document {
  const { pk: _pk, sk: _sk, [meta.stream]: _s, [meta.position]: _p, ...document } = stored;
  return document;
}

/** The transaction failed on the marker's condition alone: the event was counted before. */
function isMarkerPresent(error: unknown): boolean {
  if ((error as { name?: string })?.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return reasons?.[0]?.Code === 'ConditionalCheckFailed';
}
