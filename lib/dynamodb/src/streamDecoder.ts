/**
 * Journal stream records → commits and durable-state records. Everything that is not an insert
 * or update of a journal record (TTL removals, idempotency records, snapshots written onto old
 * commits) decodes to `undefined`.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Commit, StateRecord } from '@coffee-es/core';
import type { DynamoDBRecord } from 'aws-lambda';
import { attr, type Item, itemKind, itemToCommit, itemToState } from './codec.ts';

/** What a journal stream record holds: a commit or a durable-state record. */
export type JournalChange =
  | { readonly kind: 'commit'; readonly commit: Commit }
  | { readonly kind: 'state'; readonly record: StateRecord };

/**
 * Decodes a journal stream record into a commit or a durable-state record; anything else (TTL
 * removals, notes, claims, removals) is `undefined`. A malformed item throws `CorruptRecordError`.
 */
export function decodeJournalRecord(record: DynamoDBRecord): JournalChange | undefined {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return undefined;
  // The Lambda event's attribute values have the SDK's shape (each a one-key union).
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  if (!image) return undefined;
  const item: Item = image;
  // A snapshot written afterwards onto a commit (`snapshots backfill`) changes no event: the
  // consumers saw the commit when it was written, and must not see it again.
  if (record.eventName === 'MODIFY' && item[attr.snapshotBackfilledAt]) return undefined;
  switch (item[attr.kind]?.S) {
    case itemKind.commit:
      return { kind: 'commit', commit: itemToCommit(item) };
    case itemKind.state:
      return { kind: 'state', record: itemToState(item) };
    default:
      return undefined;
  }
}

/** Re-exported for the adapters that decode and upcast in one go. */
