/** Whole journal tables side by side, for the journal tools' specs: every item, in key order. */
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  ClaimingJournal,
  DynamoJournal,
  DynamoStateStore,
  ensureTables,
  journalTable,
} from '@coffee-es/dynamodb';

export type RawItem = Record<string, unknown>;

/** Every item of `table`, sorted by pk then sk (items compare as JSON). */
export async function allItems(client: DynamoDBClient, table: string): Promise<RawItem[]> {
  const items: RawItem[] = [];
  let start: Record<string, never> | undefined;
  do {
    const out = await client.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...((out.Items ?? []) as RawItem[]));
    start = out.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  const key = (i: RawItem) => {
    const { pk, sk } = i as { pk: { S: string }; sk: { N: string } };
    return `${pk.S}\u0000${sk.N.padStart(12, '0')}`;
  };
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Items of every other kind a journal holds, written through the packages' stores: a
 * durable-state record, a refusal note, and a commit that claims a unique key.
 */
export async function seedOtherKinds(client: DynamoDBClient, tableName: string): Promise<void> {
  const journal = new DynamoJournal({ client, tableName });
  await new DynamoStateStore({ client, tableName }).put({
    key: 'Branch#lisbon-1',
    entityType: 'Branch',
    revision: 1,
    state: { name: 'Baixa', city: 'Lisbon' },
    schemaVersion: 1,
    updatedAt: '2026-11-30T09:00:00.000Z',
  });
  await journal.writeNote({
    streamId: 'Order#seed-000001',
    entityType: 'Order',
    position: 6,
    refusals: [{ key: 'k-refused', fingerprint: 'f9', answer: { status: 409 }, at: 1_796_000_000 }],
    revision: 1,
    expiresAt: Math.floor(Date.now() / 1000) + 86_400,
  });
  await new ClaimingJournal({
    client,
    tableName,
    journal,
    claimsOf: (commit) => ({
      claims: commit.streamId === 'Customer#ana' ? ['email:ana@x.io'] : [],
      requires: [],
    }),
  }).append({
    streamId: 'Customer#ana',
    entityType: 'Customer',
    from: 1,
    to: 1,
    events: [
      {
        type: 'CustomerRegistered',
        schemaVersion: 1,
        data: {
          customerId: 'ana',
          name: 'Ana',
          email: 'ana@x.io',
          registeredAt: '2026-11-30T09:00:00.000Z',
        },
      },
    ],
    recordedAt: '2026-11-30T09:00:00.000Z',
    commandId: 'register-ana',
    tags: ['vip'],
  });
}

/**
 * Journal-shaped tables without a stream, for the copies the journal tools write into. On
 * DynamoDB Local a write into a table with a stream costs several times more, and more as the
 * database's stream grows (measured: 5,000 items in 12 s with a stream, 2 s without, in a
 * database already holding 5,000): the copy's own stream is not what these specs check, and
 * with one the migration spec alone took six minutes.
 */
export async function ensureCopyTables(
  client: DynamoDBClient,
  names: readonly string[],
): Promise<void> {
  const { stream: _stream, ...withoutStream } = journalTable;
  await ensureTables(client, Object.fromEntries(names.map((name) => [name, withoutStream])));
}
