import {
  type DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  AppendConflict,
  CommitTooLargeError,
  EntityStore,
  historyCommits,
  StoreUnavailableError,
  UnknownEventError,
} from '@coffee-es/core';
import {
  commitToItem,
  DynamoJournal,
  isTransactionConflict,
  writeCommitsInBatches,
} from '@coffee-es/dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CounterEvent, counterEntity } from '../support/counterEntity.ts';
import { type JournalFixture, journalFixture } from '../support/journalFixture.ts';

let f: JournalFixture;
beforeAll(async () => {
  f = await journalFixture('dynamo-journal');
});

const counter = counterEntity({ snapshotEvery: 100 });
const requestsDuring = async (work: () => Promise<unknown>) => {
  const before = f.log.length;
  await work();
  return f.log.slice(before);
};

/** Makes every request of one kind fail the way the service would, before or after sending. */
function injectFault(
  client: DynamoDBClient,
  commandName: string,
  error: Error,
  when: 'before' | 'after',
): () => void {
  const name = `fault-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== commandName) return next(args);
      if (when === 'before') throw error;
      await next(args);
      throw error;
    },
    { step: 'initialize', name },
  );
  return () => client.middlewareStack.remove(name);
}

describe('DynamoJournal on DynamoDB Local', () => {
  it('loads a 10,000-event entity from its snapshot in exactly one request', async () => {
    const events: CounterEvent[] = Array.from({ length: 10_000 }, () => ({
      type: 'Incremented',
      data: { by: 1 },
    }));
    await writeCommitsInBatches(
      f.client,
      f.tableName,
      historyCommits(counter, 'Counter#loyal', events),
    );
    const store = new EntityStore(counter, { journal: f.journal });
    const log = await requestsDuring(async () => {
      expect(await store.get('loyal', { consistent: true })).toMatchObject({
        state: { count: 10_000 },
        version: 10_000,
      });
    });
    expect(log.map((r) => r.operation)).toEqual(['Query']);
    // One page, bounded by the snapshot interval: never more than 101 items, whatever the length.
    expect(log[0]?.items).toBeLessThanOrEqual(101);

    const reshaped = new EntityStore(counterEntity({ snapshotEvery: 100, schemaVersion: 2 }), {
      journal: f.journal,
    });
    const replay = await requestsDuring(async () => {
      expect(await reshaped.get('loyal')).toMatchObject({
        state: { count: 10_000 },
        version: 10_000,
      });
    });
    expect(replay.length).toBeGreaterThan(1);
  });

  it('refuses a commit over the item size limit before writing anything', async () => {
    const store = new EntityStore(counter, { journal: f.journal });
    const huge = 'x'.repeat(410_000);
    const log = await requestsDuring(async () => {
      await expect(
        store.execute('big', { type: 'Increment', data: { by: 1, note: huge } }, { isNew: true }),
      ).rejects.toBeInstanceOf(CommitTooLargeError);
    });
    expect(log.filter((r) => r.operation === 'PutItem')).toEqual([]);
    expect(await store.get('big', { consistent: true })).toBeUndefined();
    const fits = await store.execute('big', {
      type: 'Increment',
      data: { by: 1, note: 'x'.repeat(400_000) },
    });
    expect(fits.version).toBe(1);
  });

  it('names the stream and position of an event it cannot read', async () => {
    const [commit] = historyCommits(counter, 'Counter#odd', [
      { type: 'Incremented', data: { by: 1 } },
    ]);
    if (!commit) throw new Error('no commit');
    const item = commitToItem({
      ...commit,
      events: [{ type: 'Exploded', schemaVersion: 1, data: {} }],
    });
    await f.client.send(new PutItemCommand({ TableName: f.tableName, Item: item }));
    const store = new EntityStore(counter, { journal: f.journal });
    const failure = store.get('odd');
    await expect(failure).rejects.toBeInstanceOf(UnknownEventError);
    await expect(failure).rejects.toMatchObject({ streamId: 'Counter#odd', position: 1 });
    const future = commitToItem({
      ...commit,
      streamId: 'Counter#future',
      events: [{ type: 'Incremented', schemaVersion: 9, data: { by: 1 } }],
    });
    await f.client.send(new PutItemCommand({ TableName: f.tableName, Item: future }));
    await expect(store.get('future')).rejects.toThrow(/Counter#future at position 1/);
  });

  it('returns the commit that holds a taken position', async () => {
    const store = new EntityStore(counter, { journal: f.journal });
    await store.execute('taken', { type: 'Increment', data: { by: 3 } });
    const [again] = historyCommits(counter, 'Counter#taken', [
      { type: 'Incremented', data: { by: 9 } },
    ]);
    if (!again) throw new Error('no commit');
    const conflict = await f.journal.append(again).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(AppendConflict);
    expect((conflict as AppendConflict).existing?.events[0]?.data).toEqual({ by: 3 });
  });

  it('reports throttling as a retryable unavailable error and writes nothing', async () => {
    const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    });
    const restore = injectFault(f.client, 'PutItemCommand', throttled, 'before');
    try {
      const store = new EntityStore(counter, { journal: f.journal });
      const failure = store.execute('throttled', { type: 'Increment', data: { by: 1 } });
      await expect(failure).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(failure).rejects.toMatchObject({ code: 'unavailable', retryable: true });
    } finally {
      restore();
    }
    expect(await f.journal.readAfter('Counter#throttled', 0, { consistent: true })).toEqual([]);
  });

  it('resolves a timed-out write by re-reading its position', async () => {
    const timeout = Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    let once = true;
    const name = 'timeout-once';
    f.client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'PutItemCommand' && once) {
          once = false;
          throw timeout;
        }
        return result;
      },
      { step: 'initialize', name },
    );
    try {
      const store = new EntityStore(counter, { journal: f.journal });
      const result = await store.execute('timeout', { type: 'Increment', data: { by: 1 } });
      expect(result.version).toBe(1);
    } finally {
      f.client.middlewareStack.remove(name);
    }
    const commits = await f.journal.readAfter('Counter#timeout', 0, { consistent: true });
    expect(commits.map((c) => c.from)).toEqual([1]);
  });

  it('recognises a cancelled transaction as a conflict', async () => {
    const [commit] = historyCommits(counter, 'Counter#tx', [
      { type: 'Incremented', data: { by: 1 } },
    ]);
    if (!commit) throw new Error('no commit');
    const put = {
      Put: {
        TableName: f.tableName,
        Item: commitToItem(commit),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    await f.client.send(new TransactWriteItemsCommand({ TransactItems: [put] }));
    const error = await f.client
      .send(new TransactWriteItemsCommand({ TransactItems: [put] }))
      .catch((e: unknown) => e);
    expect(isTransactionConflict(error)).toBe(true);
  });

  it('lists streams and scans commits by entity type', async () => {
    const local = await journalFixture('dynamo-journal-scan');
    const store = new EntityStore(counter, { journal: local.journal });
    for (const id of ['a', 'b', 'c']) {
      await store.execute(id, { type: 'Increment', data: { by: 1 } });
      await store.execute(id, { type: 'Increment', data: { by: 1 } });
    }
    const { streamIds } = await local.journal.listStreams('Counter');
    expect([...streamIds].sort()).toEqual(['Counter#a', 'Counter#b', 'Counter#c']);
    expect((await local.journal.listStreams('Nothing')).streamIds).toEqual([]);
    const segments = await Promise.all(
      [0, 1, 2].map((segment) =>
        local.journal.scan({ segment, totalSegments: 3, entityTypes: ['Counter'] }),
      ),
    );
    const commits = segments.flatMap((page) => page.commits);
    expect(commits).toHaveLength(6);
    expect(new DynamoJournal({ client: local.client, tableName: local.tableName })).toBeDefined();
  });
});
