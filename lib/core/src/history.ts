/**
 * Builds the commits of a stream from a list of events without running commands: for imports,
 * backfills, fixtures and benchmarks. The commits are exactly what EntityStore would have written
 * (positions, snapshots by the entity's policy), minus command metadata.
 */
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import { shouldSnapshot, snapshotOf } from './image.ts';
import { emptyKeyMemory } from './keyMemory.ts';
import type { Commit } from './ports.ts';

/**
 * The commits EntityStore would have written for these events (positions, snapshots by the
 * entity's policy), without running commands: for imports, backfills, fixtures and benchmarks.
 * Command metadata is left out. Events of a type the entity does not declare throw.
 */
export function historyCommits<S, C extends DomainCommand, E extends DomainEvent>(
  entity: Entity<S, C, E>,
  streamId: string,
  events: readonly E[],
  options: { readonly eventsPerCommit?: number; readonly recordedAt?: string } = {},
): Commit[] {
  const perCommit = Math.max(1, options.eventsPerCommit ?? 1);
  const schemas: Readonly<Record<string, { version: number }>> = entity.events;
  const recordedAt = options.recordedAt ?? new Date(0).toISOString();
  const commits: Commit[] = [];
  let state = entity.initialState();
  for (let i = 0; i < events.length; i += perCommit) {
    const batch = events.slice(i, i + perCommit);
    state = batch.reduce(entity.evolve, state);
    const from = i + 1;
    const to = i + batch.length;
    commits.push({
      streamId,
      entityType: entity.type,
      from,
      to,
      events: batch.map((e) => ({
        type: e.type,
        schemaVersion: schemas[e.type]?.version ?? 1,
        data: e.data,
      })),
      recordedAt,
      commandId: `import-${from}`,
      ...(shouldSnapshot(entity, state, from, to)
        ? { snapshot: snapshotOf(entity, state, emptyKeyMemory) }
        : {}),
    });
  }
  return commits;
}
