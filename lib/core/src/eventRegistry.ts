/**
 * The event-schema registry, derived from the entities a system declares (and the sources of its
 * projections) rather than kept by hand: an entity cannot be left out of it by forgetting a line.
 */
import type { EventSchema } from './entity.ts';
import type { EventSchemasByType } from './gapReader.ts';

/** What the registry needs of an entity: its type and its event schemas. */
export interface EventSource {
  readonly type: string;
  readonly events: Readonly<Record<string, EventSchema>>;
}

/**
 * Event schemas per entity type, from each entity listed (duplicates of one entity are fine).
 *
 * @throws TypeError when two different definitions claim one entity type
 * @example
 * ```ts
 * const schemas = eventSchemasOf([customerEntity, orderEntity, slotEntity]);
 * projectedEvents(schemas, commit);
 * ```
 */
export function eventSchemasOf(sources: readonly EventSource[]): EventSchemasByType {
  const byType = new Map<string, EventSource>();
  for (const source of sources) {
    const known = byType.get(source.type);
    if (known && known.events !== source.events) {
      throw new TypeError(`Entity type ${source.type} is declared twice, with different events`);
    }
    byType.set(source.type, source);
  }
  return Object.fromEntries([...byType].map(([type, source]) => [type, source.events]));
}

/**
 * An entity, checked against the list the event-schema registry is built from: one that is not
 * in `entities` is a type error (and, should a cast hide it, an error at module load). Wrap the
 * entity where its store is made, and the registry cannot miss an entity the app writes.
 *
 * @throws TypeError when `entity` is not one of `entities`
 * @example
 * ```ts
 * export const entities = [customerEntity, orderEntity] as const;
 * const orders = new EntityStore(declaredEntity(entities, orderEntity), { journal });
 * declaredEntity(entities, slotEntity); // type error: Slot is not declared
 * ```
 */
export function declaredEntity<En extends EventSource, T extends En>(
  entities: readonly En[],
  entity: T,
): T {
  if (!entities.includes(entity)) {
    throw new TypeError(`Entity type ${entity.type} is not among the declared entities`);
  }
  return entity;
}
