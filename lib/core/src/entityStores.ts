/**
 * The entity stores of a process, one per entity type, each made on first use: what lets a route
 * name its entity and nothing else (`stores.of(orderEntity)`), with no registration per entity.
 */
import type { EntityStoreOptions } from './commands.ts';
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import { EntityStore } from './entityStore.ts';

/** The options of one type's store, given the entity (a journal of its own, say). */
export type EntityStoreOptionsOf = (entity: Entity<never, never, never>) => EntityStoreOptions;

/**
 * Every entity type's store, made on first `of(entity)` and kept. Two different definitions
 * under one type name are refused: they would share a stream and decide differently.
 *
 * @example
 * ```ts
 * const stores = new EntityStores(() => ({ journal }));
 * await stores.of(orderEntity).execute('o-1', { type: 'PlaceOrder', data: order });
 * stores.of(orderEntity) === stores.of(orderEntity); // true: one store, one warm cache
 * ```
 */
export class EntityStores {
  readonly #options: EntityStoreOptionsOf;
  readonly #stores = new Map<string, EntityStore<never, never, never>>();

  constructor(options: EntityStoreOptionsOf | EntityStoreOptions) {
    this.#options = typeof options === 'function' ? options : () => options;
  }

  /** The store of `entity`'s type, made now if this is the first use. */
  of<S, C extends DomainCommand, E extends DomainEvent>(
    entity: Entity<S, C, E, string>,
  ): EntityStore<S, C, E> {
    const known = this.#stores.get(entity.type);
    if (known) {
      if (known.entity !== (entity as unknown)) {
        throw new TypeError(`Two entity definitions share the type ${entity.type}`);
      }
      return known as unknown as EntityStore<S, C, E>;
    }
    const options = this.#options(entity as unknown as Entity<never, never, never>);
    const store = new EntityStore(entity, options);
    this.#stores.set(entity.type, store as unknown as EntityStore<never, never, never>);
    return store;
  }
}
