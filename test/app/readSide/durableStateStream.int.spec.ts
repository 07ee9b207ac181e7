/**
 * Durable-state changes reach the stream consumers (DESIGN §5: a projection can follow a
 * durable-state entity): the declared filters pass state records as well as commits, the local
 * pollers deliver them, and the relay and the projector take them without failing or relaying.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../../functions/app/system.ts';
import { type App, startApp } from '../../support/appServer.ts';

let app: App;
beforeAll(async () => {
  app = await startApp('durableStateStream');
});
afterAll(() => app?.stop());

describe('durable-state records on the stream', () => {
  it('are delivered to the projector and the relay, which skip them without error', async () => {
    for (const consumer of Object.values(system.streamConsumers)) {
      expect(consumer.filter?.equals).toContain('state');
    }
    const workers = app.runtime.workers;
    if (!workers) throw new Error('no workers');
    await app.settle();
    const { projector, relay } = workers.streamPollers;
    const loyalty = workers.queuePollers.loyalty;
    const before = { projector: { ...projector?.stats }, relay: { ...relay?.stats } };
    const received = loyalty?.stats.received ?? 0;
    expect((await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' })).status).toBe(
      201,
    );
    expect((await app.call('PUT', '/branches/b1', { name: 'Chiado', city: 'Lisbon' })).status).toBe(
      200,
    );
    await app.settle();
    for (const [name, poller] of [
      ['projector', projector],
      ['relay', relay],
    ] as const) {
      const was = before[name];
      expect(poller?.stats.delivered, name).toBe((was.delivered ?? 0) + 2);
      expect(poller?.stats.failedBatches, name).toBe(was.failedBatches);
      expect(poller?.stats.sentToFailure, name).toBe(0);
    }
    // No event to relay: nothing reached the events queue.
    expect(loyalty?.stats.received).toBe(received);
  });
});
