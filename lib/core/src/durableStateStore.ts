/**
 * Durable-state entities: no history, one record per entity replaced whole under a revision
 * check. For things like a branch's profile. Conflicts are retried like commands.
 */
import { streamIdOf } from './entity.ts';
import {
  RevisionConflictError,
  rejectedError,
  StoreUnavailableError,
  UnknownOutcomeError,
  VersionMismatchError,
} from './errors.ts';
import { AmbiguousWriteError } from './journalErrors.ts';
import type { StateRecord, StateStore } from './ports.ts';
import { isRejection, type Rejection, type RejectionDeclarations } from './rejection.ts';
import { backoffDelay, defaultRetryPolicy, type RetryPolicy, sleep } from './retry.ts';

/** A durable-state entity type: its name, and how records of older schema versions migrate. */
export interface DurableStateDefinition<S> {
  /** The entity type's name; part of the record key (`<type>#<id>`). */
  readonly type: string;
  /** Bump when the shape of S changes; records of older versions go through `migrate`. */
  readonly schemaVersion?: number;
  readonly migrate?: (state: unknown, fromVersion: number) => S;
  /** The codes `change` may reject with, and their kinds (undeclared ones are conflicts). */
  readonly rejections?: RejectionDeclarations;
}

/**
 * What `DurableStateStore.update` answers: the state written, its revision, and whether it
 * was created.
 */
export interface DurableStateResult<S> {
  readonly state: S;
  readonly revision: number;
  /** True when this update created the entity. */
  readonly created: boolean;
}

/**
 * Durable-state entities of one type: reads a record, applies a change to its state and writes
 * it back under a revision check, retrying on conflict like commands. A rejection returned by
 * the change throws `CommandRejectedError`; `expectedRevision` that does not match throws
 * `VersionMismatchError`; contention past the retries, `RevisionConflictError`.
 *
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
  readonly #newWriteId: () => string;

  constructor(
    readonly definition: DurableStateDefinition<S>,
    options: {
      readonly store: StateStore;
      readonly retry?: Partial<RetryPolicy>;
      readonly clock?: () => Date;
      readonly sleep?: (ms: number) => Promise<void>;
      readonly newWriteId?: () => string;
    },
  ) {
    this.#newWriteId = options.newWriteId ?? (() => globalThis.crypto.randomUUID());
    this.#store = options.store;
    this.#retry = { ...defaultRetryPolicy, ...options.retry };
    this.#clock = options.clock ?? (() => new Date());
    this.#sleep = options.sleep ?? sleep;
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
    // One id for every attempt of this update: whichever of them landed, a re-read recognises it.
    const writeId = this.#newWriteId();
    let failure: RevisionConflictError | AmbiguousWriteError | undefined;
    for (let attempt = 1; attempt <= this.#retry.maxAttempts; attempt++) {
      // The first read may be eventually consistent; after a conflict, read strongly.
      const consistent = attempt > 1 || options.expectedRevision !== undefined;
      const record = await this.#next(key, change, options.expectedRevision, consistent, writeId);
      const done = {
        state: record.state as S,
        revision: record.revision,
        created: record.revision === 1,
      };
      try {
        await this.#store.put(record);
        return done;
      } catch (error) {
        if (error instanceof AmbiguousWriteError) {
          if (await this.#landed(record, error)) return done;
          failure = error; // not written: the next attempt re-reads and writes again
        } else if (error instanceof RevisionConflictError) {
          failure = error;
          await this.#sleep(backoffDelay(this.#retry, attempt));
        } else {
          throw error;
        }
      }
    }
    if (failure instanceof AmbiguousWriteError) {
      throw new StoreUnavailableError('putState', { cause: failure });
    }
    throw new RevisionConflictError(key, failure?.actualRevision ?? 0, failure?.actualRevision);
  }

  /** Reads the current record and makes the one to write, or refuses. */
  async #next(
    key: string,
    change: (current: S | undefined) => S | Rejection,
    expectedRevision: number | undefined,
    consistent: boolean,
    writeId: string,
  ): Promise<StateRecord> {
    const current = await this.#store.get(key, { consistent });
    const revision = current?.revision ?? 0;
    if (expectedRevision !== undefined && expectedRevision !== revision) {
      throw new VersionMismatchError(key, expectedRevision, revision);
    }
    const next = change(current && this.#decode(current.state, current.schemaVersion));
    if (isRejection(next)) throw rejectedError(key, next, this.definition.rejections);
    return {
      key,
      entityType: this.definition.type,
      revision: revision + 1,
      state: next,
      schemaVersion: this.definition.schemaVersion ?? 1,
      updatedAt: this.#clock().toISOString(),
      writeId,
    };
  }

  /** After an unknown outcome: whether the stored record is this write. */
  async #landed(record: StateRecord, error: AmbiguousWriteError): Promise<boolean> {
    try {
      const stored = await this.#store.get(record.key, { consistent: true });
      return stored?.writeId === record.writeId;
    } catch (cause) {
      throw new UnknownOutcomeError(record.key, record.revision, { cause: cause ?? error });
    }
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
