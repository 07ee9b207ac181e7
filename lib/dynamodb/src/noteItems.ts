/**
 * Notes ↔ DynamoDB items, and the condition that lets a write take a position a note holds. A
 * note is an item of the stream at its next position (`kind` = note), expiring by TTL when its
 * refusals are forgotten; the stream filters (kind = commit) keep it from consumers, and the
 * commit that replaces it arrives as a MODIFY carrying a commit.
 */
import type { Note, Refusal } from '@coffee-es/core';
import { attr, type Item, itemKind } from './codec.ts';

const revision = 'nrev';

export function noteToItem(note: Note): Item {
  return {
    [attr.pk]: { S: note.streamId },
    [attr.sk]: { N: String(note.position) },
    [attr.kind]: { S: itemKind.note },
    [attr.entityType]: { S: note.entityType },
    [attr.refusals]: { S: JSON.stringify(note.refusals) },
    [revision]: { N: String(note.revision) },
    [attr.expiresAt]: { N: String(note.expiresAt) },
  };
}

export function isNoteItem(item: Item): boolean {
  return item[attr.kind]?.S === itemKind.note;
}

export function itemToNote(item: Item): Note {
  return {
    streamId: item[attr.pk]?.S ?? '',
    entityType: item[attr.entityType]?.S ?? '',
    position: Number(item[attr.sk]?.N),
    refusals: JSON.parse(item[attr.refusals]?.S ?? '[]') as Refusal[],
    revision: Number(item[revision]?.N ?? 0),
    expiresAt: Number(item[attr.expiresAt]?.N ?? 0),
  };
}

/** The condition of a write at a position: free, or holding exactly the note `replacing`. */
export function positionCondition(replacing: Note | undefined) {
  if (!replacing) {
    return {
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': attr.pk },
    };
  }
  return {
    ConditionExpression: '#kind = :note AND #nrev = :nrev',
    ExpressionAttributeNames: { '#kind': attr.kind, '#nrev': revision },
    ExpressionAttributeValues: {
      ':note': { S: itemKind.note },
      ':nrev': { N: String(replacing.revision) },
    },
  };
}
