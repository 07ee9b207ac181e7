/**
 * Writes projections into a DynamoDB read-model table, idempotently on (stream id, position):
 * documents by a condition on the position they hold, counters by a marker written in the same
 * transaction as the addition. Live projector and rebuilds use the same writes, so they can run
 * side by side without double counting.
 */
import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type CommitSpan,
  type CounterProjection,
  contiguousRun,
  type Document,
  type DocumentProjection,
  documentKeyOf,
  type ProjectedEvent,
  ProjectionGapError,
} from '../core/projection.ts';
import { applyCounters } from './counterWrites.ts';
import { isConditionalCheckFailed, translateReadError } from './errors.ts';
import { dropByPrefix } from './readModelDrop.ts';

/** Reserved document attributes: the source stream and the last position applied. */
const meta = { stream: '_stream', position: '_position' } as const;

/** Commits of one stream as a document projection takes them. */
export interface DocumentCommit extends CommitSpan {
  readonly events: readonly ProjectedEvent[];
}

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
   * Applies commits of one stream (oldest first) to the document they change, in one read and
   * one conditional write. Commits the document holds already are skipped.
   * @throws ProjectionGapError when earlier commits of the stream are missing from the document
   *   (after applying the ones that could be)
   */
  async applyDocument(
    projection: DocumentProjection,
    streamId: string,
    commits: readonly DocumentCommit[],
  ): Promise<'applied' | 'already-applied' | 'ignored'> {
    const key = documentKeyOf(
      projection,
      commits.flatMap((c) => c.events),
    );
    if (!key) return 'ignored';
    for (let attempt = 0; ; attempt++) {
      const stored = await this.#get(key);
      const position = Number(stored?.[meta.position] ?? 0);
      const { run, gapAt } = contiguousRun(position, commits);
      const gap = () =>
        new ProjectionGapError(projection.name, streamId, position, gapAt?.from ?? 0);
      if (run.length === 0) {
        if (gapAt) throw gap();
        return 'already-applied';
      }
      let document = stored === undefined ? undefined : withoutMeta(stored);
      for (const event of run.flatMap((c) => c.events)) {
        document = projection.evolve(document, event);
      }
      const to = (run.at(-1) as DocumentCommit).to;
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: marshall(
              { ...document, ...key, [meta.stream]: streamId, [meta.position]: to },
              { removeUndefinedValues: true },
            ),
            ConditionExpression: 'attribute_not_exists(#pk) OR #pos = :pos',
            ExpressionAttributeNames: { '#pk': 'pk', '#pos': meta.position },
            ExpressionAttributeValues: { ':pos': { N: String(position) } },
          }),
        );
      } catch (error) {
        // Someone else (a rebuild, a concurrent retry) moved the document: look again.
        if (!isConditionalCheckFailed(error) || attempt >= 3) {
          throw translateReadError(error, 'PutItem');
        }
        continue;
      }
      if (gapAt) throw gap();
      return 'applied';
    }
  }

  /** Adds events' changes to their aggregates, each event once. Returns how many it added. */
  applyCounters(projection: CounterProjection, events: readonly ProjectedEvent[]): Promise<number> {
    return applyCounters(this.client, this.tableName, projection, events, this.now());
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
  dropPrefixes(prefixes: readonly string[]): Promise<number> {
    return dropByPrefix(this.client, this.tableName, prefixes);
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
