/**
 * Counter writes: events add to an aggregate exactly once. Each event's marker (stream id,
 * position) is written in the same transaction as the addition, so a redelivered event cancels
 * its transaction instead of counting twice. Events of one aggregate share a transaction (up to
 * 99 markers and one update), which is what makes rebuilds fast.
 */
import {
  BatchGetItemCommand,
  type DynamoDBClient,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  type Backoff,
  backoffDelay,
  type CounterChange,
  type CounterEntry,
  counterMarkerKey,
  sleep,
} from '@coffee-es/core';
import { isTransactionCollision, translateReadError } from './errors.ts';

/** How long a marker lives: far beyond the stream's 24-hour retention. */
const markerTtlSeconds = 14 * 24 * 3600;
const markersPerTransaction = 99;
/** Attempts of a transaction that collided with another on the same aggregate. */
const conflictAttempts = 8;
/** Between two tries of a transaction that collided: full jitter under 40 ms, 80 ms, … 1 s. */
const collisionBackoff: Backoff = { baseDelayMs: 20, maxDelayMs: 1_000 };

/** An event, by its stream and position (its marker). */
type EventRef = Pick<CounterEntry, 'streamId' | 'position'>;

interface Pending {
  readonly event: EventRef;
  readonly change: CounterChange;
}

/**
 * Adds each entry's changes exactly once, under its marker (`markerPrefix`): entries of one
 * aggregate share transactions of up to 99 markers. Returns how many entries it added.
 */
export async function addCountersOnce(
  client: DynamoDBClient,
  tableName: string,
  markerPrefix: string,
  entries: readonly CounterEntry[],
  now: Date,
): Promise<number> {
  const groups = new Map<string, Pending[]>();
  const single: Pending[][] = [];
  // A transaction may not touch one item twice: an event repeated within the batch goes once.
  const unique = new Map(entries.map((e) => [`${e.streamId}@${e.position}`, e]));
  for (const { changes, ...event } of unique.values()) {
    // An event that changes several aggregates keeps its own transaction: one marker for all.
    if (changes.length > 1) single.push(changes.map((change) => ({ event, change })));
    const change = changes[0];
    if (changes.length !== 1 || !change) continue;
    const key = `${change.key.pk}|${change.key.sk}`;
    groups.set(key, [...(groups.get(key) ?? []), { event, change }]);
  }
  const expiresAt = Math.floor(now.getTime() / 1000) + markerTtlSeconds;
  const writer = new CounterTransactions(client, tableName, markerPrefix, expiresAt);
  let applied = 0;
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i += markersPerTransaction) {
      applied += await writer.addOnce(group.slice(i, i + markersPerTransaction));
    }
  }
  for (const changes of single) applied += await writer.addAllOnce(changes);
  return applied;
}

class CounterTransactions {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly prefix: string,
    private readonly expiresAt: number,
  ) {}

  markerKey(event: EventRef) {
    return counterMarkerKey(this.prefix, event.streamId, event.position);
  }

  /** Adds events to one aggregate, leaving out those counted before. Returns how many it added. */
  async addOnce(pending: readonly Pending[]): Promise<number> {
    let remaining = pending;
    while (remaining.length > 0) {
      const first = remaining[0] as Pending;
      const sum: Record<string, number> = {};
      for (const { change } of remaining) {
        for (const [field, n] of Object.entries(change.add)) sum[field] = (sum[field] ?? 0) + n;
      }
      const counted = await this.#transact(
        remaining.map((p) => p.event),
        [
          {
            key: first.change.key,
            add: sum,
            ...(first.change.set ? { set: first.change.set } : {}),
          },
        ],
      );
      if (counted === 'written') return remaining.length;
      remaining = remaining.filter((p) => !counted.has(p.event));
    }
    return 0;
  }

  /** One event's changes to several aggregates, under one marker. */
  async addAllOnce(pending: readonly Pending[]): Promise<number> {
    const event = pending[0]?.event;
    if (!event) return 0;
    const counted = await this.#transact(
      [event],
      pending.map((p) => p.change),
    );
    return counted === 'written' ? 1 : 0;
  }

  /** 'written', or the events whose markers were already there (nothing was written then). */
  async #transact(
    events: readonly EventRef[],
    changes: readonly CounterChange[],
  ): Promise<'written' | Set<EventRef>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#transactOnce(events, changes);
      } catch (error) {
        // Another writer's transaction on the same aggregate (projectors of other shards, a
        // rebuild): nothing was written; try again shortly rather than fail the whole record.
        if (!isTransactionCollision(error) || attempt >= conflictAttempts) throw error;
        await sleep(backoffDelay(collisionBackoff, attempt));
      }
    }
  }

  async #transactOnce(
    events: readonly EventRef[],
    changes: readonly CounterChange[],
  ): Promise<'written' | Set<EventRef>> {
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            ...events.map((event) => ({
              Put: {
                TableName: this.tableName,
                Item: marshall({ ...this.markerKey(event), expiresAt: this.expiresAt }),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
            ...changes.map((change) => ({ Update: counterUpdate(this.tableName, change) })),
          ],
        }),
      );
      return 'written';
    } catch (error) {
      const flagged = flaggedMarkers(error, events.length);
      if (flagged.length === 0) {
        throw isTransactionCollision(error)
          ? error
          : translateReadError(error, 'TransactWriteItems');
      }
      // Confirm with a read: a conflicting transaction may be reported as a failed condition.
      const present = await this.#existing(flagged.map((i) => events[i] as EventRef));
      if (present.size === 0) throw translateReadError(error, 'TransactWriteItems');
      return present;
    }
  }

  /**
   * The events whose markers are stored. A key DynamoDB leaves unprocessed counts as absent: its
   * event goes into the next transaction, whose condition tells again.
   */
  async #existing(events: readonly EventRef[]): Promise<Set<EventRef>> {
    let found: Set<string>;
    try {
      const out = await this.client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [this.tableName]: {
              Keys: events.map((e) => marshall(this.markerKey(e))),
              ConsistentRead: true,
              ProjectionExpression: 'pk, sk',
            },
          },
        }),
      );
      found = new Set((out.Responses?.[this.tableName] ?? []).map((i) => `${i.pk?.S}|${i.sk?.S}`));
    } catch (error) {
      throw translateReadError(error, 'BatchGetItem');
    }
    return new Set(
      events.filter((e) => {
        const k = this.markerKey(e);
        return found.has(`${k.pk}|${k.sk}`);
      }),
    );
  }
}

/** Indexes of marker puts (the first `markers` items) whose condition failed. */
function flaggedMarkers(error: unknown, markers: number): number[] {
  if ((error as { name?: string })?.name !== 'TransactionCanceledException') return [];
  const reasons =
    (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons
    .slice(0, markers)
    .flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
}

function counterUpdate(tableName: string, change: CounterChange) {
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
    TableName: tableName,
    Key: marshall(change.key),
    UpdateExpression: [
      sets.length > 0 ? `SET ${sets.join(', ')}` : '',
      adds.length > 0 ? `ADD ${adds.join(', ')}` : '',
    ].join(' '),
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: marshall(values) } : {}),
  };
}
