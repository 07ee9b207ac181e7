/**
 * What the app's functions are given: the entity stores (one per type, on first use), the durable-state store, the read
 * models and the id and clock sources. Its own module, so that the makers in deps/ can name it
 * without importing deps.ts, which imports them.
 */
import type { DurableStateStore, EntityStores, ReadModelReader } from '@coffee-es/core';
import type { Branch } from '../../domain/index.ts';
import type { KnownEntities } from '../knownEntities.ts';

export interface AppDeps {
  /** Every entity type's store, made on first use: `stores.of(orderEntity)`. */
  readonly stores: EntityStores;
  readonly branches: DurableStateStore<Branch>;
  /** Whether a branch or customer exists, remembered once it does. */
  readonly known: KnownEntities;
  /** The read models (eventual), read through each projection's typed `get`/`query`. */
  readonly readModels: ReadModelReader;
  /** A new server-generated id (a ULID). */
  readonly newId: () => string;
  readonly clock: () => Date;
}
