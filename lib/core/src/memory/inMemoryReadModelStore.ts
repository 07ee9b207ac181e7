/**
 * The read-model store in memory: the same conditions as the DynamoDB adapter (a document write
 * lands only at the position it was read at; a counter entry adds once, with its marker), so
 * projections, the projector's one pass and the test kit run on it unchanged.
 */
import type { Document, ReadModelKey } from '../projection.ts';
import {
  type CounterEntry,
  counterMarkerKey,
  type DocumentWrite,
  type ItemQuery,
  type ProjectionStatusUpdate,
  type ReadModelStore,
  type StoredItem,
} from '../readModelStore.ts';

interface Row {
  readonly fields: Record<string, unknown>;
  readonly position: number;
}

/**
 * A {@link ReadModelStore} in memory, with the same contract as the DynamoDB one (conditional
 * document writes on their position, counters added once per marker): for unit tests of
 * projections and query handlers.
 *
 * @example
 * ```ts
 * const store = new InMemoryReadModelStore();
 * await projectCommit(store, [orderHistory], schemas, commit);
 * await orderHistory.query(store, 'c1'); // [{ orderId, status, ... }]
 * ```
 */
export class InMemoryReadModelStore implements ReadModelStore {
  readonly #partitions = new Map<string, Map<string, Row>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async getItem(key: ReadModelKey): Promise<StoredItem | undefined> {
    const row = this.#partitions.get(key.pk)?.get(key.sk);
    return row && itemOf(key, row);
  }

  async queryItems(pk: string, query: ItemQuery = {}): Promise<readonly StoredItem[]> {
    const rows = [...(this.#partitions.get(pk) ?? new Map<string, Row>())].sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    if (query.newestFirst) rows.reverse();
    return rows.slice(0, query.limit ?? rows.length).map(([sk, row]) => itemOf({ pk, sk }, row));
  }

  async putDocument(key: ReadModelKey, write: DocumentWrite): Promise<boolean> {
    const stored = this.#partitions.get(key.pk)?.get(key.sk);
    if ((stored?.position ?? 0) !== write.expectedPosition) return false;
    this.#set(key, { fields: structuredClone(write.document), position: write.position });
    return true;
  }

  async addCounters(markerPrefix: string, entries: readonly CounterEntry[]): Promise<number> {
    let added = 0;
    for (const entry of entries) {
      const marker = counterMarkerKey(markerPrefix, entry.streamId, entry.position);
      if (this.#partitions.get(marker.pk)?.has(marker.sk)) continue;
      for (const change of entry.changes) {
        const fields = {
          ...(this.#partitions.get(change.key.pk)?.get(change.key.sk)?.fields ?? {}),
        };
        Object.assign(fields, change.set ?? {});
        for (const [field, n] of Object.entries(change.add)) {
          fields[field] = Number(fields[field] ?? 0) + n;
        }
        this.#set(change.key, { fields, position: 0 });
      }
      this.#set(marker, { fields: {}, position: 0 });
      added += 1;
    }
    return added;
  }

  async recordStatus(statusKey: string, name: string, update: ProjectionStatusUpdate) {
    const key = { pk: statusKey, sk: name };
    const fields = { ...(this.#partitions.get(statusKey)?.get(name)?.fields ?? {}) };
    for (const field of ['position', 'lastEventAt', 'lagMs'] as const) {
      if (update[field] !== undefined) fields[field] = update[field];
    }
    fields.processed = Number(fields.processed ?? 0) + update.processed;
    fields.failed = Number(fields.failed ?? 0) + update.failed;
    fields.updatedAt = this.now().toISOString();
    this.#set(key, { fields, position: 0 });
  }

  async dropPrefixes(prefixes: readonly string[]): Promise<number> {
    let dropped = 0;
    for (const [pk, rows] of this.#partitions) {
      if (!prefixes.some((prefix) => pk.startsWith(prefix))) continue;
      dropped += rows.size;
      this.#partitions.delete(pk);
    }
    return dropped;
  }

  #set(key: ReadModelKey, row: Row) {
    const rows = this.#partitions.get(key.pk) ?? new Map<string, Row>();
    rows.set(key.sk, row);
    this.#partitions.set(key.pk, rows);
  }
}

function itemOf(key: ReadModelKey, row: Row): StoredItem {
  return { key, document: structuredClone(row.fields) as Document, position: row.position };
}
