/**
 * The coffee franchise, declared once: tables, queues, routes and their route groups, stream and
 * queue consumers. `npm start`, the tests and the CDK stack are all built from this.
 */

import { defineSystem, type Route, type RouteGroupDeclaration } from '@coffee-es/aws-lambda';
import { projectionStatusKey } from '@coffee-es/core';
import {
  claimItems,
  entityItems,
  entityReads,
  entityWrites,
  journalTable,
  readModelQueries,
  readModelTable,
  readModelWrites,
} from '@coffee-es/dynamodb';
import { branchDefinition, customerEntity, orderEntity, slotEntity } from '../domain/index.ts';
import { availability } from '../projections/availability.ts';
import { dailySales } from '../projections/dailySales.ts';
import { readSide } from '../projections/index.ts';
import { orderHistory } from '../projections/orderHistory.ts';
import { routes } from './generated/routes.ts';
import { staffOnly } from './routes/access.ts';
import { serviceName } from './service.ts';

/**
 * Each group's function has an entry of its own that imports only that group's routes, so that
 * its bundle holds no other group's code (`npm run generate` writes it; a spec holds each
 * entry's routes equal to these).
 */
const httpEntry = (group: string) => `functions/handlers/http/${group}.ts`;

// What each function sends to which items (see lib/dynamodb/itemAccess.ts); the deployed roles allow
// exactly this: the entity types' streams in the journal, by type.
const readWrite = [...entityReads, ...entityWrites];
const owns = (type: string) => entityItems([type], readWrite);
const reads = (...types: string[]) => entityItems(types, entityReads);
const queries = (...prefixes: string[]) => ({ keys: prefixes, requests: readModelQueries });
const partitionsOf = (projection: { readonly keyPrefix: string }) => `${projection.keyPrefix}*`;

type Group = RouteGroupDeclaration<'journal' | 'readModels', 'events'>;

/**
 * Every route group of the routes, with its entry. A group declared here gets what is declared;
 * one that is not (a new route module) reads and writes the streams of the entities its command
 * routes run on, and nothing else.
 */
function routeGroupsOf(
  all: readonly Pick<Route, 'group' | 'entityType'>[],
  declared: Readonly<Record<string, Omit<Group, 'entry'>>>,
): Record<string, Group> {
  const groups = [...new Set(all.map((route) => route.group))];
  return Object.fromEntries(
    groups.map((group) => {
      const types = all.flatMap((r) => (r.group === group && r.entityType ? [r.entityType] : []));
      const derived: Omit<Group, 'entry'> = {
        reads: ['journal'],
        writes: ['journal'],
        items: { journal: [entityItems([...new Set(types)], readWrite)] },
      };
      return [group, { entry: httpEntry(group), ...(declared[group] ?? derived) }];
    }),
  );
}

/** Every type whose streams the read side reads back: the entities' and the durable states'. */
const readBack = [
  ...new Set([branchDefinition.type, ...readSide.entities.map((entity) => entity.type)]),
];

export const system = defineSystem({
  service: serviceName,
  readSide,
  tables: {
    journal: { ...journalTable, envVar: 'JOURNAL_TABLE', critical: true },
    readModels: { ...readModelTable, envVar: 'READ_MODEL_TABLE' },
  },
  queues: {
    events: {
      envVar: 'EVENTS_QUEUE_URL',
      fifo: true,
      maxReceiveCount: 5,
      // At least six times the consumer's timeout, as Lambda recommends for SQS sources.
      visibilityTimeoutSeconds: 180,
    },
  },
  routes,
  routeGroups: routeGroupsOf(routes, {
    branches: {
      reads: ['journal'],
      writes: ['journal'],
      items: { journal: [owns(branchDefinition.type)] },
    },
    customers: {
      reads: ['journal', 'readModels'],
      writes: ['journal'],
      items: {
        journal: [owns(customerEntity.type)],
        readModels: [queries(partitionsOf(orderHistory))],
      },
    },
    orders: {
      reads: ['journal'],
      writes: ['journal'],
      items: {
        journal: [owns(orderEntity.type), reads(branchDefinition.type, customerEntity.type)],
      },
    },
    slots: {
      reads: ['journal', 'readModels'],
      writes: ['journal'],
      items: {
        journal: [owns(slotEntity.type), reads(branchDefinition.type)],
        readModels: [queries(partitionsOf(availability))],
      },
    },
    reports: {
      reads: ['journal', 'readModels'],
      items: {
        journal: [reads(branchDefinition.type)],
        readModels: [queries(partitionsOf(dailySales))],
      },
    },
    operations: {
      // GET /openapi.json reads the document from beside the bundle (npm run generate writes it).
      files: ['functions/app/routes/openapi.json'],
      reads: ['readModels'],
      items: { readModels: [queries(projectionStatusKey)] },
    },
  }),
  // Its function knows the method and path of every route (functions/app/routeTable.ts, written
  // from these routes), so it tells 404 from 405.
  defaultRouteGroup: 'operations',
  // The operator console's API (npm start, /_console/): staff, as GET /projections.
  operators: staffOnly,
  // Deployed too, behind the HTTP API under /_console/ (the stack ships the console's files).
  operatorApi: { entry: 'functions/handlers/operators.ts' },
  streamConsumers: {
    projector: {
      entry: 'functions/handlers/projector.ts',
      table: 'journal',
      // The journal too: a document behind its commit reads the missing commits from it.
      reads: ['readModels', 'journal'],
      writes: ['readModels'],
      items: {
        // Gaps are healed by reading the missing commits of the stream a document follows.
        journal: [reads(...readBack)],
        readModels: [
          {
            keys: [...readSide.projections.map(partitionsOf), projectionStatusKey],
            requests: readModelWrites,
          },
        ],
      },
      batchSize: 100,
      maximumRetryAttempts: 5,
      // As long as the stream keeps records: an outage shorter than that loses nothing.
      maximumRecordAgeSeconds: 86_400,
      bisectBatchOnFunctionError: true,
      // Durable-state records too, so that a projection can follow a durable-state entity.
      filter: { attribute: 'kind', equals: ['commit', 'state'] },
      // A document whose set-aside commit was its stream's last gets no later commit to repair
      // it: the sweep hands the set-aside records over again once they can be applied.
      sweepFailuresEverySeconds: 2,
      timeoutSeconds: 30,
    },
    relay: {
      entry: 'functions/handlers/relay.ts',
      table: 'journal',
      sendsTo: ['events'],
      batchSize: 100,
      // No limit: an SQS outage of any length short of the stream's 24 hours loses nothing. The
      // relay sets aside by itself what can never be sent (RELAY_FAILURES_QUEUE_URL).
      maximumRetryAttempts: -1,
      maximumRecordAgeSeconds: 86_400,
      bisectBatchOnFunctionError: true,
      filter: { attribute: 'kind', equals: ['commit', 'state'] },
      failureQueueEnvVar: 'RELAY_FAILURES_QUEUE_URL',
      timeoutSeconds: 30,
    },
  },
  queueConsumers: {
    loyalty: {
      entry: 'functions/handlers/loyalty.ts',
      queue: 'events',
      reads: ['journal'],
      writes: ['journal'],
      // Points are customer commands, each claiming its key with the commit (a transaction).
      items: { journal: [owns(customerEntity.type), claimItems] },
      batchSize: 10,
      maxConcurrency: 5,
      timeoutSeconds: 30,
    },
  },
});

export type CoffeeSystem = typeof system;
