import { Buffer } from 'node:buffer';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Commit } from '@coffee-es/core';
import { CommitTooLargeError } from '@coffee-es/core';
import { commitToItem } from './codec.ts';

/** DynamoDB's item size limit, in bytes (400 KB). */
export const maxItemBytes = 409_600;

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * The size DynamoDB counts for an item: attribute names plus values, by AWS's published rules
 * (strings as UTF-8, numbers at most 21 bytes, 3 bytes plus 1 per element for lists and maps).
 * Numbers are counted at their maximum, so the estimate errs on the safe side.
 * @internal
 */
export function itemSize(item: Record<string, AttributeValue>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += bytes(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return bytes(value.S);
  if (value.N !== undefined) return 21;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, v) => sum + bytes(v), 0);
  if (value.NS !== undefined) return value.NS.length * 21;
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0);
  if (value.M !== undefined) return 3 + itemSize(value.M) + Object.keys(value.M).length;
  return 0;
}

/** A commit turned into the item to write, within the item limit. */
export interface FittedCommit {
  readonly item: Record<string, AttributeValue>;
  readonly sizeBytes: number;
  /** Set when the commit was too large with its snapshot and is written without it. */
  readonly snapshotDropped?: { readonly sizeWithSnapshot: number };
}

/**
 * The item for a commit. A snapshot is an optimisation and must never make an entity unwritable:
 * a commit over the limit with its snapshot is written without it (loads then read back to an
 * older snapshot). Only events that alone exceed the limit are refused.
 *
 * @throws CommitTooLargeError when the commit is over the limit even without its snapshot
 * @example
 * ```ts
 * const { item, snapshotDropped } = fitCommit(commit);
 * if (snapshotDropped) warn('snapshot skipped', snapshotDropped.sizeWithSnapshot);
 * ```
 * @internal
 */
export function fitCommit(commit: Commit, limitBytes = maxItemBytes): FittedCommit {
  const item = commitToItem(commit);
  const sizeBytes = itemSize(item);
  if (sizeBytes <= limitBytes) return { item, sizeBytes };
  if (commit.snapshot) {
    const { snapshot: _dropped, ...bare } = commit;
    const lean = commitToItem(bare);
    const leanBytes = itemSize(lean);
    if (leanBytes <= limitBytes) {
      return { item: lean, sizeBytes: leanBytes, snapshotDropped: { sizeWithSnapshot: sizeBytes } };
    }
  }
  throw new CommitTooLargeError(commit.streamId, sizeBytes, limitBytes);
}
