/**
 * The coffee franchise, declared once: tables, queues, routes and their route groups, stream and
 * queue consumers. `npm start`, the tests and the CDK stack are all built from this.
 */
import { journalTable, readModelTable } from '../../lib/dynamodb/tables.ts';
import type { Route } from '../../lib/http/route.ts';
import { defineSystem } from '../../lib/system/declaration.ts';
import type { AppDeps } from './deps.ts';
import { branchRoutes } from './routes/branches.ts';
import { customerRoutes } from './routes/customers.ts';
import { operationRoutes } from './routes/operations.ts';
import { orderRoutes } from './routes/orders.ts';
import { slotRoutes } from './routes/slots.ts';
import { serviceName } from './service.ts';

const routes: Route<AppDeps>[] = [
  ...branchRoutes,
  ...customerRoutes,
  ...orderRoutes,
  ...slotRoutes,
];
routes.push(...operationRoutes(() => routes));

const httpEntry = 'functions/handlers/http.ts';

export const system = defineSystem({
  service: serviceName,
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
  routeGroups: {
    branches: { entry: httpEntry, reads: ['journal'], writes: ['journal'] },
    customers: { entry: httpEntry, reads: ['journal', 'readModels'], writes: ['journal'] },
    orders: { entry: httpEntry, reads: ['journal'], writes: ['journal'] },
    slots: { entry: httpEntry, reads: ['journal', 'readModels'], writes: ['journal'] },
    reports: { entry: httpEntry, reads: ['journal', 'readModels'] },
    operations: { entry: httpEntry, reads: ['readModels'] },
  },
  streamConsumers: {
    projector: {
      entry: 'functions/handlers/projector.ts',
      table: 'journal',
      // The journal too: a document behind its commit reads the missing commits from it.
      reads: ['readModels', 'journal'],
      writes: ['readModels'],
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
      batchSize: 10,
      maxConcurrency: 5,
      timeoutSeconds: 30,
    },
  },
});

export type CoffeeSystem = typeof system;
