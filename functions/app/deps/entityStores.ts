/**
 * The entity stores of a function, one per entity type, made on first use (`deps.stores.of(entity)`):
 * a route names its entity and nothing more. They share the journal, the cache size and the metrics.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { EntityStores } from '@coffee-es/core';
import { ClaimingJournal, DynamoJournal } from '@coffee-es/dynamodb';
import { loyaltyClaims } from '../loyaltyClaims.ts';
import { storeMetrics } from '../metrics.ts';
import { serviceName } from '../service.ts';
import type { DepMaker, DepsContext } from './compose.ts';

export function entityStoreOptions(context: DepsContext) {
  return context.shared('entityStoreOptions', () => {
    const observe = storeMetrics(
      new Metrics({ namespace: serviceName, serviceName }),
      new Logger({ serviceName, logLevel: context.config.LOG_LEVEL }),
    );
    return {
      journal: new DynamoJournal({
        client: context.client,
        tableName: context.journalTable(),
        onSnapshotDropped: (drop) => observe({ kind: 'snapshot-dropped', ...drop }),
      }),
      cacheSize: context.config.ENTITY_CACHE_SIZE,
      observe,
    };
  });
}

export const stores: DepMaker<'stores'> = (context) => {
  const base = entityStoreOptions(context);
  // Loyalty's credits and refunds claim their keys atomically with the customer's commit; a
  // commit that claims nothing (every other) is the plain journal's append.
  const journal = new ClaimingJournal({
    client: context.client,
    tableName: context.journalTable(),
    journal: base.journal,
    claimsOf: loyaltyClaims,
  });
  return new EntityStores({ ...base, journal });
};
