/**
 * The in-memory image of one entity (state, version, remembered idempotency keys) and the pure
 * steps that build it from commits and turn a decision into the next commit.
 */
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import { fingerprint } from './hash.ts';
import {
  emptyKeyMemory,
  epochSeconds,
  type KeyMemory,
  keysFromStored,
  storedKeys,
  withKey,
} from './keyMemory.ts';
import type { Commit, Note, StoredSnapshot } from './ports.ts';
import { upcast } from './upcast.ts';

export interface EntityImage<S> {
  readonly state: S;
  readonly version: number;
  /** The idempotency keys this entity remembers (bounded by time and count). */
  readonly keys: KeyMemory;
  /** The note known to hold position `version + 1` (refusals of keyed commands), if any. */
  readonly note?: Note;
}

/**
 * Idempotency keys are kept in snapshots and memory by a fixed-size hash.
 * @internal
 */
export const keyHashOf = fingerprint;

export function emptyImage<S, C extends DomainCommand, E extends DomainEvent>(
  entity: Entity<S, C, E>,
): EntityImage<S> {
  return { state: entity.initialState(), version: 0, keys: emptyKeyMemory };
}

export function isUsableSnapshot(
  entity: { readonly stateSchemaVersion: number },
  snapshot: StoredSnapshot,
): boolean {
  return snapshot.schemaVersion === entity.stateSchemaVersion;
}

/**
 * Folds commits (oldest first) onto an image. A usable snapshot on the first commit replaces
 * the image; later snapshots are not needed, their events are applied instead.
 */
export function applyCommits<S, C extends DomainCommand, E extends DomainEvent>(
  entity: Entity<S, C, E>,
  image: EntityImage<S>,
  commits: readonly Commit[],
): EntityImage<S> {
  let { state, version, keys } = image;
  commits.forEach((commit, index) => {
    const snapshot = commit.snapshot;
    if (index === 0 && snapshot && isUsableSnapshot(entity, snapshot) && commit.to > version) {
      state = (entity.snapshot?.fromSnapshot ?? identity<S>)(snapshot.state);
      version = commit.to;
      keys = keysFromStored(
        snapshot.recentKeys,
        snapshot.spilledKeys,
        epochSeconds(commit.recordedAt),
      );
      return;
    }
    if (commit.from !== version + 1) return; // already applied (a catch-up that overlapped)
    commit.events.forEach((stored, i) => {
      state = entity.evolve(
        state,
        upcast<E>(entity.events, commit.streamId, commit.from + i, stored),
      );
    });
    version = commit.to;
    keys = keysOfCommit(keys, commit);
  });
  return { state, version, keys };
}

/** The key memory after a commit: its own key, and the refused keys it carries forward. */
export function keysOfCommit(keys: KeyMemory, commit: Commit): KeyMemory {
  let next = keys;
  for (const refusal of commit.refusals ?? []) {
    next = withKey(next, keyHashOf(refusal.key), { position: commit.from, at: refusal.at });
  }
  if (commit.idempotencyKey !== undefined) {
    const at = epochSeconds(commit.recordedAt);
    next = withKey(next, keyHashOf(commit.idempotencyKey), { position: commit.from, at });
  }
  return next;
}

/**
 * Whether the commit taking the stream from `from - 1` to `to` carries a snapshot.
 * @internal
 */
export function shouldSnapshot<S, C extends DomainCommand, E extends DomainEvent>(
  entity: Entity<S, C, E>,
  state: S,
  from: number,
  to: number,
): boolean {
  const every = entity.snapshotEvery;
  if (every > 0 && Math.floor((from - 1) / every) < Math.floor(to / every)) return true;
  return entity.snapshot?.when?.(state, to) ?? false;
}

/** The snapshot to store with a commit: the state and the key memory (already trimmed). */
export function snapshotOf<S, C extends DomainCommand, E extends DomainEvent>(
  entity: Entity<S, C, E>,
  state: S,
  keys: KeyMemory,
): StoredSnapshot {
  const { recentKeys, spilledKeys } = storedKeys(keys);
  return {
    schemaVersion: entity.stateSchemaVersion,
    state: (entity.snapshot?.toSnapshot ?? identity<unknown>)(state),
    recentKeys,
    ...(spilledKeys.length > 0 ? { spilledKeys } : {}),
  };
}

function identity<T>(value: unknown): T {
  return value as T;
}
