/**
 * Runs commands against event-sourced entities: load (or take from the warm cache), decide,
 * append with a conditional write, and on conflict catch up and try again.
 */

import type { Attempt } from './attempt.ts';
import { CommandAttempts } from './commandAttempts.ts';
import type {
  CommandRun,
  EntityStoreOptions,
  EntityStoreSignal,
  ExecuteOptions,
  ExecuteResult,
} from './commands.ts';
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import { streamIdOf } from './entity.ts';
import { ConcurrencyError, StoreUnavailableError } from './errors.ts';
import { canonicalJson, fingerprint } from './hash.ts';
import { type EntityImage, emptyImage, keyHashOf } from './image.ts';
import { ImageReader } from './imageReader.ts';
import { claimKey } from './keyClaim.ts';
import { KeyedReplays } from './keyedReplays.ts';
import { type KeyPolicy, keyPolicyOf } from './keyMemory.ts';
import { LruCache } from './lruCache.ts';
import type { Journal } from './ports.ts';
import { commandRetryPolicy, type RetryPolicy, StreamBackoff, sleep } from './retry.ts';
import { tellEntityStoreListeners } from './storeSignals.ts';
import { type RecordedEvent, recordedEvents } from './upcast.ts';

export type {
  EntityStoreOptions,
  EntityStoreSignal,
  ExecuteOptions,
  ExecuteResult,
} from './commands.ts';

/**
 * The event-sourced entities of one type.
 *
 * @example
 * ```ts
 * const counters = new EntityStore(counter, { journal });
 * const { version } = await counters.execute('c-1', { type: 'Increment', data: { by: 1 } });
 * const current = await counters.get('c-1', { consistent: true });
 * ```
 */
export class EntityStore<S, C extends DomainCommand, E extends DomainEvent> {
  readonly #journal: Journal;
  readonly #reader: ImageReader<S, C, E>;
  readonly #cache: LruCache<string, EntityImage<S>>;
  readonly #retry: RetryPolicy;
  readonly #keys: KeyPolicy;
  readonly #replays: KeyedReplays<S, C, E>;
  readonly #attempts: CommandAttempts<S, C, E>;
  readonly #clock: () => Date;
  readonly #newCommandId: () => string;
  readonly #backoff: StreamBackoff;
  readonly #observe: (signal: EntityStoreSignal) => void;

  constructor(
    readonly entity: Entity<S, C, E>,
    options: EntityStoreOptions,
  ) {
    this.#journal = options.journal;
    this.#reader = new ImageReader(entity, options.journal);
    this.#cache = new LruCache(options.cacheSize ?? 1000);
    this.#retry = { ...commandRetryPolicy, ...options.retry };
    this.#keys = keyPolicyOf(options.idempotency);
    this.#clock = options.clock ?? (() => new Date());
    this.#newCommandId = options.newCommandId ?? (() => globalThis.crypto.randomUUID());
    this.#backoff = new StreamBackoff(
      this.#retry,
      options.random ?? Math.random,
      options.sleep ?? sleep,
    );
    const observe = options.observe;
    this.#observe = (signal) => {
      observe?.(signal);
      tellEntityStoreListeners(signal);
    };
    this.#replays = new KeyedReplays(entity, options.journal, this.#keys, this.#observe);
    this.#attempts = new CommandAttempts({
      entity,
      journal: this.#journal,
      reader: this.#reader,
      replays: this.#replays,
      keys: this.#keys,
      clock: this.#clock,
      observe: this.#observe,
      remember: (streamId, image) => this.#remember(streamId, image),
      forget: (streamId) => this.#cache.delete(streamId),
    });
  }

  streamId(entityId: string): string {
    return streamIdOf(this.entity.type, entityId);
  }

  /** The entity's state and version, or undefined when it has no events. */
  async get(
    entityId: string,
    options: { readonly consistent?: boolean } = {},
  ): Promise<{ state: S; version: number } | undefined> {
    const streamId = this.streamId(entityId);
    const cached = this.#cache.get(streamId);
    const image = cached
      ? await this.#reader.catchUp(streamId, cached, options.consistent ?? false)
      : await this.#reader.load(streamId, options.consistent ?? false);
    if (image !== cached) this.#remember(streamId, image);
    return image.version === 0 ? undefined : { state: image.state, version: image.version };
  }

  /** The stream's events after `after` (a position), oldest first, upcast: the audit trail. */
  async events(
    entityId: string,
    options: { readonly after?: number; readonly limit?: number } = {},
  ): Promise<RecordedEvent<E>[]> {
    const streamId = this.streamId(entityId);
    const after = options.after ?? 0;
    const limit = options.limit ?? 100;
    const first = after > 0 ? await this.#journal.readContaining(streamId, after + 1) : undefined;
    const rest = await this.#journal.readAfter(streamId, first ? first.from : after, { limit });
    const commits = first ? [first, ...rest] : rest;
    return commits
      .flatMap((commit) => recordedEvents<E>(this.entity.events, commit))
      .filter((event) => event.position > after)
      .slice(0, limit);
  }

  /**
   * Runs one command: the heart of the write side. A conflict whose winner came back with the
   * failed write is retried at once on top of it; only repeated conflicts back off (on a stream
   * that was contended a moment ago, from the first: `backoffLevel`), and no
   * attempt starts after the retry budget or `options.deadline`.
   */
  async execute<R = undefined>(
    entityId: string,
    command: C,
    options: ExecuteOptions<S, E, R> = {},
  ): Promise<ExecuteResult<S, E, R>> {
    const key = options.idempotencyKey;
    const run: CommandRun<C, S, E, R> = {
      streamId: this.streamId(entityId),
      command,
      options,
      commandId: this.#newCommandId(),
      keyHash: key === undefined ? undefined : keyHashOf(key),
      commandPrint:
        key === undefined
          ? undefined
          : (options.fingerprint ?? fingerprint(canonicalJson(command))),
    };
    const attempt: Attempt<S> = {
      image: await this.#start(run.streamId, options),
      verified: options.isNew === true,
      conflicts: 0,
      usedWinner: false,
      stale: false,
    };
    const deadline = Math.min(
      Date.now() + this.#retry.timeBudgetMs,
      options.deadline ?? Number.POSITIVE_INFINITY,
    );
    let n = 1;
    for (; n <= this.#retry.maxAttempts; n++) {
      const result = await this.#attempts.attempt(run, attempt, n);
      if (result) {
        this.#backoff.record(run.streamId, attempt.conflicts);
        return result;
      }
      if (!(await this.#backoff.wait(run.streamId, attempt.conflicts, deadline))) break;
      if (attempt.stale) await this.#attempts.catchUp(run.streamId, attempt);
    }
    // Writes that kept failing without landing: the store is down, not the entity contended.
    if (attempt.unanswered) throw new StoreUnavailableError('append');
    throw new ConcurrencyError(run.streamId, attempt.image.version, undefined, n);
  }

  /**
   * Marks an idempotency key as used on `entityId` (a fresh id derived from the key), for a
   * keyed create that writes elsewhere, under an id the client chose: a later request with the
   * key and another command, on either path, then meets this mark and is refused.
   * @throws IdempotencyKeyReusedError when the key was used with another fingerprint
   */
  async claimKey(
    entityId: string,
    claim: {
      readonly idempotencyKey: string;
      readonly fingerprint: string;
      readonly answer: unknown;
    },
  ): Promise<void> {
    const streamId = this.streamId(entityId);
    const run: CommandRun<C, S, E, unknown> = {
      streamId,
      command: { type: 'ClaimKey', data: {} } as C,
      options: { idempotencyKey: claim.idempotencyKey },
      commandId: this.#newCommandId(),
      keyHash: keyHashOf(claim.idempotencyKey),
      commandPrint: claim.fingerprint,
    };
    await claimKey(
      {
        entity: this.entity,
        journal: this.#journal,
        replays: this.#replays,
        keys: this.#keys,
        clock: this.#clock,
        remember: (id, image) => this.#remember(id, image),
      },
      run,
      await this.#start(streamId, { isNew: true }),
      claim.answer,
    );
  }

  /** Forgets every cached image (tests, or after a rebuild). */
  clearCache(): void {
    this.#cache.clear();
  }

  async #start(streamId: string, options: { isNew?: boolean }): Promise<EntityImage<S>> {
    const cached = this.#cache.get(streamId);
    // A new id this container already used (a repeat of a keyed create): its image knows the key.
    if (options.isNew) return cached ?? emptyImage(this.entity);
    this.#observe({ kind: 'cache', streamId, hit: cached !== undefined });
    return cached ?? this.#reader.load(streamId, false);
  }

  #remember(streamId: string, image: EntityImage<S>): void {
    this.#cache.set(streamId, image);
  }
}
