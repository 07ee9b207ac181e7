/**
 * Runs projections over commits through the read-model store port: one commit at a time (the
 * live projector, for per-record failures), or a page of commits at once (rebuilds: one read and
 * one write per document, one addition per aggregate).
 */
import {
  type DocumentCommit,
  type EventSchemasByType,
  type GapFiller,
  projectedEvents,
} from './gapReader.ts';
import type { Commit } from './ports.ts';
import type { Projection } from './projection.ts';
import { applyCounters, applyDocument } from './projectionRun.ts';
import type { ReadModelStore } from './readModelStore.ts';

/**
 * Applies every projection that reads the commit's entity type; throws the first failure.
 * With `fill`, a document behind the commit first takes the commits it lacks from the journal,
 * and the counters take those commits' events too: a record that was set aside is repaired by
 * the next commit of its stream. Counters stay exactly-once (one marker per event), so events
 * they had counted already are left out by their markers.
 */
export async function projectCommit(
  store: ReadModelStore,
  projections: readonly Projection[],
  schemas: EventSchemasByType,
  commit: Commit,
  onFailure: (projection: string, error: unknown) => void = () => {},
  fill?: GapFiller,
): Promise<readonly string[]> {
  const concerned = projections.filter((p) => p.entityTypes.includes(commit.entityType));
  // No read model follows this entity type: nothing to decode, so nothing that could fail.
  if (concerned.length === 0) return [];
  let events: ReturnType<typeof projectedEvents>;
  try {
    events = projectedEvents(schemas, commit);
  } catch (error) {
    // Unreadable for every projection of its type (an unknown event type or version).
    for (const projection of concerned) onFailure(projection.name, error);
    throw error;
  }
  const applied: string[] = [];
  const filled = new Map<number, DocumentCommit>();
  let firstError: unknown;
  const attempt = async (projection: Projection, work: () => Promise<unknown>) => {
    try {
      await work();
      applied.push(projection.name);
    } catch (error) {
      onFailure(projection.name, error);
      firstError ??= error;
    }
  };
  // Documents first: what they read from the journal, the counters count as well.
  for (const projection of concerned) {
    if (projection.kind !== 'document') continue;
    await attempt(projection, async () => {
      const outcome = await applyDocument(
        store,
        projection,
        commit.streamId,
        [{ ...commit, events }],
        fill,
      );
      for (const c of outcome.filled) filled.set(c.from, c);
    });
  }
  const earlier = [...filled.values()].sort((a, b) => a.from - b.from).flatMap((c) => c.events);
  for (const projection of concerned) {
    if (projection.kind !== 'counter') continue;
    await attempt(projection, () => applyCounters(store, projection, [...earlier, ...events]));
  }
  if (firstError !== undefined) throw firstError;
  return applied;
}

/** Applies every projection to a page of commits (any streams; each stream's oldest first). */
export async function projectCommits(
  store: ReadModelStore,
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
      for (const s of streams) await applyDocument(store, projection, s.streamId, s.commits);
    } else {
      const events = streams.flatMap((s) => s.commits.flatMap((c) => c.events));
      await applyCounters(store, projection, events);
    }
  }
}
