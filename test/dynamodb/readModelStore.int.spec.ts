/** The read-model store contract on DynamoDB Local: a fresh table per case. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoReadModelStore, ensureTables, readModelTable } from '@coffee-es/dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { dynamoClient } from '../support/localStack.ts';
import { readModelStoreContract } from '../support/readModelStoreContract.ts';

let client: DynamoDBClient;
let tables = 0;
beforeAll(() => {
  client = dynamoClient('readModelStore');
});
afterAll(() => client?.destroy());

readModelStoreContract('DynamoReadModelStore', async () => {
  const table = `readModels${++tables}`;
  await ensureTables(client, { [table]: readModelTable });
  return new DynamoReadModelStore(client, table);
});
