/**
 * Typed projections, defined from their source entity: the event union comes from the entity (a
 * `switch` on `event.type` narrows `event.data`, no casts), the entity type is `entity.type`,
 * and each projection owns its key layout: it names its documents by a partition and a sort id,
 * derives the table keys under its own prefix, and reads them back with a typed `get`/`query`.
 */
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import type {
  CounterProjection,
  Document,
  DocumentProjection,
  ProjectedEvent,
  ReadModelKey,
} from './projection.ts';
import type { ItemQuery, ReadModelReader } from './readModelStore.ts';

/** An id within a projection's key layout: one string, or parts joined with `#`. */
export type KeyPart = string | readonly string[];

/** Where a document or aggregate lives, in the projection's own terms. */
export interface ProjectionKey {
  readonly partition: KeyPart;
  readonly sort: string;
}

/** The event union of an entity. */
// biome-ignore lint/suspicious/noExplicitAny: only the event type parameter matters here.
export type EventOf<En> = En extends Entity<any, any, infer E> ? E : never;

/** What a typed projection knows of its source: the entity, so registries derive from it. */
export interface ProjectionSource<E extends DomainEvent> {
  // biome-ignore lint/suspicious/noExplicitAny: state and commands do not matter to a projection.
  readonly source: Entity<any, any, E>;
}

/** A document projection that also reads its own documents back, typed. */
export interface TypedDocumentProjection<D extends Document, E extends DomainEvent = DomainEvent>
  extends DocumentProjection<D>,
    ProjectionSource<E> {
  /** The table key of a document, from the projection's own key. */
  keyFor(partition: KeyPart, sort: string): ReadModelKey;
  get(reader: ReadModelReader, partition: KeyPart, sort: string): Promise<D | undefined>;
  /** The documents of one partition, by sort id. */
  query(reader: ReadModelReader, partition: KeyPart, query?: ItemQuery): Promise<D[]>;
}

/** One event's additions to one aggregate, in the projection's key terms. */
export interface TypedCounterChange<T extends string, F> {
  readonly partition: KeyPart;
  /** Default `total`. */
  readonly sort?: string;
  readonly add: Readonly<Partial<Record<T, number>>>;
  readonly set?: F;
}

/** An aggregate as read back: every declared total (0 until counted) and the fields set. */
export type Totals<T extends string, F> = Readonly<Record<T, number>> & Partial<F>;

/** A counter projection of one entity's events, with its totals and a typed `get`. */
export interface TypedCounterProjection<T extends string, F, E extends DomainEvent = DomainEvent>
  extends CounterProjection,
    ProjectionSource<E> {
  readonly totals: readonly T[];
  keyFor(partition: KeyPart, sort?: string): ReadModelKey;
  get(reader: ReadModelReader, partition: KeyPart, sort?: string): Promise<Totals<T, F>>;
}

/** What a document projection declares: its name, key layout and how events evolve it. */
export interface DocumentSpec<D extends Document, E extends DomainEvent> {
  readonly name: string;
  /** Prefix of every partition key the projection writes: a rebuild drops these, roles are scoped by them. */
  readonly keyPrefix: string;
  /** The document an event changes, or undefined to ignore it (all events of a stream alike). */
  keyOf(event: ProjectedEvent<E>): ProjectionKey | undefined;
  evolve(document: D | undefined, event: ProjectedEvent<E>): D;
}

/** What a counter projection declares: its name, key layout, totals and what each event adds. */
export interface CounterSpec<T extends string, F, E extends DomainEvent> {
  readonly name: string;
  readonly keyPrefix: string;
  /** The numbers the aggregates add up (reads fill in 0 for those not counted yet). */
  readonly totals: readonly T[];
  changesOf(event: ProjectedEvent<E>): readonly TypedCounterChange<T, F>[];
}

const partitionOf = (prefix: string, partition: KeyPart) =>
  `${prefix}${typeof partition === 'string' ? partition : partition.join('#')}`;

/**
 * Starts a projection of one entity's events.
 *
 * @example
 * ```ts
 * export const orderHistory = defineProjection(orderEntity).document<OrderHistoryEntry>({
 *   name: 'orderHistory',
 *   keyPrefix: 'CustomerOrders#',
 *   keyOf: (e) => e.data.customerId === undefined ? undefined
 *     : { partition: e.data.customerId, sort: e.data.orderId },
 *   evolve: (entry, e) => (e.type === 'OrderPlaced' ? { ...e.data, status: 'placed' } : entry),
 * });
 * const entries = await orderHistory.query(store, 'c1', { newestFirst: true });
 * ```
 */
export function defineProjection<S, C extends DomainCommand, E extends DomainEvent>(
  source: Entity<S, C, E>,
) {
  const entityTypes = [source.type] as const;
  return {
    document<D extends Document>(spec: DocumentSpec<D, E>): TypedDocumentProjection<D, E> {
      const keyFor = (partition: KeyPart, sort: string) => ({
        pk: partitionOf(spec.keyPrefix, partition),
        sk: sort,
      });
      return {
        kind: 'document',
        source,
        name: spec.name,
        entityTypes,
        keyPrefix: spec.keyPrefix,
        // The projector hands only events of `source.type`, upcast to their current schemas.
        keyOf: (event) => {
          const key = spec.keyOf(event as ProjectedEvent<E>);
          return key && keyFor(key.partition, key.sort);
        },
        evolve: (document, event) => spec.evolve(document, event as ProjectedEvent<E>),
        keyFor,
        async get(reader, partition, sort) {
          return (await reader.getItem(keyFor(partition, sort)))?.document as D | undefined;
        },
        async query(reader, partition, query) {
          const items = await reader.queryItems(partitionOf(spec.keyPrefix, partition), query);
          return items.map((item) => item.document as D);
        },
      };
    },

    counter<T extends string, F extends Readonly<Record<string, string | number>>>(
      spec: CounterSpec<T, F, E>,
    ): TypedCounterProjection<T, F, E> {
      const keyFor = (partition: KeyPart, sort = 'total') => ({
        pk: partitionOf(spec.keyPrefix, partition),
        sk: sort,
      });
      return {
        kind: 'counter',
        source,
        name: spec.name,
        entityTypes,
        keyPrefix: spec.keyPrefix,
        totals: spec.totals,
        changesOf: (event) =>
          spec.changesOf(event as ProjectedEvent<E>).map((change) => ({
            key: keyFor(change.partition, change.sort),
            add: change.add as Readonly<Record<string, number>>,
            ...(change.set === undefined ? {} : { set: change.set }),
          })),
        keyFor,
        async get(reader, partition, sort) {
          const key = keyFor(partition, sort);
          // A query, not a keyed read: read-only roles hold Query on read-model partitions.
          const items = await reader.queryItems(key.pk);
          const stored = items.find((item) => item.key.sk === key.sk)?.document ?? {};
          const totals = Object.fromEntries(spec.totals.map((t) => [t, Number(stored[t] ?? 0)]));
          return { ...stored, ...totals } as Totals<T, F>;
        },
      };
    },
  };
}
