/**
 * Shard bookkeeping for the local stream poller: which shard to read next and where to start in
 * it, given the last processed sequence number. Parents are read before their children, as the
 * Lambda poller does, so records of one key stay in order across a shard split.
 */
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetShardIteratorCommand,
  type GetShardIteratorCommandInput,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { compareSequenceNumbers } from './streamRecords.ts';

/**
 * Every shard of the stream, following DescribeStream's pagination.
 *
 * @example
 * const shards = await listShards(streams, streamArn);
 * @internal
 */
export async function listShards(
  client: DynamoDBStreamsClient,
  streamArn: string,
): Promise<Shard[]> {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const out = await client.send(
      new DescribeStreamCommand({
        StreamArn: streamArn,
        ...(start === undefined ? {} : { ExclusiveStartShardId: start }),
      }),
    );
    shards.push(...(out.StreamDescription?.Shards ?? []));
    start = out.StreamDescription?.LastEvaluatedShardId;
  } while (start !== undefined);
  return shards;
}

/**
 * The next unfinished shard whose parent is finished (or trimmed away). Closed shards that ended
 * at or before `position` were read before a restart: they are marked done.
 *
 * @example
 * const shard = await nextShard(streams, streamArn, done, checkpoint);
 */
export async function nextShard(
  client: DynamoDBStreamsClient,
  streamArn: string,
  done: Set<string>,
  position: string | undefined,
): Promise<Shard | undefined> {
  const shards = await listShards(client, streamArn);
  const ids = new Set(shards.map((s) => s.ShardId));
  for (const shard of shards) {
    const id = shard.ShardId ?? '';
    if (done.has(id)) continue;
    const end = shard.SequenceNumberRange?.EndingSequenceNumber;
    if (end !== undefined && position !== undefined && compareSequenceNumbers(end, position) <= 0) {
      done.add(id);
      continue;
    }
    const parent = shard.ParentShardId;
    if (parent === undefined || !ids.has(parent) || done.has(parent)) return shard;
  }
  return undefined;
}

/**
 * An iterator just after `position` when the shard holds it, at the shard's start when the
 * shard begins after it, and at `startingPosition` when nothing was processed yet.
 *
 * @example
 * const iterator = await shardIterator(streams, streamArn, shard, checkpoint, 'TRIM_HORIZON');
 * @internal
 */
export async function shardIterator(
  client: DynamoDBStreamsClient,
  streamArn: string,
  shard: Shard,
  position: string | undefined,
  startingPosition: 'TRIM_HORIZON' | 'LATEST',
): Promise<string | undefined> {
  const begin = shard.SequenceNumberRange?.StartingSequenceNumber;
  const base = { StreamArn: streamArn, ShardId: shard.ShardId };
  let input: GetShardIteratorCommandInput;
  if (position === undefined) input = { ...base, ShardIteratorType: startingPosition };
  else if (begin === undefined || compareSequenceNumbers(begin, position) <= 0) {
    input = { ...base, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: position };
  } else input = { ...base, ShardIteratorType: 'TRIM_HORIZON' };
  return (await client.send(new GetShardIteratorCommand(input))).ShardIterator;
}
