/**
 * Runs projections over commits with the idempotent read-model writes: one commit at a time (the
 * live projector, for per-record failures), or a page of commits at once (rebuilds: one read and
 * one write per document, one transaction per aggregate).
 */
import type { Commit } from '../core/ports.ts';
import type { Projection } from '../core/projection.ts';
import type { DynamoReadModelWriter } from './readModelWriter.ts';
import { type EventSchemasByType, projectedEvents } from './streamDecoder.ts';

/** Applies every projection that reads the commit's entity type; throws the first failure. */
export async function projectCommit(
  writer: DynamoReadModelWriter,
  projections: readonly Projection[],
  schemas: EventSchemasByType,
  commit: Commit,
  onFailure: (projection: string, error: unknown) => void = () => {},
): Promise<readonly string[]> {
  const concerned = projections.filter((p) => p.entityTypes.includes(commit.entityType));
  let events: ReturnType<typeof projectedEvents>;
  try {
    events = projectedEvents(schemas, commit);
  } catch (error) {
    // Unreadable for every projection of its type (an unknown event type or version).
    for (const projection of concerned) onFailure(projection.name, error);
    throw error;
  }
  const applied: string[] = [];
  let firstError: unknown;
  for (const projection of concerned) {
    try {
      if (projection.kind === 'document') {
        await writer.applyDocument(projection, commit.streamId, [{ ...commit, events }]);
      } else {
        await writer.applyCounters(projection, events);
      }
      applied.push(projection.name);
    } catch (error) {
      onFailure(projection.name, error);
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
  return applied;
}

/** Applies every projection to a page of commits (any streams; each stream's oldest first). */
export async function projectCommits(
  writer: DynamoReadModelWriter,
  projections: readonly Projection[],
  schemas: EventSchemasByType,
  commits: readonly Commit[],
): Promise<void> {
  const byStream = new Map<string, Commit[]>();
  for (const commit of commits) {
    byStream.set(commit.streamId, [...(byStream.get(commit.streamId) ?? []), commit]);
  }
  const decoded = [...byStream].map(([streamId, list]) => ({
    streamId,
    entityType: list[0]?.entityType ?? '',
    commits: [...list]
      .sort((a, b) => a.from - b.from)
      .map((c) => ({ from: c.from, to: c.to, events: projectedEvents(schemas, c) })),
  }));
  for (const projection of projections) {
    const streams = decoded.filter((s) => projection.entityTypes.includes(s.entityType));
    if (projection.kind === 'document') {
      for (const s of streams) await writer.applyDocument(projection, s.streamId, s.commits);
    } else {
      const events = streams.flatMap((s) => s.commits.flatMap((c) => c.events));
      await writer.applyCounters(projection, events);
    }
  }
}
