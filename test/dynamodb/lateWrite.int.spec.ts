/**
 * A write whose answer times out and lands later: the store answers (and caches) the commit the
 * journal holds, the first decision, never a second one made by a retry. An outcome the store
 * cannot resolve is UnknownOutcomeError, which the HTTP edge answers 503 with Retry-After.
 * Faults come from the fault proxy in front of DynamoDB Local.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { problemOf } from '@coffee-es/aws-lambda';
import { defineEntity, EntityStore, UnknownOutcomeError } from '@coffee-es/core';
import { DynamoJournal, ensureTables, journalTable } from '@coffee-es/dynamodb';
import { clientFor } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy.ts';
import { dynamoEndpoint } from '../support/localStack.ts';

/** Stamps the decision's time into its event: two decisions differ. */
const stamped = defineEntity<
  { stamps: string[] },
  { type: 'Stamp'; data: Record<string, never> },
  { type: 'Stamped'; data: { at: string } }
>({
  type: 'Stamp',
  initialState: () => ({ stamps: [] }),
  evolve: (state, event) => ({ stamps: [...state.stamps, event.data.at] }),
  decide: (_command, _state, { now }) => ({ type: 'Stamped', data: { at: now } }),
  events: { Stamped: { version: 1 } },
});

let proxy: FaultProxy;
let client: DynamoDBClient;
let journal: DynamoJournal;
beforeAll(async () => {
  proxy = await startFaultProxy(dynamoEndpoint());
  const accessKeyId = `late${Math.random().toString(36).slice(2, 8)}`;
  const setup = clientFor(dynamoEndpoint(), accessKeyId);
  await ensureTables(setup, { journal: journalTable });
  setup.destroy();
  client = new DynamoDBClient({
    endpoint: proxy.endpoint,
    region: 'local',
    credentials: { accessKeyId, secretAccessKey: 'local' },
    maxAttempts: 1,
    // A request that takes longer than this is given up on, as a Lambda's SDK client would.
    requestHandler: { requestTimeout: 1000, throwOnRequestTimeout: true },
  });
  journal = new DynamoJournal({ client, tableName: 'journal' });
});
afterAll(async () => {
  client?.destroy();
  await proxy?.close();
});

function store() {
  let tick = 0;
  const t0 = Date.parse('2030-06-01T08:00:00Z');
  return new EntityStore(stamped, {
    journal,
    clock: () => new Date(t0 + tick++ * 1000),
    sleep: async () => {},
  });
}

const stamp = { type: 'Stamp', data: {} } as const;

describe('a write that lands late', () => {
  it('answers from the stored commit (the first decision) and caches it', async () => {
    const s = store();
    // The first put times out at 1 s and lands at ~1.5 s; the re-read at ~1 s finds nothing, so
    // the store decides again; that second put is held back until the first one has landed.
    proxy.inject({ operation: 'PutItem', fault: 'delay', delayMs: 1500, times: 1 });
    proxy.inject({ operation: 'PutItem', fault: 'delay', delayMs: 3000, times: 1 });
    const injected = proxy.injected();
    const result = await s.execute('late-1', stamp, { isNew: true });
    proxy.clear();
    // Two decisions were sent (both delayed); the journal kept the first.
    expect(proxy.injected() - injected).toBe(2);
    const stored = await journal.readAt('Stamp#late-1', 1, { consistent: true });
    const first = (stored?.events[0]?.data as { at: string } | undefined)?.at;
    expect(first).toBe('2030-06-01T08:00:00.000Z');
    expect(result.version).toBe(1);
    expect(result.state.stamps).toEqual([first]);
    expect(result.events.map((e) => e.data)).toEqual([{ at: first }]);
    // The cached image is the journal's: the next command builds on the first decision.
    const next = await s.execute('late-1', stamp);
    expect(next.version).toBe(2);
    expect(next.state.stamps[0]).toBe(first);
    expect((await store().get('late-1', { consistent: true }))?.state).toEqual(next.state);
  });

  it('gives UnknownOutcomeError (503 with Retry-After) when the outcome cannot be read', async () => {
    const s = store();
    proxy.inject({ operation: 'PutItem', fault: 'lost-answer', times: 1 });
    proxy.inject({ operation: 'GetItem', fault: 'unavailable' });
    const error = await s.execute('late-2', stamp, { isNew: true }).catch((e: unknown) => e);
    proxy.clear();
    expect(error).toBeInstanceOf(UnknownOutcomeError);
    const problem = problemOf(error);
    expect(problem?.status).toBe(503);
    expect(problem?.headers['retry-after']).toBeDefined();
    // It had landed: a retry finds it and does not write twice.
    const again = await s.execute('late-2', stamp);
    expect(again.version).toBe(2);
    const events = await store().events('late-2');
    expect(events).toHaveLength(2);
  });
});
