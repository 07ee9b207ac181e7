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
import type { DocumentCommit, GapFiller } from '@coffee-es/core';
import {
  type CounterProjection,
  contiguousRun,
  type Document,
  type DocumentProjection,
  documentKeyOf,
  type ProjectedEvent,
  ProjectionGapError,
  type ReadModelKey,
} from '@coffee-es/core';
import { applyCounters } from './counterWrites.ts';
import { isConditionalCheckFailed, translateReadError } from './errors.ts';
import { dropByPrefix } from './readModelDrop.ts';

/** Reserved document attributes: the source stream and the last position applied. */
const meta = { stream: '_stream', position: '_position' } as const;

export type { DocumentCommit } from '@coffee-es/core';

/** What applying commits to a document did, and the commits it read from the journal to do it. */
export interface DocumentOutcome {
  readonly status: 'applied' | 'already-applied' | 'ignored';
  /** Commits the document lacked before the given ones, read back through the gap filler. */
  readonly filled: readonly DocumentCommit[];
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
   * one conditional write. Commits the document holds already are skipped. When the document is
   * behind the first commit and `fill` is given, the missing commits are read through it (from
   * the journal) and applied first, in order, in the same write.
   * @throws ProjectionGapError when earlier commits of the stream are missing from the document
   *   and `fill` cannot supply them (after applying the ones that could be)
   */
  async applyDocument(
    projection: DocumentProjection,
    streamId: string,
    commits: readonly DocumentCommit[],
    fill?: GapFiller,
  ): Promise<DocumentOutcome> {
    const key = documentKeyOf(
      projection,
      commits.flatMap((c) => c.events),
    );
    if (!key) return { status: 'ignored', filled: [] };
    let known = [...commits].sort((a, b) => a.from - b.from);
    const filled: DocumentCommit[] = [];
    for (let attempt = 0; ; attempt++) {
      const stored = await this.#get(key);
      const position = Number(stored?.[meta.position] ?? 0);
      if (fill) {
        const missing = await fillGaps(streamId, position, known, fill);
        known = [...known, ...missing].sort((a, b) => a.from - b.from);
        filled.push(...missing);
      }
      const { run, gapAt } = contiguousRun(position, known);
      const gap = () =>
        new ProjectionGapError(projection.name, streamId, position, gapAt?.from ?? 0);
      if (run.length === 0) {
        if (gapAt) throw gap();
        return { status: 'already-applied', filled };
      }
      const document = run
        .flatMap((c) => c.events)
        .reduce<Document | undefined>(
          (doc, event) => projection.evolve(doc, event),
          stored === undefined ? undefined : withoutMeta(stored),
        );
      const to = (run.at(-1) as DocumentCommit).to;
      const written = await this.#putAt(
        key,
        { ...document, [meta.stream]: streamId },
        position,
        to,
      );
      // Someone else (a rebuild, a concurrent retry) moved the document: look again.
      if (!written) {
        if (attempt >= 3) {
          throw new Error(
            `Projection ${projection.name}: ${streamId} kept moving under other writers`,
          );
        }
        continue;
      }
      if (gapAt) throw gap();
      return { status: 'applied', filled };
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

  /** Writes the document if it is still at `position`; false when it moved meanwhile. */
  async #putAt(key: ReadModelKey, document: Document, position: number, to: number) {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(
            { ...document, ...key, [meta.position]: to },
            { removeUndefinedValues: true },
          ),
          ConditionExpression: 'attribute_not_exists(#pk) OR #pos = :pos',
          ExpressionAttributeNames: { '#pk': 'pk', '#pos': meta.position },
          ExpressionAttributeValues: { ':pos': { N: String(position) } },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw translateReadError(error, 'PutItem');
    }
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

/**
 * The commits missing between a document at `position` and the commits known so far, read
 * through `fill` gap by gap. Stops when the filler has nothing more: that gap is real (the
 * commits are not in the journal yet) and the caller reports it.
 */
async function fillGaps(
  streamId: string,
  position: number,
  known: readonly DocumentCommit[],
  fill: GapFiller,
): Promise<DocumentCommit[]> {
  const found: DocumentCommit[] = [];
  let all = [...known];
  for (;;) {
    const { run, gapAt } = contiguousRun(position, all);
    if (!gapAt) return found;
    const after = run.at(-1)?.to ?? position;
    const have = new Set(all.map((c) => c.from));
    const missing = (await fill(streamId, after, gapAt.from)).filter((c) => !have.has(c.from));
    if (missing.length === 0) return found;
    found.push(...missing);
    all = [...all, ...missing].sort((a, b) => a.from - b.from);
  }
}

function withoutMeta(stored: Document): Document {
  const { pk: _pk, sk: _sk, [meta.stream]: _s, [meta.position]: _p, ...document } = stored;
  return document;
}
