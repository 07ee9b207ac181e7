/**
 * The invariant checker, bounded: concurrent keyed clients through `npm start`, DynamoDB faults
 * switched on and off, a Ctrl-C (SIGINT to the group), a SIGTERM to the node process alone and a
 * SIGKILL of the group in the middle,
 * each followed by a restart on the same DATA_DIR. The full run is `npm run chaos`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runChaos } from './run.ts';
import { killServers } from './server.ts';

describe('invariants under faults and stops', () => {
  afterAll(() => killServers());

  it('keeps every promise: exactly-once effects, gap-free versions, capacity, loyalty, history, sales', async () => {
    const report = await runChaos({
      clients: 8,
      commandsPerClient: 40,
      stops: ['SIGINT-group', 'SIGTERM-process', 'SIGKILL-group'],
      faults: true,
      settleTimeoutMs: 30_000,
      selfCheck: true,
    });
    expect(report.violations).toEqual([]);
    expect(report.stops.map((s) => s.stop)).toEqual([
      'SIGINT-group',
      'SIGTERM-process',
      'SIGKILL-group',
    ]);
    expect(report.faultsInjected).toBeGreaterThan(0);
    expect(report.commands).toBeGreaterThanOrEqual(320);
    // The same checks fail on a model with one payment altered: they can fail.
    expect(report.selfCheck).toEqual(expect.arrayContaining(['effect exactly once', 'loyalty']));
  }, 300_000);
});
