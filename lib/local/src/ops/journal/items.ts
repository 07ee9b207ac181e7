/**
 * Whole-table item traffic for the journal tools, in constant memory: a paged scan handed out one
 * page at a time, and a batch writer that keeps a bounded number of `BatchWriteItem` requests in
 * flight, sending unprocessed items again with backoff and waiting out throttling.
 */
import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { type Backoff, backoffDelay, sleep } from '@coffee-es/core';
import type { RawItem } from './format.ts';
import { scanPages } from './pages.ts';
import { withThrottleRetry } from './throttling.ts';

/** Items per scan page: small enough that a page of 400 KB items stays a few MB. */
const pageLimit = 250;

/**
 * Every item of a table, page by page (consistent reads: an export or a copy must see every
 * write acknowledged before it started). Holds one page at a time.
 */
export function tablePages(
  client: DynamoDBClient,
  table: string,
  options: { readonly limit?: number } = {},
): AsyncGenerator<readonly RawItem[]> {
  return scanPages(client, {
    TableName: table,
    ConsistentRead: true,
    Limit: options.limit ?? pageLimit,
  });
}

/** Unprocessed items go again after 50 ms doubling up to 2 s, 15 times at most. */
const unprocessedBackoff: Backoff = { baseDelayMs: 50, maxDelayMs: 2_000, jitter: 'equal' };

/** Sends one batch (at most 25 puts), again and again until DynamoDB has processed every item. */
export async function writeBatch(
  client: DynamoDBClient,
  table: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  let pending = [...requests];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 15)
      throw new Error(`${pending.length} items stayed unprocessed after 15 retries`);
    if (attempt > 0) await sleep(backoffDelay(unprocessedBackoff, attempt));
    const out = await withThrottleRetry(() =>
      client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } })),
    );
    pending = out.UnprocessedItems?.[table] ?? [];
  }
}

/**
 * Puts items 25 a request with at most `concurrency` requests in flight: `put` resolves once
 * the item is queued and there is room, so a caller that awaits it never holds more than
 * `concurrency × 25` items. `flush` waits for everything. Each batch settles in order of
 * submission for `onWritten` (count of items whose batch and every earlier batch are written),
 * which is what a resumable import may record as done.
 */
export class BatchPutter {
  #batch: RawItem[] = [];
  #inFlight = new Set<Promise<void>>();
  #failure: unknown;
  #submitted = 0;
  #settled = new Map<number, number>();
  #nextToSettle = 0;
  #written = 0;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly options: {
      readonly concurrency?: number;
      readonly onWritten?: (written: number) => void | Promise<void>;
    } = {},
  ) {}

  async put(item: RawItem): Promise<void> {
    this.#batch.push(item);
    if (this.#batch.length === 25) await this.#send();
  }

  async flush(): Promise<number> {
    if (this.#batch.length > 0) await this.#send();
    while (this.#inFlight.size > 0) await Promise.race(this.#inFlight);
    if (this.#failure !== undefined) throw this.#failure;
    return this.#written;
  }

  async #send(): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    const items = this.#batch;
    this.#batch = [];
    const index = this.#submitted++;
    const sent = writeBatch(
      this.client,
      this.table,
      items.map((Item) => ({ PutRequest: { Item } })),
    )
      .then(() => this.#settle(index, items.length))
      .catch((error: unknown) => {
        this.#failure ??= error;
      })
      .finally(() => this.#inFlight.delete(sent));
    this.#inFlight.add(sent);
    while (this.#inFlight.size >= (this.options.concurrency ?? 4)) {
      await Promise.race(this.#inFlight);
    }
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #settle(index: number, count: number): Promise<void> {
    this.#settled.set(index, count);
    let advanced = false;
    while (this.#settled.has(this.#nextToSettle)) {
      this.#written += this.#settled.get(this.#nextToSettle) ?? 0;
      this.#settled.delete(this.#nextToSettle++);
      advanced = true;
    }
    if (advanced) await this.options.onWritten?.(this.#written);
  }
}
