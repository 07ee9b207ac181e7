/**
 * A fresh snapshot for a stream, made by replaying all its events: what an operator writes onto
 * a stream whose latest snapshot is missing or of an old state schema, so that loads stop at it.
 */
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import { applyCommits, emptyImage, snapshotOf } from './image.ts';
import { epochSeconds, type KeyPolicy, keyPolicyOf, trimKeys } from './keyMemory.ts';
import type { Commit, StoredSnapshot } from './ports.ts';

/** The snapshot of a stream after its last commit, and that commit's span. */
export interface ReplayedSnapshot {
  /** The commit the snapshot belongs with (its `from` is the journal item's key). */
  readonly from: number;
  readonly to: number;
  readonly snapshot: StoredSnapshot;
}

/**
 * The snapshot the stream would carry after its last commit, from all its commits (oldest
 * first, from position 1) replayed through the current upcasters and `evolve`; the snapshots
 * they carry are ignored, as they may be of an old state schema. The idempotency keys it holds
 * are those the commits used, trimmed as at the last commit's time by `idempotency` (the
 * EntityStore's key policy; its defaults when absent), as a commit's own snapshot would hold.
 *
 * @throws RangeError when the commits do not run contiguously from position 1
 *
 * @example
 * ```ts
 * const commits = await journal.readAfter(streamIdOf(counter.type, 'c-1'), 0);
 * const fresh = replayedSnapshot(counter, commits);
 * // fresh?.snapshot.schemaVersion === counter.stateSchemaVersion; write it with commit fresh.from
 * ```
 */
export function replayedSnapshot<S, C extends DomainCommand, E extends DomainEvent>(
  entity: Entity<S, C, E>,
  commits: readonly Commit[],
  idempotency: Partial<KeyPolicy> = {},
): ReplayedSnapshot | undefined {
  const last = commits.at(-1);
  if (!last) return undefined;
  let expected = 1;
  for (const commit of commits) {
    if (commit.from !== expected)
      throw new RangeError(
        `${commit.streamId}: expected a commit at ${expected}, found one at ${commit.from}`,
      );
    expected = commit.to + 1;
  }
  const withoutSnapshots = commits.map(({ snapshot: _ignored, ...commit }) => commit);
  const image = applyCommits(entity, emptyImage(entity), withoutSnapshots);
  const keys = trimKeys(image.keys, epochSeconds(last.recordedAt), keyPolicyOf(idempotency));
  return { from: last.from, to: last.to, snapshot: snapshotOf(entity, image.state, keys) };
}
