/**
 * Re-relaying from the journal (DynamoDB Local) to the events queue (the emulator): a stream from
 * a position, every stream in a time window, and the failure queue's notices of both kinds (the
 * relay's, with stream ids and positions; Lambda's, with arrival times only). A notice is deleted
 * only once all it names went out; an unreadable one, or one naming what this code cannot read,
 * stays. SQS refusing sends for a while delays a replay, never shortens it.
 */
import { CreateQueueCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  type ReplayTarget,
  redriveFailures,
  replayJournal,
  replayStream,
  sendFailureNotice,
} from '@coffee-es/aws-lambda';
import type { Commit } from '@coffee-es/core';
import { type SqsEmulator, sqsClientFor, startSqsEmulator } from '@coffee-es/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thingSchemas } from '../../support/commitRecords.ts';
import { type FaultProxy, startFaultProxy } from '../../support/faultProxy.ts';
import { type JournalFixture, journalFixture } from '../../support/journalFixture.ts';
import { drainQueue } from '../../support/readSide.ts';

let fixture: JournalFixture;
let emulator: SqsEmulator;
let proxy: FaultProxy;
let sqs: SQSClient;
let target: ReplayTarget;
let failures: string;
const old = '2030-01-01T08:00:00.000Z';
const recent = '2030-01-02T08:00:00.000Z';

const commit = (streamId: string, from: number, at: string, type = 'Noted'): Commit => ({
  streamId,
  entityType: 'Thing',
  from,
  to: from + 1,
  events: [
    { type, schemaVersion: 1, data: { n: from } },
    { type: 'Noted', schemaVersion: 1, data: { n: from + 1 } },
  ],
  recordedAt: at,
  commandId: `c${from}`,
});

beforeAll(async () => {
  fixture = await journalFixture('replay');
  emulator = await startSqsEmulator();
  proxy = await startFaultProxy(emulator.endpoint);
  sqs = sqsClientFor(proxy.endpoint);
  const events = await sqs.send(
    new CreateQueueCommand({ QueueName: 'events.fifo', Attributes: { FifoQueue: 'true' } }),
  );
  failures = (await sqs.send(new CreateQueueCommand({ QueueName: 'failures' }))).QueueUrl as string;
  target = {
    client: sqs,
    queueUrl: events.QueueUrl as string,
    schemas: thingSchemas,
    sleep: async () => {},
  };
  for (const c of [
    commit('Thing#a', 1, old),
    commit('Thing#a', 3, recent),
    commit('Thing#a', 5, recent),
    commit('Thing#b', 1, recent),
    commit('Thing#bad', 1, recent, 'Teleported'),
  ]) {
    await fixture.journal.append(c);
  }
});
afterAll(async () => {
  sqs?.destroy();
  fixture?.client.destroy();
  await proxy?.close();
  await emulator?.stop();
});

const sent = async () =>
  (await drainQueue(sqsClientFor(emulator.endpoint), target.queueUrl)).map(
    (m) => JSON.parse(m.body).eventId as string,
  );

describe('replay', () => {
  it('re-relays one stream from a position, in order, through an SQS outage', async () => {
    proxy.inject({ operation: 'SendMessageBatch', fault: 'unavailable', times: 6 });
    const result = await replayStream(fixture.journal, target, 'Thing#a', { fromPosition: 4 });
    expect(result).toMatchObject({ commits: 2, events: 3, unreadable: [], unsendable: [] });
    expect(await sent()).toEqual(['Thing#a@4', 'Thing#a@5', 'Thing#a@6']);
  });

  it('re-relays every stream in a time window, reporting what it cannot read', async () => {
    const result = await replayJournal(fixture.journal, target, { fromTime: new Date(recent) });
    expect(result.events).toBe(6);
    expect(result.unreadable).toEqual([
      { where: 'Thing#bad@1', reason: expect.stringMatching(/Teleported/) },
    ]);
    // Thing#a@4..6 went out in the previous test: SQS drops the copies (same deduplication ids).
    expect((await sent()).sort()).toEqual(['Thing#a@3', 'Thing#b@1', 'Thing#b@2']);
  });

  it('re-drives the failure queue, keeping the notices it cannot complete', async () => {
    await sendFailureNotice(sqs, failures, [
      { streamId: 'Thing#a', from: 1, to: 1, reason: 'too large then' },
    ]);
    await sendFailureNotice(sqs, failures, [
      { streamId: 'Thing#bad', from: 1, to: 2, reason: '?' },
    ]);
    await sendFailureNotice(sqs, failures, [
      { streamId: 'Thing#none', from: 1, to: 1, reason: '?' },
    ]);
    const lambdaNotice = {
      requestContext: { condition: 'RecordAgeExceeded', approximateInvokeCount: 40 },
      DDBStreamBatchInfo: {
        shardId: 'shardId-1',
        startSequenceNumber: '100',
        endSequenceNumber: '101',
        approximateArrivalOfFirstRecord: '2030-01-01T08:00:30Z',
        approximateArrivalOfLastRecord: '2030-01-01T08:00:30Z',
        batchSize: 2,
      },
    };
    await sqs.send(
      new SendMessageCommand({ QueueUrl: failures, MessageBody: JSON.stringify(lambdaNotice) }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: failures, MessageBody: 'not json' }));

    const done = await redriveFailures({
      journal: fixture.journal,
      target,
      failureQueueUrl: failures,
    });
    expect(done).toMatchObject({ notices: 5, redriven: 2 });
    expect(done.kept).toHaveLength(3);
    expect(done.kept.join('\n')).toMatch(/Thing#bad@1 unreadable/);
    expect(done.kept.join('\n')).toMatch(/none of the events/);
    expect(done.kept.join('\n')).toMatch(/not JSON/);
    // The relay's notice: position 1 of Thing#a; Lambda's: the old commit (1 and 2), found by its
    // arrival time; SQS took Thing#a@1 once.
    expect((await sent()).sort()).toEqual(['Thing#a@1', 'Thing#a@2']);
  });
});
