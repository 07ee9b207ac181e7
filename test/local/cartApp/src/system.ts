/** The shop, declared once: its journal and its one route group. */
import { defineSystem } from '@coffee-es/aws-lambda';
import { entityItems, entityReads, entityWrites, journalTable } from '@coffee-es/dynamodb';
import { cartEntity } from './cart.ts';
import { cartRoutes } from './routes.ts';

export const system = defineSystem({
  service: 'shop',
  tables: { journal: { ...journalTable, envVar: 'JOURNAL_TABLE' } },
  queues: {},
  routes: cartRoutes,
  routeGroups: {
    carts: {
      entry: 'src/http.ts',
      reads: ['journal'],
      writes: ['journal'],
      items: { journal: [entityItems([cartEntity.type], [...entityReads, ...entityWrites])] },
    },
  },
  streamConsumers: {},
  queueConsumers: {},
});

export const eventSchemas = { [cartEntity.type]: cartEntity.events };
