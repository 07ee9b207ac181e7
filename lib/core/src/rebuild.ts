/**
 * Rebuilds read models from the journal (streams keep only 24 hours): drops what the projections
 * wrote, then replays every commit of their entity types through the same idempotent writes the
 * live projector uses. The live projector may keep running meanwhile: a document it reaches first
 * waits (a gap) until the rebuild has replayed the stream's earlier commits, and a counter marker
 * makes whichever comes second a no-op, so nothing is counted twice.
 */
import type { EventSchemasByType } from './gapReader.ts';
import type { Journal, ScanCursor } from './ports.ts';
import { projectCommits } from './projectCommits.ts';
import type { Projection } from './projection.ts';
import type { ReadModelStore } from './readModelStore.ts';

/** How far a rebuild got: commits and events replayed, read-model items dropped. */
export interface RebuildProgress {
  readonly commits: number;
  readonly events: number;
  readonly dropped: number;
}

/** What to rebuild, from which journal, through which writer. */
export interface RebuildOptions {
  readonly journal: Journal;
  readonly store: ReadModelStore;
  readonly projections: readonly Projection[];
  readonly schemas: EventSchemasByType;
  /** Parallel scan segments. Default 4. */
  readonly segments?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
}

/**
 * Rebuilds read models from the journal: drops what the projections wrote, then replays every
 * commit of their entity types (a parallel scan) through the same idempotent writes the live
 * projector uses. Throws when no projection is given; store errors end the rebuild (run it
 * again: the writes are idempotent).
 *
 * @example
 * ```ts
 * const done = await rebuildProjections({ journal, store, projections: [dailySales], schemas });
 * console.log(`${done.events} events replayed`);
 * ```
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildProgress> {
  const { projections } = options;
  if (projections.length === 0) throw new Error('Nothing to rebuild: no projection given');
  const dropped = await options.store.dropPrefixes(projections.map((p) => p.keyPrefix));
  const entityTypes = [...new Set(projections.flatMap((p) => p.entityTypes))];
  const progress = { commits: 0, events: 0, dropped };
  options.onProgress?.({ ...progress });
  const segments = options.segments ?? 4;
  // A stream's commits share a partition key, so one segment reads all of them, in order.
  const replaySegment = async (segment: number) => {
    let cursor: ScanCursor | undefined;
    do {
      const page = await options.journal.scan({
        segment,
        totalSegments: segments,
        entityTypes,
        ...(cursor ? { cursor } : {}),
      });
      await projectCommits(options.store, projections, options.schemas, page.commits);
      progress.commits += page.commits.length;
      progress.events += page.commits.reduce((n, c) => n + c.events.length, 0);
      options.onProgress?.({ ...progress });
      cursor = page.next;
    } while (cursor);
  };
  await Promise.all(Array.from({ length: segments }, (_, segment) => replaySegment(segment)));
  return { ...progress };
}
