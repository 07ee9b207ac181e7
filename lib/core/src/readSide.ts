/**
 * A system's read side, declared once: its entities and its projections. The event-schema
 * registry (what every read path upcasts with) and the projection list (what the projector runs
 * and `GET /projections` reports) both derive from it, so neither is kept by hand; the
 * projections' source entities join the registry by themselves.
 */

import { type EventSource, eventSchemasOf } from './eventRegistry.ts';
import type { EventSchemasByType } from './gapReader.ts';
import type { Projection } from './projection.ts';
import type { ReadModelReader } from './readModelStore.ts';

/** Partition key of the status items the projector keeps, one per projection. */
export const projectionStatusKey = 'Projection';

/** What a read side declares: the entities whose events are read back, and the projections. */
export interface ReadSideDeclaration {
  /** Every event-sourced entity type whose events are read back (relay, consumers, projections). */
  readonly entities: readonly EventSource[];
  /** The read models, in the order `GET /projections` lists them. */
  readonly projections: readonly Projection[];
}

/**
 * A declared read side, with the event-schema registry derived from its entities and projections.
 */
export interface ReadSide extends ReadSideDeclaration {
  /** Event schemas per entity type: the entities' and the projections' sources'. */
  readonly eventSchemas: EventSchemasByType;
}

/** A projection's progress as `GET /projections` reports it. */
export interface ProjectionStatus {
  readonly name: string;
  readonly position?: string;
  readonly lastEventAt?: string;
  readonly lagMs?: number;
  readonly processed: number;
  readonly failed: number;
}

/**
 * Declares a system's read side once: the event-schema registry every read path upcasts with is
 * derived from its entities and its projections' sources, so an entity cannot be left out of it.
 *
 * @throws TypeError when two projections share a name or a key prefix
 * @example
 * ```ts
 * export const readSide = defineReadSide({
 *   entities: [customerEntity, orderEntity, slotEntity],
 *   projections: [orderHistory, dailySales, availability],
 * });
 * createRelay({ ..., schemas: readSide.eventSchemas });
 * ```
 */
export function defineReadSide(declaration: ReadSideDeclaration): ReadSide {
  const { projections } = declaration;
  const sources = projections.flatMap((p) =>
    'source' in p ? [(p as { source: EventSource }).source] : [],
  );
  for (const field of ['name', 'keyPrefix'] as const) {
    const values = projections.map((p) => p[field]);
    const twice = values.find((v, i) => values.indexOf(v) !== i);
    if (twice !== undefined) throw new TypeError(`Two projections share the ${field} ${twice}`);
  }
  for (const p of projections) {
    const other = projections.find((q) => q !== p && q.keyPrefix.startsWith(p.keyPrefix));
    if (other) {
      throw new TypeError(`Key prefix ${p.keyPrefix} of ${p.name} covers ${other.name}'s`);
    }
  }
  return {
    ...declaration,
    eventSchemas: eventSchemasOf([...declaration.entities, ...sources]),
  };
}

/**
 * Every projection's progress, in the read side's order (projections not run yet report zeros).
 *
 * @example
 * ```ts
 * const statuses = await projectionStatuses(store, readSide.projections);
 * ```
 */
export async function projectionStatuses(
  reader: ReadModelReader,
  projections: readonly Pick<Projection, 'name'>[],
  statusKey = projectionStatusKey,
): Promise<ProjectionStatus[]> {
  const items = await reader.queryItems(statusKey);
  const byName = new Map(items.map((i) => [i.key.sk, i.document]));
  return projections.map(({ name }) => {
    const item = byName.get(name);
    return {
      name,
      ...(item?.position === undefined ? {} : { position: String(item.position) }),
      ...(item?.lastEventAt === undefined
        ? {}
        : { lastEventAt: String(item.lastEventAt), lagMs: Math.max(0, Number(item.lagMs ?? 0)) }),
      processed: Number(item?.processed ?? 0),
      failed: Number(item?.failed ?? 0),
    };
  });
}
