/**
 * Custom metrics the stack alarms on. The functions emit them with Powertools Metrics, whose
 * namespace is the service (`POWERTOOLS_METRICS_NAMESPACE`) and whose default dimension is
 * `service`; both sides must agree on these names.
 */

/**
 * Count of appends that lost an optimistic-concurrency race (one per conflicting attempt).
 * @internal
 */
export const conflictsMetricName = 'Conflicts';

/** The dimension Powertools Metrics adds to every metric by default. */
export const serviceDimension = 'service';
