/**
 * The entity definition API: what an event-sourced entity type is, as pure data and functions.
 * Nothing here performs I/O; the framework runs these functions around its journal.
 */
import type { Rejection, RejectionDeclarations } from './rejection.ts';

/** An event as the domain sees it: a past-tense `type` and its payload. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

/** A command as the domain sees it: an imperative `type` and its payload. */
export interface DomainCommand<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

/**
 * Facts about the command's context that `decide` may use. They arrive from outside so that
 * `decide` stays pure and deterministic: time is `now`, never `Date.now()`.
 */
export interface CommandMetadata {
  /** The moment the command is handled, ISO-8601 UTC. */
  readonly now: string;
  /** Unique per command execution; stored with the commit. */
  readonly commandId: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

/**
 * What `decide` returns: the events to append (possibly none) or a rejection with one of the
 * entity's declared codes.
 */
export type Decision<E extends DomainEvent, Code extends string = string> =
  | E
  | readonly E[]
  | Rejection<Code>;

/** Turns the stored payload of schema version `n` into the payload of version `n + 1`. */
export type Upcaster = (data: unknown) => unknown;

/** Schema information for one event type. */
export interface EventSchema {
  /** The schema version new events of this type are written with. Starts at 1. */
  readonly version: number;
  /**
   * Upcasters keyed by the version they read: `upcasters[1]` turns a v1 payload into v2.
   * Every version from 1 to `version - 1` needs one.
   */
  readonly upcasters?: Readonly<Record<number, Upcaster>>;
}

/** When the state after a commit is stored with it (the snapshot rides on the commit). */
export interface SnapshotPolicy<S> {
  /** Store a snapshot whenever a commit crosses a multiple of `every` events. Default 100; 0 turns it off. */
  readonly every?: number;
  /** Store a snapshot whenever this says so, in addition to `every`. */
  readonly when?: (state: S, version: number) => boolean;
  /**
   * The schema version of the state's shape. Bump it when the shape changes: snapshots of
   * another version are ignored and the state is rebuilt from events.
   */
  readonly schemaVersion?: number;
  /** Turn the state into JSON-compatible data (default: as is). */
  readonly toSnapshot?: (state: S) => unknown;
  /** Turn snapshot data back into state (default: as is). */
  readonly fromSnapshot?: (data: unknown) => S;
}

/**
 * An event-sourced entity type.
 *
 * @example
 * ```ts
 * const counter = defineEntity({
 *   type: 'Counter',
 *   initialState: () => ({ count: 0 }),
 *   evolve: (state, event) => ({ count: state.count + event.data.by }),
 *   decide: (command, state) =>
 *     command.data.by > 0 ? { type: 'Incremented', data: { by: command.data.by } }
 *                         : reject('invalid-step', 'step must be positive'),
 *   events: { Incremented: { version: 1 } },
 *   rejections: { 'invalid-step': 'conflict' },
 * });
 * ```
 */
export interface EntityDefinition<
  S,
  C extends DomainCommand,
  E extends DomainEvent,
  R extends string = string,
> {
  /** The entity type's name; part of every stream id (`<type>#<id>`). No `#` allowed. */
  readonly type: string;
  readonly initialState: () => S;
  readonly decide: (command: C, state: S, metadata: CommandMetadata) => Decision<E, NoInfer<R>>;
  /**
   * Every code `decide` (or a guard) may reject with, and its kind: the HTTP edge answers each
   * kind with one status, and the OpenAPI document lists them. Undeclared codes are conflicts.
   */
  readonly rejections?: RejectionDeclarations<R>;
  readonly evolve: (state: S, event: E) => S;
  /** Every event type the entity writes, with its current schema version and upcasters. */
  readonly events: { readonly [K in E['type']]: EventSchema };
  readonly snapshot?: SnapshotPolicy<S>;
}

/** An entity definition with its defaults applied. */
export interface Entity<
  S,
  C extends DomainCommand,
  E extends DomainEvent,
  R extends string = string,
> extends EntityDefinition<S, C, E, R> {
  readonly snapshotEvery: number;
  readonly stateSchemaVersion: number;
}

/**
 * Defines an entity type: checks the definition once, at module load, and fills in its defaults
 * (a snapshot every 100 events). Throws `TypeError` for a type name that is not a letter then
 * `[A-Za-z0-9_-]`, an event version below 1, or a missing upcaster.
 *
 * @example
 * ```ts
 * export const counter = defineEntity({
 *   type: 'Counter',
 *   initialState: () => ({ count: 0 }),
 *   evolve: (state, event) => ({ count: state.count + event.data.by }),
 *   decide: (command, state, { now }) =>
 *     command.data.by > 0
 *       ? { type: 'Incremented', data: { by: command.data.by, at: now } }
 *       : reject('invalid-step', 'The step must be positive'),
 *   events: { Incremented: { version: 1 } },
 *   rejections: { 'invalid-step': 'conflict' },
 * });
 * ```
 */
export function defineEntity<
  S,
  C extends DomainCommand,
  E extends DomainEvent,
  R extends string = string,
>(definition: EntityDefinition<S, C, E, R>): Entity<S, C, E, R> {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(definition.type)) {
    throw new TypeError(`Entity type "${definition.type}" must be a letter then [A-Za-z0-9_-]`);
  }
  const events: Readonly<Record<string, EventSchema>> = definition.events;
  for (const [type, schema] of Object.entries(events)) {
    if (!Number.isInteger(schema.version) || schema.version < 1) {
      throw new TypeError(`${definition.type}: event ${type} needs an integer version >= 1`);
    }
    for (let v = 1; v < schema.version; v++) {
      if (!schema.upcasters?.[v]) {
        throw new TypeError(`${definition.type}: event ${type} has no upcaster from v${v}`);
      }
    }
  }
  const snapshotEvery = definition.snapshot?.every ?? 100;
  if (!Number.isInteger(snapshotEvery) || snapshotEvery < 0) {
    throw new TypeError(`${definition.type}: snapshot.every must be a whole number >= 0`);
  }
  return {
    ...definition,
    snapshotEvery,
    stateSchemaVersion: definition.snapshot?.schemaVersion ?? 1,
  };
}

/** The stream id of one entity: `<EntityType>#<entityId>`. */
export function streamIdOf(entityType: string, entityId: string): string {
  return `${entityType}#${entityId}`;
}
