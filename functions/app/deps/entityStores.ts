/** What every entity store of a function shares: the journal, the cache size, the metrics. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoJournal } from '@coffee-es/dynamodb';
import { storeMetrics } from '../metrics.ts';
import { serviceName } from '../service.ts';
import type { DepsContext } from './compose.ts';

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
