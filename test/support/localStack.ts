/** Clients for integration specs: each suite gets a database of its own in the shared instance. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientFor } from '@coffee-es/local';
import { inject } from 'vitest';

export function dynamoEndpoint(): string {
  return inject('dynamoEndpoint');
}

/**
 * A client whose access key id is unique: DynamoDB Local keeps a separate database per access key
 * id, which keeps stream records of other suites from slowing this one down.
 */
export function dynamoClient(suite: string): DynamoDBClient {
  const id = `${suite.replace(/[^A-Za-z0-9]/g, '')}${Math.random().toString(36).slice(2, 8)}`;
  return clientFor(dynamoEndpoint(), id);
}
