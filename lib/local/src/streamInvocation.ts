/**
 * One invocation of a stream consumer's handler, as Lambda makes it, and what it says: all done,
 * failed from a record on (a partial batch response), or failed whole (it threw).
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export type Outcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly failedAt: number;
      readonly thrown: boolean;
      readonly error: string;
    };

/**
 * A stream consumer's function: a batch of records in, the failed ones out (partial batch response).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: Lambda handlers may return nothing.
export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export const seq = (record: DynamoDBRecord | undefined): string => {
  const value = record?.dynamodb?.SequenceNumber;
  if (value === undefined) throw new Error('Stream record without a sequence number');
  return value;
};

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * @example
 * const outcome = await invokeOnce(handler, batch);
 * if (!outcome.ok) retryFrom(outcome.failedAt);
 */
export async function invokeOnce(
  handler: StreamHandler,
  batch: DynamoDBRecord[],
): Promise<Outcome> {
  try {
    // Lambda serialises every invocation: a handler mutating its event cannot affect a retry.
    const response = await handler({ Records: structuredClone(batch) });
    const failures = response?.batchItemFailures ?? [];
    if (failures.length === 0) return { ok: true };
    const indexes = failures.map((f) => batch.findIndex((r) => seq(r) === f.itemIdentifier));
    const ids = failures.map((f) => f.itemIdentifier).join(', ');
    // An identifier outside the batch makes AWS treat the whole batch as failed.
    if (indexes.some((i) => i < 0)) {
      return { ok: false, failedAt: 0, thrown: true, error: `Invalid itemIdentifier in ${ids}` };
    }
    return { ok: false, failedAt: Math.min(...indexes), thrown: false, error: `Failed: ${ids}` };
  } catch (error) {
    return { ok: false, failedAt: 0, thrown: true, error: errorText(error) };
  }
}
