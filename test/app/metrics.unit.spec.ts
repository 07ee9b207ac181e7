import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { metricNames, storeMetrics } from '../../functions/app/metrics.ts';

afterEach(() => vi.restoreAllMocks());

describe('store metrics', () => {
  it('publishes one Conflicts count per conflict, nothing for other signals', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const observe = storeMetrics(new Metrics({ namespace: 'coffee', serviceName: 'coffee' }));
    observe({ kind: 'cache', streamId: 'Order#1', hit: true });
    observe({ kind: 'conflict', streamId: 'Order#1', attempt: 1 });
    const emf = lines.map((l) => JSON.parse(l)).filter((l) => l._aws);
    expect(emf).toHaveLength(1);
    expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'coffee',
      Metrics: [{ Name: metricNames.conflicts, Unit: 'Count' }],
    });
    expect(emf[0][metricNames.conflicts]).toBe(1);
    expect(emf[0].service).toBe('coffee');
  });

  it('counts a dropped snapshot and warns with where and how large', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const warnings: unknown[][] = [];
    const observe = storeMetrics(new Metrics({ namespace: 'coffee', serviceName: 'coffee' }), {
      warn: (...args: unknown[]) => warnings.push(args),
    });
    observe({
      kind: 'snapshot-dropped',
      streamId: 'Slot#b.s',
      position: 2200,
      sizeBytes: 420_000,
      limitBytes: 409_600,
    });
    const emf = lines.map((l) => JSON.parse(l)).filter((l) => l._aws);
    expect(emf).toHaveLength(1);
    expect(emf[0][metricNames.snapshotsDropped]).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.[1]).toMatchObject({ streamId: 'Slot#b.s', sizeBytes: 420_000 });
  });
});
