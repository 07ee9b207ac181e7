/**
 * What the app's functions are given: the entity stores, the durable-state store, the read
 * models and the id and clock sources. Its own module, so that the makers in deps/ can name it
 * without importing deps.ts, which imports them.
 */
import type { DurableStateStore, EntityStore, ReadModelReader } from '@coffee-es/core';
import type {
  Branch,
  CustomerCommand,
  CustomerEvent,
  CustomerState,
  OrderCommand,
  OrderEvent,
  OrderState,
  SlotCommand,
  SlotEvent,
  SlotState,
} from '../../domain/index.ts';
import type { KnownEntities } from '../knownEntities.ts';

export interface AppDeps {
  readonly customers: EntityStore<CustomerState, CustomerCommand, CustomerEvent>;
  readonly orders: EntityStore<OrderState, OrderCommand, OrderEvent>;
  readonly slots: EntityStore<SlotState, SlotCommand, SlotEvent>;
  readonly branches: DurableStateStore<Branch>;
  /** Whether a branch or customer exists, remembered once it does. */
  readonly known: KnownEntities;
  /** The read models (eventual), read through each projection's typed `get`/`query`. */
  readonly readModels: ReadModelReader;
  /** A new server-generated id (a ULID). */
  readonly newId: () => string;
  readonly clock: () => Date;
}
