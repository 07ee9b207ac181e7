/**
 * Business-neutral framework metrics, as CloudWatch embedded metrics (Powertools): the alarms of
 * the stack watch them. `Conflicts` counts optimistic-concurrency conflicts (each one retried);
 * `SnapshotsDropped` counts commits written without their snapshot to stay under the item limit
 * (an entity whose state outgrows a snapshot: loads read further back until it shrinks).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EntityStoreSignal } from '@coffee-es/core';

export const metricNames = {
  conflicts: 'Conflicts',
  snapshotsDropped: 'SnapshotsDropped',
} as const;

/**
 * An EntityStore observer that publishes its counts at once (they are rare, and a command may end
 * in an error before any end-of-invocation flush would run), and warns of dropped snapshots.
 */
export function storeMetrics(metrics: Metrics, logger?: Pick<Logger, 'warn'>) {
  return (signal: EntityStoreSignal): void => {
    if (signal.kind === 'conflict') {
      metrics.addMetric(metricNames.conflicts, MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    } else if (signal.kind === 'snapshot-dropped') {
      logger?.warn('commit written without its snapshot: over the item size limit', {
        streamId: signal.streamId,
        position: signal.position,
        sizeBytes: signal.sizeBytes,
        limitBytes: signal.limitBytes,
      });
      metrics.addMetric(metricNames.snapshotsDropped, MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    }
  };
}
