/**
 * The app's dependencies, built once per container from the parsed configuration: clients,
 * entity stores, the durable-state store and the read models.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { DurableStateStore } from '../../lib/core/durableStateStore.ts';
import { EntityStore } from '../../lib/core/entityStore.ts';
import { DynamoIdempotencyRecords } from '../../lib/dynamodb/idempotencyRecords.ts';
import { DynamoJournal } from '../../lib/dynamodb/journal.ts';
import { DynamoStateStore } from '../../lib/dynamodb/stateStore.ts';
import {
  type Branch,
  branchDefinition,
  type CustomerCommand,
  type CustomerEvent,
  type CustomerState,
  customerEntity,
  type OrderCommand,
  type OrderEvent,
  type OrderState,
  orderEntity,
  type SlotCommand,
  type SlotEvent,
  type SlotState,
  slotEntity,
} from '../domain/index.ts';
import { type AppConfig, required } from './config.ts';
import { storeMetrics } from './metrics.ts';
import { ReadModels } from './readModels.ts';
import { serviceName } from './service.ts';

export interface AppDeps {
  readonly customers: EntityStore<CustomerState, CustomerCommand, CustomerEvent>;
  readonly orders: EntityStore<OrderState, OrderCommand, OrderEvent>;
  readonly slots: EntityStore<SlotState, SlotCommand, SlotEvent>;
  readonly branches: DurableStateStore<Branch>;
  readonly idempotency: DynamoIdempotencyRecords;
  readonly readModels: ReadModels;
  /** A new server-generated id (a ULID). */
  readonly newId: () => string;
  readonly clock: () => Date;
}

export function dynamoClientFor(config: Pick<AppConfig, 'AWS_REGION' | 'DYNAMODB_ENDPOINT'>) {
  return new DynamoDBClient({
    region: config.AWS_REGION,
    ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
  });
}

export function createDeps(config: AppConfig, client = dynamoClientFor(config)): AppDeps {
  const journalTable = required(config, 'JOURNAL_TABLE');
  const journal = new DynamoJournal({ client, tableName: journalTable });
  const metrics = new Metrics({ namespace: serviceName, serviceName: serviceName });
  const options = { journal, cacheSize: config.ENTITY_CACHE_SIZE, observe: storeMetrics(metrics) };
  return {
    customers: new EntityStore(customerEntity, options),
    orders: new EntityStore(orderEntity, options),
    slots: new EntityStore(slotEntity, options),
    branches: new DurableStateStore<Branch>(branchDefinition, {
      store: new DynamoStateStore({ client, tableName: journalTable }),
    }),
    idempotency: new DynamoIdempotencyRecords({ client, tableName: journalTable }),
    readModels: new ReadModels(client, config.READ_MODEL_TABLE),
    newId: () => ulid(),
    clock: () => new Date(),
  };
}
