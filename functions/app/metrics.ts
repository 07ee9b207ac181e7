/**
 * Business-neutral framework metrics, as CloudWatch embedded metrics (Powertools): the alarms of
 * the stack watch them. `Conflicts` counts optimistic-concurrency conflicts (each one retried).
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EntityStoreSignal } from '../../lib/core/commands.ts';

export const metricNames = { conflicts: 'Conflicts' } as const;

/**
 * An EntityStore observer that publishes a `Conflicts` count at once (conflicts are rare, and a
 * command may end in an error before any end-of-invocation flush would run).
 */
export function storeMetrics(metrics: Metrics) {
  return (signal: EntityStoreSignal): void => {
    if (signal.kind !== 'conflict') return;
    metrics.addMetric(metricNames.conflicts, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
  };
}
