/**
 * Running projections over commits, through the read-model store port: one pass from upcast
 * events to idempotent writes. A document is read once with its position, the commits it can
 * take now are folded in (the pure `evolve`), and the result is written on the condition that
 * the position has not moved; counters add each event once under its marker. The live
 * projector (one commit at a time) and rebuilds (a page of commits) share this code, so the
 * adapters only implement the store.
 */
import type { DocumentCommit, GapFiller } from './gapReader.ts';
import {
  type CounterProjection,
  contiguousRun,
  type Document,
  type DocumentProjection,
  documentKeyOf,
  type ProjectedEvent,
  ProjectionGapError,
} from './projection.ts';
import type { CounterEntry, ReadModelStore } from './readModelStore.ts';

/** What applying commits to a document did, and the commits it read from the journal to do it. */
export interface DocumentOutcome {
  readonly status: 'applied' | 'already-applied' | 'ignored';
  /** Commits the document lacked before the given ones, read back through the gap filler. */
  readonly filled: readonly DocumentCommit[];
}

/** Writes that found the document moved by another writer, before giving up. */
const movedAttempts = 4;

/**
 * Applies commits of one stream (oldest first) to the document they change, in one read and one
 * conditional write. Commits the document holds already are skipped. When the document is behind
 * the first commit and `fill` is given, the missing commits are read through it (from the
 * journal) and applied first, in order, in the same write.
 *
 * @throws ProjectionGapError when earlier commits of the stream are missing from the document
 *   and `fill` cannot supply them (after applying the ones that could be)
 * @example
 * ```ts
 * const outcome = await applyDocument(store, orderHistory, 'Order#o1', [{ from: 1, to: 1, events }]);
 * ```
 */
export async function applyDocument(
  store: ReadModelStore,
  projection: DocumentProjection,
  streamId: string,
  commits: readonly DocumentCommit[],
  fill?: GapFiller,
): Promise<DocumentOutcome> {
  const key = documentKeyOf(
    projection,
    commits.flatMap((c) => c.events),
  );
  if (!key) return { status: 'ignored', filled: [] };
  let known = [...commits].sort((a, b) => a.from - b.from);
  const filled: DocumentCommit[] = [];
  for (let attempt = 1; ; attempt++) {
    const stored = await store.getItem(key);
    const position = stored?.position ?? 0;
    if (fill) {
      const missing = await fillGaps(streamId, position, known, fill);
      known = [...known, ...missing].sort((a, b) => a.from - b.from);
      filled.push(...missing);
    }
    const { run, gapAt } = contiguousRun(position, known);
    const gap = () => new ProjectionGapError(projection.name, streamId, position, gapAt?.from ?? 0);
    if (run.length === 0) {
      if (gapAt) throw gap();
      return { status: 'already-applied', filled };
    }
    const document = run
      .flatMap((c) => c.events)
      .reduce<Document | undefined>(
        (doc, event) => projection.evolve(doc, event),
        stored?.document,
      ) as Document;
    const to = (run.at(-1) as DocumentCommit).to;
    const written = await store.putDocument(key, {
      document,
      streamId,
      expectedPosition: position,
      position: to,
    });
    if (written) {
      if (gapAt) throw gap();
      return { status: 'applied', filled };
    }
    // Someone else (a rebuild, a concurrent retry) moved the document: look again.
    if (attempt >= movedAttempts) {
      throw new Error(`Projection ${projection.name}: ${streamId} kept moving under other writers`);
    }
  }
}

/**
 * The commits missing between a document at `position` and the commits known so far, read
 * through `fill` gap by gap. Stops when the filler has nothing more: that gap is real (the
 * commits are not in the journal yet) and the caller reports it.
 */
async function fillGaps(
  streamId: string,
  position: number,
  known: readonly DocumentCommit[],
  fill: GapFiller,
): Promise<DocumentCommit[]> {
  const found: DocumentCommit[] = [];
  let all = [...known];
  for (;;) {
    const { run, gapAt } = contiguousRun(position, all);
    if (!gapAt) return found;
    const after = run.at(-1)?.to ?? position;
    const have = new Set(all.map((c) => c.from));
    const missing = (await fill(streamId, after, gapAt.from)).filter((c) => !have.has(c.from));
    if (missing.length === 0) return found;
    found.push(...missing);
    all = [...all, ...missing].sort((a, b) => a.from - b.from);
  }
}

/**
 * Adds events' changes to their aggregates, each event once (an event repeated in `events`
 * counts once too). Returns how many events it added.
 *
 * @example
 * ```ts
 * await applyCounters(store, dailySales, events); // 2
 * await applyCounters(store, dailySales, events); // 0: their markers are there
 * ```
 */
export function applyCounters(
  store: ReadModelStore,
  projection: CounterProjection,
  events: readonly ProjectedEvent[],
): Promise<number> {
  const unique = new Map(events.map((e) => [`${e.streamId}@${e.position}`, e]));
  const entries: CounterEntry[] = [];
  for (const event of unique.values()) {
    const changes = projection.changesOf(event);
    if (changes.length > 0) {
      entries.push({ streamId: event.streamId, position: event.position, changes });
    }
  }
  return entries.length === 0
    ? Promise.resolve(0)
    : store.addCounters(projection.keyPrefix, entries);
}
