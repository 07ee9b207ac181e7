/** The Lambda entry point of the cart routes; its configuration is read once, at cold start. */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createHttpHandler } from '@coffee-es/aws-lambda';
import { EntityStore } from '@coffee-es/core';
import { DynamoJournal } from '@coffee-es/dynamodb';
import { cartEntity } from './cart.ts';
import { type CartDeps, cartRoutes } from './routes.ts';

const tableName = process.env.JOURNAL_TABLE;
if (!tableName) throw new Error('JOURNAL_TABLE is not set');
const endpoint = process.env.DYNAMODB_ENDPOINT;

export const handler = createHttpHandler<CartDeps>({
  routes: cartRoutes,
  logger: new Logger({ serviceName: 'shop', logLevel: 'WARN' }),
  deps: () => {
    const client = new DynamoDBClient(endpoint ? { endpoint } : {});
    return {
      carts: new EntityStore(cartEntity, { journal: new DynamoJournal({ client, tableName }) }),
    };
  },
});
