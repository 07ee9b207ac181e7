import { Buffer } from 'node:buffer';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** DynamoDB's item size limit, in bytes (400 KB). */
export const maxItemBytes = 409_600;

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * The size DynamoDB counts for an item: attribute names plus values, by AWS's published rules
 * (strings as UTF-8, numbers at most 21 bytes, 3 bytes plus 1 per element for lists and maps).
 * Numbers are counted at their maximum, so the estimate errs on the safe side.
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
