/** A journal table of its own in a database of its own, for one integration suite. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoJournal,
  DynamoStateStore,
  ensureTables,
  type JournalRequest,
  journalTable,
} from '@coffee-es/dynamodb';
import { dynamoClient } from './localStack.ts';

export interface JournalFixture {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly journal: DynamoJournal;
  readonly states: DynamoStateStore;
  readonly streamArn: string | undefined;
  /** Every request the journal and state store made, in order. */
  readonly log: JournalRequest[];
}

export async function journalFixture(suite: string): Promise<JournalFixture> {
  const client = dynamoClient(suite);
  const tableName = 'journal';
  const tables = await ensureTables(client, { [tableName]: journalTable });
  const log: JournalRequest[] = [];
  const onRequest = (request: JournalRequest) => log.push(request);
  return {
    client,
    tableName,
    journal: new DynamoJournal({ client, tableName, onRequest }),
    states: new DynamoStateStore({ client, tableName, onRequest }),
    streamArn: tables[tableName]?.streamArn,
    log,
  };
}
