/**
 * The projector: one Lambda on the journal's stream that runs every registered projection
 * in-process (a stream serves at most two readers per shard, so one projector, not one per read
 * model). Records are processed in order; a failing record is reported in `batchItemFailures`
 * and retried by the event-source mapping, while the rest of the batch is applied. Given the
 * journal, a document behind the commit it receives reads the missing commits from the journal
 * and applies them first, so a record set aside after its retries is repaired by the next commit
 * of its stream rather than blocking that document for good.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import {
  type EventSchemasByType,
  type JournalReader,
  journalGapFiller,
  type Projection,
  projectCommit,
  projectionStatusKey,
  type ReadModelStore,
} from '@coffee-es/core';
import { decodeJournalRecord } from '@coffee-es/dynamodb';
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
} from 'aws-lambda';

/** The read-model store, the projections and event schemas, and where gaps are read from. */
export interface ProjectorOptions {
  /** Where the read models live (the port: `DynamoReadModelStore` deployed, in memory in tests). */
  readonly store: ReadModelStore;
  readonly projections: readonly Projection[];
  readonly schemas: EventSchemasByType;
  /**
   * Where documents read the commits they lack (strongly consistent). Without it a document
   * behind its commit fails with `ProjectionGapError` and waits for the missing records.
   */
  readonly journal?: JournalReader;
  /** Partition key of the status items behind `GET /projections`. Default `Projection`. */
  readonly statusKey?: string;
  readonly clock?: () => Date;
  readonly onError?: (error: unknown, context: { projection: string; where: string }) => void;
}

interface Progress {
  processed: number;
  failed: number;
  position?: string;
  lastEventAt?: string;
}

/**
 * Builds the projector's Lambda handler.
 *
 * @example
 * ```ts
 * export const handler = createProjector({ store, projections, schemas, journal });
 * ```
 */
export function createProjector(options: ProjectorOptions) {
  const clock = options.clock ?? (() => new Date());
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const fill = options.journal ? journalGapFiller(options.journal, options.schemas) : undefined;

  return async function projector(
    event: DynamoDBStreamEvent,
    context?: Context,
  ): Promise<DynamoDBBatchResponse> {
    const progress = new Map<string, Progress>(
      options.projections.map((p) => [p.name, { processed: 0, failed: 0 }]),
    );
    const handleRecord = async (record: DynamoDBRecord) => {
      const change = decodeJournalRecord(record);
      if (change?.kind !== 'commit') return;
      const { commit } = change;
      const where = `${commit.streamId}@${commit.from}`;
      const applied = await projectCommit(
        options.store,
        options.projections,
        options.schemas,
        commit,
        (projection, error) => {
          const p = progress.get(projection);
          if (p) p.failed += 1;
          options.onError?.(error, { projection, where });
        },
        fill,
      );
      for (const name of applied) {
        const p = progress.get(name);
        if (!p) continue;
        p.processed += 1;
        const sequence = record.dynamodb?.SequenceNumber;
        if (sequence !== undefined) p.position = sequence;
        p.lastEventAt = commit.recordedAt;
      }
    };
    try {
      return await processPartialResponse(event, handleRecord, processor, {
        ...(context ? { context } : {}),
        processInParallel: false,
      });
    } finally {
      // Status is bookkeeping: failing to write it must not fail (and replay) a good batch.
      await recordProgress(options, progress, clock()).catch((error: unknown) =>
        options.onError?.(error, { projection: 'status', where: 'GET /projections' }),
      );
    }
  };
}

async function recordProgress(
  options: ProjectorOptions,
  progress: ReadonlyMap<string, Progress>,
  now: Date,
): Promise<void> {
  const statusKey = options.statusKey ?? projectionStatusKey;
  await Promise.all(
    [...progress]
      .filter(([, p]) => p.processed + p.failed > 0)
      .map(([name, p]) =>
        options.store.recordStatus(statusKey, name, {
          processed: p.processed,
          failed: p.failed,
          ...(p.position === undefined ? {} : { position: p.position }),
          ...(p.lastEventAt === undefined
            ? {}
            : {
                lastEventAt: p.lastEventAt,
                lagMs: Math.max(0, now.getTime() - Date.parse(p.lastEventAt)),
              }),
        }),
      ),
  );
}
