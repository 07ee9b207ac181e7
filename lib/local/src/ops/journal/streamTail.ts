/**
 * The journal's DynamoDB stream, read from a mark taken before a copy's full pass and applied to
 * the copy: each record's new image put (or its key deleted, for a removal), in stream order,
 * which per key is the order of the writes. Whatever the full pass copied, replaying every change
 * made since the mark, in order, leaves each key as the source last wrote it. Streams, not a
 * re-scan by time: a commit's recorded time is its writer's clock, taken before the write lands,
 * so a high-water mark on it misses late writes unless padded by a guess, and a scan costs the
 * whole table per pass.
 *
 * The mark is a LATEST iterator per open shard, kept alive by `keepAlive` (an iterator expires
 * after 15 minutes; each read returns a fresh one) until the first record after the mark shows
 * up, whose sequence number is then the place to start from. Shards that appear later are
 * children of those: read from their start, after their parents. Every stream read waits out
 * throttling past the SDK's retries, as the table reads and writes do.
 */

import type { DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { listShards } from '../../streamShards.ts';
import type { RawItem } from './format.ts';
import { isImportMarker } from './format.ts';
import { writeBatch } from './items.ts';
import { withThrottleRetry } from './throttling.ts';

interface ShardState {
  parent?: string;
  /** An iterator to read on from (kept alive between reads). */
  iterator?: string;
  /** Where to start again: the first record after the mark (seen by keepAlive, not applied). */
  startAt?: string;
  /** The last record applied. */
  applied?: string;
  /** Read to its end (closed), or closed before the mark. */
  done: boolean;
}

export class StreamTail {
  readonly #shards = new Map<string, ShardState>();
  #applied = 0;

  private constructor(
    private readonly streams: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly target: { readonly client: DynamoDBClient; readonly table: string },
  ) {}

  /** Marks the stream's present end: everything after it will be applied by `catchUp`. */
  static async mark(
    streams: DynamoDBStreamsClient,
    streamArn: string,
    target: { readonly client: DynamoDBClient; readonly table: string },
  ): Promise<StreamTail> {
    const tail = new StreamTail(streams, streamArn, target);
    for (const shard of await withThrottleRetry(() => listShards(streams, streamArn))) {
      const id = shard.ShardId ?? '';
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      const state: ShardState = {
        done: closed,
        ...(shard.ParentShardId ? { parent: shard.ParentShardId } : {}),
      };
      if (!closed) {
        const out = await withThrottleRetry(() =>
          streams.send(
            new GetShardIteratorCommand({
              StreamArn: streamArn,
              ShardId: id,
              ShardIteratorType: 'LATEST',
            }),
          ),
        );
        if (out.ShardIterator) state.iterator = out.ShardIterator;
      }
      tail.#shards.set(id, state);
    }
    return tail;
  }

  /** Records applied so far. */
  get applied(): number {
    return this.#applied;
  }

  /**
   * Reads each marked shard once without applying, to keep its iterator from expiring during a
   * long full pass; a shard that shows a record keeps that record's sequence number as its start.
   */
  async keepAlive(): Promise<void> {
    for (const state of this.#shards.values()) {
      if (state.done || state.startAt !== undefined || !state.iterator) continue;
      const iterator = state.iterator;
      const out = await withThrottleRetry(() =>
        this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1 })),
      );
      const first = out.Records?.[0]?.dynamodb?.SequenceNumber;
      if (first !== undefined) {
        state.startAt = first;
        delete state.iterator;
      } else if (out.NextShardIterator) state.iterator = out.NextShardIterator;
      else state.done = true;
    }
  }

  /** Applies every record after the mark up to the stream's present end; how many it applied. */
  async catchUp(): Promise<number> {
    const before = this.#applied;
    await this.#learnNewShards();
    // Parents before children, so that a key's records stay in order across a split.
    for (let progressed = true; progressed; ) {
      progressed = false;
      for (const [id, state] of this.#readable()) {
        if (await this.#readShard(id, state)) progressed = true;
      }
    }
    return this.#applied - before;
  }

  /** Shards that appeared since the mark: children, read from their start. */
  async #learnNewShards(): Promise<void> {
    for (const shard of await withThrottleRetry(() => listShards(this.streams, this.streamArn))) {
      const id = shard.ShardId ?? '';
      if (this.#shards.has(id)) continue;
      const parent = shard.ParentShardId;
      this.#shards.set(id, { done: false, ...(parent ? { parent } : {}) });
    }
  }

  /** Unfinished shards whose parent is finished (or unknown: trimmed, or older than the mark). */
  #readable(): [string, ShardState][] {
    return [...this.#shards].filter(([, state]) => {
      if (state.done) return false;
      const parent = state.parent === undefined ? undefined : this.#shards.get(state.parent);
      return !parent || parent.done;
    });
  }

  /** Reads a shard until a read comes back empty; true when the shard is closed and read to its end. */
  async #readShard(id: string, state: ShardState): Promise<boolean> {
    let iterator = state.iterator ?? (await this.#iterator(id, state));
    while (iterator) {
      const from = iterator;
      const out = await withThrottleRetry(() =>
        this.streams.send(new GetRecordsCommand({ ShardIterator: from })),
      );
      const records = out.Records ?? [];
      await this.#apply(records);
      const last = records.at(-1)?.dynamodb?.SequenceNumber;
      if (last !== undefined) state.applied = last;
      iterator = out.NextShardIterator;
      if (records.length === 0) break;
    }
    if (iterator) {
      state.iterator = iterator;
      return false;
    }
    delete state.iterator;
    state.done = true;
    return true;
  }

  async #iterator(id: string, state: ShardState): Promise<string | undefined> {
    const base = { StreamArn: this.streamArn, ShardId: id };
    const input =
      state.applied !== undefined
        ? {
            ...base,
            ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const,
            SequenceNumber: state.applied,
          }
        : state.startAt !== undefined
          ? {
              ...base,
              ShardIteratorType: 'AT_SEQUENCE_NUMBER' as const,
              SequenceNumber: state.startAt,
            }
          : { ...base, ShardIteratorType: 'TRIM_HORIZON' as const };
    const out = await withThrottleRetry(() =>
      this.streams.send(new GetShardIteratorCommand(input)),
    );
    return out.ShardIterator;
  }

  /** Puts and deletes in record order, 25 a request; a key written twice in one request keeps its last write. */
  async #apply(records: readonly StreamRecord[]): Promise<void> {
    let batch = new Map<string, WriteRequest>();
    const flush = async () => {
      if (batch.size === 0) return;
      await writeBatch(this.target.client, this.target.table, [...batch.values()]);
      batch = new Map();
    };
    for (const record of records) {
      const keys = record.dynamodb?.Keys as RawItem | undefined;
      if (!keys) continue;
      const name = `${keys.pk?.S}\u0000${keys.sk?.N}`;
      const image = record.dynamodb?.NewImage as RawItem | undefined;
      if (image && isImportMarker(image)) continue;
      const request: WriteRequest =
        record.eventName === 'REMOVE' || !image
          ? { DeleteRequest: { Key: keys } }
          : { PutRequest: { Item: image } };
      if (batch.has(name)) await flush();
      batch.set(name, request);
      this.#applied++;
      if (batch.size === 25) await flush();
    }
    await flush();
  }
}
