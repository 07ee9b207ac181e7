/**
 * SQS ids: `MessageGroupId` and `MessageDeduplicationId` take at most 128 characters, and stream
 * ids (hence event ids) have no such bound, so longer ids are replaced by their SHA-256.
 */
import { createHash } from 'node:crypto';

/**
 * The longest group or deduplication id SQS accepts.
 * @internal
 */
export const maxSqsIdLength = 128;

/**
 * The id itself when SQS accepts its length, else its SHA-256 in hex (64 characters): the same
 * input always gives the same id, so de-duplication still works.
 *
 * @example
 * ```ts
 * sqsIdOf('Order#01J…@3'); // unchanged
 * sqsIdOf(`Order#${'x'.repeat(200)}@3`); // 64 hex characters
 * ```
 * @internal
 */
export function sqsIdOf(id: string): string {
  return id.length <= maxSqsIdLength ? id : createHash('sha256').update(id).digest('hex');
}

/**
 * A fresh deduplication id for a message sent again by hand (a redrive): the original one may
 * still be inside the 5-minute de-duplication window, which would drop the copy silently.
 *
 * @example
 * ```ts
 * redriveDeduplicationId('Order#o1@3', Date.now()); // 'Order#o1@3-redrive-1764575000000'
 * ```
 * @internal
 */
export function redriveDeduplicationId(original: string, nowMs: number): string {
  return sqsIdOf(`${original}-redrive-${nowMs}`);
}
