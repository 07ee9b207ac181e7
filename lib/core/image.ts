/**
 * The in-memory image of one entity (state, version, recent idempotency keys) and the pure steps
 * that build it from commits and turn a decision into the next commit.
 */
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import { fingerprint } from './hash.ts';
import type { Commit, RecentKey, StoredSnapshot } from './ports.ts';
import { upcast } from './upcast.ts';

export interface EntityImage<S> {
  readonly state: S;
  readonly version: number;
  /** Hash of idempotency key → position of the commit that used it. */
  readonly keys: ReadonlyMap<string, number>;
}

/** Idempotency keys are kept in snapshots and memory by a fixed-size hash. */
export const keyHashOf = fingerprint;

export function emptyImage<S, C extends DomainCommand, E extends DomainEvent>(
  entity: Entity<S, C, E>,
): EntityImage<S> {
  return { state: entity.initialState(), version: 0, keys: new Map() };
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
  let { state, version } = image;
  const keys = new Map(image.keys);
  commits.forEach((commit, index) => {
    const snapshot = commit.snapshot;
    if (index === 0 && snapshot && isUsableSnapshot(entity, snapshot) && commit.to > version) {
      state = (entity.snapshot?.fromSnapshot ?? identity<S>)(snapshot.state);
      version = commit.to;
      keys.clear();
      for (const [hash, position] of snapshot.recentKeys) keys.set(hash, position);
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
    if (commit.idempotencyKey !== undefined)
      keys.set(keyHashOf(commit.idempotencyKey), commit.from);
  });
  return { state, version, keys };
}

/** Whether the commit taking the stream from `from - 1` to `to` carries a snapshot. */
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

/** The snapshot to store with a commit: the state and the most recent keys, at most `window`. */
export function snapshotOf<S, C extends DomainCommand, E extends DomainEvent>(
  entity: Entity<S, C, E>,
  state: S,
  keys: ReadonlyMap<string, number>,
  window: number,
): StoredSnapshot {
  const recentKeys: RecentKey[] = [...keys.entries()].sort((a, b) => a[1] - b[1]).slice(-window);
  return {
    schemaVersion: entity.stateSchemaVersion,
    state: (entity.snapshot?.toSnapshot ?? identity<unknown>)(state),
    recentKeys,
  };
}

/** Keys kept in memory after a snapshot: the same window the snapshot stores. */
export function trimKeys(keys: ReadonlyMap<string, number>, window: number): Map<string, number> {
  return new Map([...keys.entries()].sort((a, b) => a[1] - b[1]).slice(-window));
}

function identity<T>(value: unknown): T {
  return value as T;
}
