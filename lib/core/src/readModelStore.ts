/**
 * The read-model store port: what projections need of a store, and no more. Documents are read
 * with the stream position they hold and written on the condition that it has not moved; counters
 * take each event's additions exactly once, guarded by a marker per (stream id, position). The
 * DynamoDB adapter implements it over one table; `InMemoryReadModelStore` in memory, for tests
 * and for trying a projection without a database.
 */
import type { CounterChange, Document, ReadModelKey } from './projection.ts';

/** A stored item: its key, its fields (reserved attributes removed) and its stream position. */
export interface StoredItem<D extends Document = Document> {
  readonly key: ReadModelKey;
  readonly document: D;
  /** The last stream position applied to a document; 0 for items that track none (counters). */
  readonly position: number;
}

/** How to read a partition of a read model: sort order and a limit. */
export interface ItemQuery {
  /** Sort keys in descending order. Default ascending. */
  readonly newestFirst?: boolean;
  readonly limit?: number;
}

/** The read side of the port: what query handlers need. */
export interface ReadModelReader {
  /** The item at `key` (strongly consistent), or undefined. */
  getItem(key: ReadModelKey): Promise<StoredItem | undefined>;
  /** The items of one partition, by sort key. */
  queryItems(pk: string, query?: ItemQuery): Promise<readonly StoredItem[]>;
}

/** A document write that lands only if the stored document is still where it was read. */
export interface DocumentWrite {
  readonly document: Document;
  readonly streamId: string;
  /** The position read before (0: the document must not exist yet). */
  readonly expectedPosition: number;
  /** The position of the last event folded into `document`. */
  readonly position: number;
}

/** One event's additions to aggregates, counted once under the event's marker. */
export interface CounterEntry {
  readonly streamId: string;
  readonly position: number;
  readonly changes: readonly CounterChange[];
}

/** Progress of one projection over a batch, for `GET /projections`. */
export interface ProjectionStatusUpdate {
  readonly position?: string;
  readonly lastEventAt?: string;
  readonly lagMs?: number;
  readonly processed: number;
  readonly failed: number;
}

/**
 * The port projections are written through. Every write is idempotent on (stream id, position),
 * so live projectors, redeliveries and rebuilds can run side by side.
 *
 * @example
 * ```ts
 * const store: ReadModelStore = new InMemoryReadModelStore();
 * await applyDocument(store, orderHistory, 'Order#o1', commits);
 * const entry = await orderHistory.get(store, 'c1', 'o1');
 * ```
 */
export interface ReadModelStore extends ReadModelReader {
  /** Writes the document at `key` if its stored position is still `expectedPosition`; false if it moved. */
  putDocument(key: ReadModelKey, write: DocumentWrite): Promise<boolean>;
  /**
   * Adds each entry's changes unless its marker (under `markerPrefix`) exists, and writes the
   * marker with the additions, atomically. Returns how many entries it added.
   */
  addCounters(markerPrefix: string, entries: readonly CounterEntry[]): Promise<number>;
  /** Adds a batch's counts to a projection's status item (`statusKey`, `name`). */
  recordStatus(statusKey: string, name: string, update: ProjectionStatusUpdate): Promise<void>;
  /** Deletes every item whose partition key starts with one of `prefixes` (for rebuilds). */
  dropPrefixes(prefixes: readonly string[]): Promise<number>;
}

/** Reserved document attributes: the source stream and the last position applied. */
export const documentMeta = { stream: '_stream', position: '_position' } as const;

/** The partition key of an event's counter marker: under the projection's prefix, so a drop takes it. */
export function counterMarkerKey(markerPrefix: string, streamId: string, position: number) {
  return { pk: `${markerPrefix}Applied#${streamId}`, sk: String(position) } as const;
}
