/**
 * Durable-state entities: no history, one record per entity replaced whole under a revision
 * check. For things like a branch's profile. Conflicts are retried like commands.
 */
import { streamIdOf } from './entity.ts';
import { CommandRejectedError, RevisionConflictError, VersionMismatchError } from './errors.ts';
import type { StateStore } from './ports.ts';
import { isRejection, type Rejection } from './rejection.ts';
import { backoffDelay, defaultRetryPolicy, type RetryPolicy } from './retry.ts';

export interface DurableStateDefinition<S> {
  /** The entity type's name; part of the record key (`<type>#<id>`). */
  readonly type: string;
  /** Bump when the shape of S changes; records of older versions go through `migrate`. */
  readonly schemaVersion?: number;
  readonly migrate?: (state: unknown, fromVersion: number) => S;
}

export interface DurableStateResult<S> {
  readonly state: S;
  readonly revision: number;
  /** True when this update created the entity. */
  readonly created: boolean;
}

/**
 * @example
 * ```ts
 * const branches = new DurableStateStore<Branch>({ type: 'Branch' }, { store });
 * await branches.update('lisbon-1', () => ({ name: 'Baixa', city: 'Lisbon' }));
 * ```
 */
export class DurableStateStore<S> {
  readonly #store: StateStore;
  readonly #retry: RetryPolicy;
  readonly #clock: () => Date;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(
    readonly definition: DurableStateDefinition<S>,
    options: {
      readonly store: StateStore;
      readonly retry?: Partial<RetryPolicy>;
      readonly clock?: () => Date;
      readonly sleep?: (ms: number) => Promise<void>;
    },
  ) {
    this.#store = options.store;
    this.#retry = { ...defaultRetryPolicy, ...options.retry };
    this.#clock = options.clock ?? (() => new Date());
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async get(
    entityId: string,
    options: { readonly consistent?: boolean } = {},
  ): Promise<{ state: S; revision: number } | undefined> {
    const record = await this.#store.get(this.#key(entityId), options);
    return (
      record && {
        state: this.#decode(record.state, record.schemaVersion),
        revision: record.revision,
      }
    );
  }

  /**
   * Replaces the state with what `change` makes of the current one (undefined when new). A
   * `Rejection` from `change` refuses the update; nothing is written.
   */
  async update(
    entityId: string,
    change: (current: S | undefined) => S | Rejection,
    options: { readonly expectedRevision?: number } = {},
  ): Promise<DurableStateResult<S>> {
    const key = this.#key(entityId);
    let lastSeen: number | undefined;
    for (let attempt = 1; attempt <= this.#retry.maxAttempts; attempt++) {
      // The first read may be eventually consistent; after a conflict, read strongly.
      const current = await this.#store.get(key, {
        consistent: attempt > 1 || options.expectedRevision !== undefined,
      });
      const revision = current?.revision ?? 0;
      if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
        throw new VersionMismatchError(key, options.expectedRevision, revision);
      }
      const next = change(current && this.#decode(current.state, current.schemaVersion));
      if (isRejection(next))
        throw new CommandRejectedError(key, next.code, next.message, next.details);
      try {
        await this.#store.put({
          key,
          entityType: this.definition.type,
          revision: revision + 1,
          state: next,
          schemaVersion: this.definition.schemaVersion ?? 1,
          updatedAt: this.#clock().toISOString(),
        });
        return { state: next, revision: revision + 1, created: revision === 0 };
      } catch (error) {
        if (!(error instanceof RevisionConflictError)) throw error;
        lastSeen = error.actualRevision;
        await this.#sleep(backoffDelay(this.#retry, attempt, Math.random));
      }
    }
    throw new RevisionConflictError(key, lastSeen ?? 0, lastSeen);
  }

  #key(entityId: string): string {
    return streamIdOf(this.definition.type, entityId);
  }

  #decode(state: unknown, schemaVersion: number): S {
    const current = this.definition.schemaVersion ?? 1;
    if (schemaVersion === current) return state as S;
    if (!this.definition.migrate) {
      throw new TypeError(`${this.definition.type}: no migration from schema v${schemaVersion}`);
    }
    return this.definition.migrate(state, schemaVersion);
  }
}
