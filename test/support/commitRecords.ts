/** Journal stream records made by hand, as Lambda hands them to a stream consumer. */

import type { Commit } from '@coffee-es/core';
import { commitToItem, stateToItem } from '@coffee-es/dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

let sequence = 1000;
let streams = 0;

/** The stream record of one commit. */
export function commitRecord(commit: Commit): DynamoDBRecord {
  const item = commitToItem(commit);
  return {
    eventName: 'INSERT',
    dynamodb: {
      // The SDK's attribute values and Lambda's have the same JSON shape.
      Keys: { pk: item.pk, sk: item.sk } as never,
      NewImage: item as never,
      SequenceNumber: String(++sequence),
    },
  };
}

/** A new stream of `count` commits of one `Noted` event each (entity type `Thing`). */
export function thingStream(
  count: number,
  data: (i: number) => unknown = (i) => ({ i }),
): { streamId: string; records: DynamoDBRecord[] } {
  const streamId = `Thing#t${++streams}`;
  const records = Array.from({ length: count }, (_, i) =>
    commitRecord({
      streamId,
      entityType: 'Thing',
      from: i + 1,
      to: i + 1,
      events: [{ type: 'Noted', schemaVersion: 1, data: data(i) }],
      recordedAt: new Date().toISOString(),
      commandId: `cmd-${i}`,
    }),
  );
  return { streamId, records };
}

/** A durable-state record (a branch's profile, say). */
export function stateRecord(key: string): DynamoDBRecord {
  const item = stateToItem({
    key,
    entityType: key.split('#')[0] ?? '',
    revision: 2,
    state: { name: 'Baixa' },
    schemaVersion: 1,
    updatedAt: new Date().toISOString(),
  });
  return {
    eventName: 'MODIFY',
    dynamodb: {
      Keys: { pk: item.pk, sk: item.sk } as never,
      NewImage: item as never,
      SequenceNumber: String(++sequence),
    },
  };
}

export const thingSchemas = { Thing: { Noted: { version: 1 } } };
