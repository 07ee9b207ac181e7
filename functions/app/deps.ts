/**
 * The app's dependencies, built once per container from the parsed configuration: clients,
 * entity stores, the durable-state store and the read models.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DurableStateStore,
  declaredEntity,
  EntityStore,
  type ReadModelReader,
} from '@coffee-es/core';
import {
  ClaimingJournal,
  DynamoJournal,
  DynamoReadModelReader,
  DynamoStateStore,
} from '@coffee-es/dynamodb';
import { ulid } from 'ulid';
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
import { entities } from './entities.ts';
import { KnownEntities } from './knownEntities.ts';
import { loyaltyClaims } from './loyalty.ts';
import { storeMetrics } from './metrics.ts';
import { serviceName } from './service.ts';

export interface AppDeps {
  readonly customers: EntityStore<CustomerState, CustomerCommand, CustomerEvent>;
  readonly orders: EntityStore<OrderState, OrderCommand, OrderEvent>;
  readonly slots: EntityStore<SlotState, SlotCommand, SlotEvent>;
  readonly branches: DurableStateStore<Branch>;
  /** Whether a branch or customer exists, remembered once it does. */
  readonly known: KnownEntities;
  /** The read models (eventual), read through each projection's typed `get`/`query`. */
  readonly readModels: ReadModelReader;
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

/** Made on first use: a function gets only the tables its route group declares. */
const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
};

/**
 * The dependencies, each built on first use: a function whose route group does not declare the
 * journal (the operations group) never asks for JOURNAL_TABLE.
 */
export function createDeps(config: AppConfig, client = dynamoClientFor(config)): AppDeps {
  const journalTable = once(() => required(config, 'JOURNAL_TABLE'));
  const options = once(() => {
    const observe = storeMetrics(
      new Metrics({ namespace: serviceName, serviceName }),
      new Logger({ serviceName, logLevel: config.LOG_LEVEL }),
    );
    return {
      journal: new DynamoJournal({
        client,
        tableName: journalTable(),
        onSnapshotDropped: (drop) => observe({ kind: 'snapshot-dropped', ...drop }),
      }),
      cacheSize: config.ENTITY_CACHE_SIZE,
      observe,
    };
  });
  // Loyalty's credits and refunds claim their keys atomically with the customer's commit.
  const customers = once(() => {
    const base = options();
    const journal = new ClaimingJournal({
      client,
      tableName: journalTable(),
      journal: base.journal,
      claimsOf: loyaltyClaims,
    });
    return new EntityStore(declaredEntity(entities, customerEntity), { ...base, journal });
  });
  const orders = once(() => new EntityStore(declaredEntity(entities, orderEntity), options()));
  const slots = once(() => new EntityStore(declaredEntity(entities, slotEntity), options()));
  const branches = once(
    () =>
      new DurableStateStore<Branch>(branchDefinition, {
        store: new DynamoStateStore({ client, tableName: journalTable() }),
      }),
  );
  const known = once(
    () =>
      new KnownEntities({
        branch: async (id) => (await branches().get(id)) !== undefined,
        customer: async (id) => (await customers().get(id)) !== undefined,
      }),
  );
  // The table is asked for on the first query: a group without read models never names it.
  const readModels = once(
    () => new DynamoReadModelReader(client, required(config, 'READ_MODEL_TABLE')),
  );
  return {
    get customers() {
      return customers();
    },
    get orders() {
      return orders();
    },
    get slots() {
      return slots();
    },
    get branches() {
      return branches();
    },
    get known() {
      return known();
    },
    get readModels() {
      return readModels();
    },
    newId: () => ulid(),
    clock: () => new Date(),
  };
}
